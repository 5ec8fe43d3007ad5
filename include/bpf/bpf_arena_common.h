/* Part of bpfxx. BPF-side header, written for bpfxx. */
/*
 * <bpf/bpf_arena_common.h>: working with a BPF arena
 * (BPF_MAP_TYPE_ARENA, kernel 6.9+), memory shared between a BPF program and
 * user space where pointers are valid on both sides.
 *
 *   __arena              qualifier of a pointer into the arena
 *   __arena_global       places a global variable in the arena
 *   cast_kern(p), cast_user(p)
 *                        convert p in place between the user-space form of
 *                        an arena address and the form the program
 *                        dereferences; no-ops when the compiler does it
 *   bpf_arena_alloc_pages / bpf_arena_free_pages / bpf_arena_reserve_pages
 *                        the arena kfuncs
 *   arena_container_of, NUMA_NO_NODE, PAGE_SIZE
 *
 * With clang 18+ (__BPF_FEATURE_ADDR_SPACE_CAST) arena pointers are in
 * address space 1 and the compiler emits the casts. Otherwise, or with
 * BPF_ARENA_FORCE_ASM, pointers are plain, arena globals go to the
 * ".addr_space.1" section and the casts are explicit instructions.
 *
 * Compiled as user-space C (no __BPF__), the same declarations degrade to
 * plain pointers so structures can be shared with the program.
 */
#ifndef __BPF_ARENA_COMMON_H__
#define __BPF_ARENA_COMMON_H__

#ifndef WRITE_ONCE
#define WRITE_ONCE(x, val) ((*(volatile __typeof__(x) *)&(x)) = (val))
#endif

/* "any NUMA node" for bpf_arena_alloc_pages() */
#ifndef NUMA_NO_NODE
#define NUMA_NO_NODE (-1)
#endif

#ifndef arena_container_of
#define arena_container_of(ptr, type, member)                               \
	({                                                                  \
		void __arena *__bpfxx_mptr = (void __arena *)(ptr);         \
		((type *)(__bpfxx_mptr - offsetof(type, member)));         \
	})
#endif

#ifdef __BPF__

#include "bpf_helpers.h"

/*
 * The kernel's page size. vmlinux.h carries it as the enumerator __PAGE_SIZE;
 * without vmlinux.h 4096 is assumed (define PAGE_SIZE first to override).
 */
#ifndef PAGE_SIZE
#ifdef __VMLINUX_H__
#define PAGE_SIZE __PAGE_SIZE
#else
#define PAGE_SIZE 4096
#endif
#endif

#if defined(__BPF_FEATURE_ADDR_SPACE_CAST) && !defined(BPF_ARENA_FORCE_ASM)

#define __arena_global __attribute__((address_space(1)))
#define cast_kern(ptr) /* emitted by the compiler */
#define cast_user(ptr) /* emitted by the compiler */

#else

#define __arena_global SEC(".addr_space.1")

/*
 * bpf_addr_space_cast(var, dst_as, src_as): the instruction
 * "var = addr_space_cast(var, dst_as, src_as)", i.e. BPF_ALU64 | BPF_MOV |
 * BPF_X (0xbf) with off = 1 and imm = dst_as << 16 | src_as. The register
 * byte holds var's register as both source and destination, so it is the
 * same in either byte order; .ifc picks it from the register's name.
 */
#define ___bpfxx_reg_byte(n, b) ".ifc %[reg], r" #n "\n\t.byte " #b "\n\t.endif\n\t"
#define bpf_addr_space_cast(var, dst_as, src_as)                            \
	asm volatile(".byte 0xbf\n\t"                                       \
		     ___bpfxx_reg_byte(0, 0x00) ___bpfxx_reg_byte(1, 0x11)  \
		     ___bpfxx_reg_byte(2, 0x22) ___bpfxx_reg_byte(3, 0x33)  \
		     ___bpfxx_reg_byte(4, 0x44) ___bpfxx_reg_byte(5, 0x55)  \
		     ___bpfxx_reg_byte(6, 0x66) ___bpfxx_reg_byte(7, 0x77)  \
		     ___bpfxx_reg_byte(8, 0x88) ___bpfxx_reg_byte(9, 0x99)  \
		     ".short 1\n\t"                                         \
		     ".long %[as]"                                          \
		     : [reg] "+r"(var)                                      \
		     : [as] "i"(((dst_as) << 16) | (src_as)))

/* user-space form (address space 1) -> dereferenceable form (0) */
#define cast_kern(ptr) bpf_addr_space_cast(ptr, 0, 1)
/* dereferenceable form -> user-space form, e.g. before storing a pointer */
#define cast_user(ptr) bpf_addr_space_cast(ptr, 1, 0)

#endif

#if defined(__BPF_FEATURE_ADDR_SPACE_CAST) && !defined(BPF_ARENA_FORCE_ASM)

/* The arena kfuncs, declared exactly as a vmlinux.h with kfunc prototypes does. */

/*
 * Allocate page_cnt pages of the arena map (at addr if not NULL) on NUMA
 * node node_id; NULL on failure.
 */
void __arena *bpf_arena_alloc_pages(void *map, void __arena *addr, __u32 page_cnt,
				    int node_id, __u64 flags) __ksym __weak;
/* Free page_cnt pages starting at ptr. */
void bpf_arena_free_pages(void *map, void __arena *ptr, __u32 page_cnt) __ksym __weak;
/* Keep page_cnt pages at addr from being allocated (kernel 6.17+). */
int bpf_arena_reserve_pages(void *map, void __arena *addr, __u32 page_cnt) __ksym __weak;

#else

/*
 * With plain pointers the prototypes differ from the address-space-1 ones a
 * vmlinux.h may already declare, so they are declared under a ___plain
 * flavour (the loader resolves a kfunc by the name before "___") and the
 * usual names map to them.
 */
void *bpf_arena_alloc_pages___plain(void *map, void *addr, __u32 page_cnt, int node_id,
				    __u64 flags) __ksym __weak;
void bpf_arena_free_pages___plain(void *map, void *ptr, __u32 page_cnt) __ksym __weak;
int bpf_arena_reserve_pages___plain(void *map, void *addr, __u32 page_cnt) __ksym __weak;
#define bpf_arena_alloc_pages bpf_arena_alloc_pages___plain
#define bpf_arena_free_pages bpf_arena_free_pages___plain
#define bpf_arena_reserve_pages bpf_arena_reserve_pages___plain

#endif

#else /* compiled as user-space C */

#define __arena
#define __arena_global
#define __arg_arena
#define cast_kern(ptr) /* nothing to do in user space */
#define cast_user(ptr) /* nothing to do in user space */

#ifndef offsetof
#define offsetof(type, member) ((unsigned long)&((type *)0)->member)
#endif

#endif /* __BPF__ */

#endif /* __BPF_ARENA_COMMON_H__ */
