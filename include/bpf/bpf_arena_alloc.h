/* Part of bpfxx. BPF-side header, written for bpfxx. */
/*
 * <bpf/bpf_arena_alloc.h>: a small object allocator over arena pages.
 *
 *   void __arena *bpf_arena_alloc(unsigned int size);
 *   void bpf_arena_free(void __arena *ptr);
 *
 * Objects are carved from the current page, 8-byte aligned, front to back;
 * the first 8 bytes of each page count its live objects, and a page goes
 * back to the kernel when its count drops to zero. An object is at most
 * PAGE_SIZE - 8 bytes. The arena map is the one named by
 * BPF_ARENA_ALLOC_MAP (default: a map called "arena", defined by the
 * program before including this header).
 *
 * The allocator state is two global variables without locking: use it from
 * one program at a time (or under a lock).
 */
#ifndef __BPF_ARENA_ALLOC_H__
#define __BPF_ARENA_ALLOC_H__

#include "bpf_arena_common.h"

#ifndef BPF_ARENA_ALLOC_MAP
#define BPF_ARENA_ALLOC_MAP arena
#endif

/* the page objects are carved from, and the offset of its free space */
void __arena *__bpfxx_arena_page __weak;
__u32 __bpfxx_arena_used __weak;

/* low 32 bits of an arena address: equal in the user and kernel forms */
#define ___bpfxx_arena_lo32(p) ((__u32)(unsigned long)(p))

static inline void __arena *bpf_arena_alloc(unsigned int size)
{
	void __arena *page = __bpfxx_arena_page;
	__u64 __arena *count;
	__u32 used = 0;

	size = (size + 7) & ~7u;
	if (size == 0 || size > PAGE_SIZE - 8)
		return NULL;

	if (page) {
		cast_kern(page);
		used = __bpfxx_arena_used;
	}
	if (!page || used + size > PAGE_SIZE) {
		page = bpf_arena_alloc_pages(&BPF_ARENA_ALLOC_MAP, NULL, 1, NUMA_NO_NODE, 0);
		if (!page)
			return NULL;
		cast_kern(page);
		count = page;
		*count = 0;
		used = 8;
		__bpfxx_arena_page = page;
	}
	count = page;
	(*count)++;
	__bpfxx_arena_used = used + size;
	return page + used;
}

static inline void bpf_arena_free(void __arena *ptr)
{
	void __arena *page;
	__u64 __arena *count;

	if (!ptr)
		return;
	page = (void __arena *)((unsigned long)ptr & ~((unsigned long)PAGE_SIZE - 1));
	cast_kern(page);
	count = page;
	if (--(*count) != 0)
		return;
	/* the current page is emptied: start a fresh one next time */
	if (___bpfxx_arena_lo32(page) == ___bpfxx_arena_lo32(__bpfxx_arena_page))
		__bpfxx_arena_page = NULL;
	bpf_arena_free_pages(&BPF_ARENA_ALLOC_MAP, page, 1);
}

/* the names the kernel's BPF selftests use for the same allocator */
#ifndef bpf_alloc
#define bpf_alloc(size) bpf_arena_alloc(size)
#endif
#ifndef bpf_free
#define bpf_free(ptr) bpf_arena_free(ptr)
#endif

#endif /* __BPF_ARENA_ALLOC_H__ */
