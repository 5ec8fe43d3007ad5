/* Part of bpfxx. BPF-side header, written for bpfxx. */
/*
 * <bpf/bpf_helpers.h>: the basic vocabulary of a BPF program compiled with
 * clang -target bpf: section placement (SEC), map definition macros, the
 * attributes the loader and the verifier understand, printing, open-coded
 * loops, and every BPF helper (through bpf_helper_defs.h).
 *
 * Include vmlinux.h, or <linux/types.h> and <linux/bpf.h>, first: the helper
 * prototypes use the kernel's __u32/__u64 types and ctx structs.
 *
 * Macro names and meanings are those of libbpf's header of the same name, so
 * programs written for libbpf compile unchanged.
 */
#ifndef __BPF_HELPERS__
#define __BPF_HELPERS__

#include "bpf_helper_defs.h"

#if defined(__cplusplus) && !defined(_Static_assert)
#define _Static_assert static_assert
#endif

/* ------------------------------------------------------------------------
 * Map definitions (BTF-defined maps in SEC(".maps"))
 *
 *	struct {
 *		__uint(type, BPF_MAP_TYPE_HASH);
 *		__uint(max_entries, 1024);
 *		__type(key, __u32);
 *		__type(value, struct my_value);
 *	} my_map SEC(".maps");
 *
 * The loader reads the values back from BTF: __uint encodes a number as the
 * element count of the array type a member points to, __type records a type,
 * __array an array of map definitions or programs (map-in-map, prog arrays),
 * __ulong a 64-bit number as the value of an anonymous enumerator.
 * ------------------------------------------------------------------------ */
#define __uint(name, val) int (*name)[val]
#define __type(name, val) __typeof__(val) *name
#define __array(name, val) __typeof__(val) *name[]
#define __ulong(name, val) enum { ___bpf_concat(__bpfxx_ulong_, __COUNTER__) = (val) } name

#ifndef likely
#define likely(x) (__builtin_expect(!!(x), 1))
#endif
#ifndef unlikely
#define unlikely(x) (__builtin_expect(!!(x), 0))
#endif

/*
 * SEC(name) puts a program, map, variable or extern in ELF section name; the
 * section name of a program tells the loader its type and attach point.
 * clang warns about section attributes on extern declarations
 * (-Wignored-attributes); the warning is silenced around the attribute since
 * SEC(".maps") on an extern map is legitimate. GCC cannot take _Pragma
 * inside a declaration, so it gets the plain attribute.
 */
#if defined(__clang__)
#define SEC(name)                                                           \
	_Pragma("GCC diagnostic push")                                      \
	_Pragma("GCC diagnostic ignored \"-Wignored-attributes\"")          \
	__attribute__((section(name), used))                                \
	_Pragma("GCC diagnostic pop")
#else
#define SEC(name) __attribute__((section(name), used))
#endif

/* linux/stddef.h defines __always_inline without "inline"; ours has both. */
#undef __always_inline
#define __always_inline inline __attribute__((always_inline))

#ifndef __noinline
#define __noinline __attribute__((noinline))
#endif
#ifndef __weak
#define __weak __attribute__((weak))
#endif

/*
 * A global function with hidden visibility is not visible to other objects at
 * static-link time, so the verifier may check it in its caller's context (as
 * for a static function) rather than on its own.
 */
#ifndef __hidden
#define __hidden __attribute__((visibility("hidden")))
#endif

/* vmlinux.h users have no system headers: provide the usual small macros. */
#ifndef NULL
#ifdef __cplusplus
#define NULL nullptr
#else
#define NULL ((void *)0)
#endif
#endif

#ifndef KERNEL_VERSION
#define KERNEL_VERSION(a, b, c) (((a) << 16) + ((b) << 8) + ((c) > 255 ? 255 : (c)))
#endif

/*
 * offsetof() is redefined as an address computation on purpose: a member
 * access is what clang records as a CO-RE field relocation, whereas
 * __builtin_offsetof() folds to a constant the loader cannot fix up.
 */
#undef offsetof
#define offsetof(type, member) ((unsigned long)&((type *)0)->member)

#undef container_of
#define container_of(ptr, type, member)                                     \
	({                                                                  \
		void *__bpfxx_mptr = (void *)(ptr);                         \
		((type *)(__bpfxx_mptr - offsetof(type, member)));         \
	})

/* Compiler barrier: no memory access is moved across it. */
#ifndef barrier
#define barrier() asm volatile("" ::: "memory")
#endif

/*
 * barrier_var(v): the compiler must assume v was changed by an opaque
 * operation, so it stops carrying facts about v across this point (useful
 * when an optimisation produces code the verifier cannot follow, such as a
 * bounds check done on a different copy of the value).
 */
#ifndef barrier_var
#define barrier_var(var) asm volatile("" : "+r"(var))
#endif

/*
 * __bpf_unreachable() marks code that must be optimised away: the BPF
 * backend cannot lower __builtin_trap(), so if such code survives the build
 * fails instead of producing a program that misbehaves.
 */
#ifndef __bpf_unreachable
#define __bpf_unreachable() __builtin_trap()
#endif

/*
 * bpf_tail_call_static(ctx, prog_array, slot): tail call with a slot known at
 * compile time. The registers are loaded right before the call in one asm
 * block so every path reaches the call with the same constant index, which
 * lets the kernel patch the call into a direct jump.
 */
#if defined(__bpf__) && ((defined(__clang__) && __clang_major__ >= 8) || \
			 (!defined(__clang__) && __GNUC__ > 12))
static __always_inline void
bpf_tail_call_static(void *ctx, const void *map, const __u32 slot)
{
	if (!__builtin_constant_p(slot))
		__bpf_unreachable();

	/* r0-r5 are clobbered by any BPF call, used or not. */
	asm volatile("r1 = %[ctx]\n\t"
		     "r2 = %[map]\n\t"
		     "r3 = %[slot]\n\t"
		     "call 12"
		     :
		     : [ctx] "r"(ctx), [map] "r"(map), [slot] "i"(slot)
		     : "r0", "r1", "r2", "r3", "r4", "r5");
}
#endif

/* Values of __uint(pinning, ...) in a map definition. */
enum libbpf_pin_type {
	LIBBPF_PIN_NONE,
	LIBBPF_PIN_BY_NAME, /* pin under the pin root path by map name */
};

/* Value of an "extern enum libbpf_tristate CONFIG_X __kconfig;" tristate. */
enum libbpf_tristate {
	TRI_NO = 0,
	TRI_YES = 1,
	TRI_MODULE = 2,
};

/* ------------------------------------------------------------------------
 * Externs and BTF tags
 * ------------------------------------------------------------------------ */

/* extern filled by the loader from the kernel config or a virtual value */
#define __kconfig __attribute__((section(".kconfig")))
/* extern kernel variable or kfunc, resolved against kernel BTF or kallsyms */
#define __ksym __attribute__((section(".ksyms")))

/* Pointer-field tags for map values and allocated objects. */
#define __kptr_untrusted __attribute__((btf_type_tag("kptr_untrusted")))
#define __kptr __attribute__((btf_type_tag("kptr")))
#define __percpu_kptr __attribute__((btf_type_tag("percpu_kptr")))
#define __uptr __attribute__((btf_type_tag("uptr")))
#ifndef __rcu
#define __rcu __attribute__((btf_type_tag("rcu")))
#endif

/*
 * __contains(type, node_field): the bpf_list_head / bpf_rb_root this tags
 * holds objects of "struct type" linked through their node_field member.
 */
#ifndef __contains
#define __contains(name, node) __attribute__((btf_decl_tag("contains:" #name ":" #node)))
#endif

/*
 * Arena pointers live in address space 1 when clang supports it (clang 18+,
 * __BPF_FEATURE_ADDR_SPACE_CAST); the compiler then emits the address-space
 * casts itself. Otherwise __arena is empty and bpf_arena_common.h supplies
 * explicit casts. Define BPF_ARENA_FORCE_ASM to force the second form.
 */
#ifndef __arena
#if defined(__BPF_FEATURE_ADDR_SPACE_CAST) && !defined(BPF_ARENA_FORCE_ASM)
#define __arena __attribute__((address_space(1)))
#else
#define __arena
#endif
#endif

/*
 * Global-function argument tags: what the verifier may assume about an
 * argument of a global (separately verified) function.
 */
#define __arg_ctx __attribute__((btf_decl_tag("arg:ctx")))
#define __arg_nonnull __attribute__((btf_decl_tag("arg:nonnull")))
#define __arg_nullable __attribute__((btf_decl_tag("arg:nullable")))
#define __arg_trusted __attribute__((btf_decl_tag("arg:trusted")))
#define __arg_untrusted __attribute__((btf_decl_tag("arg:untrusted")))
#define __arg_arena __attribute__((btf_decl_tag("arg:arena")))

/*
 * bpf_ksym_exists(sym): whether the __weak __ksym extern sym (variable or
 * kfunc) was found in the running kernel. The loader turns the address into
 * 0 when it was not, and the verifier then discards the dead branch. A
 * non-weak extern would make the test a compile-time constant, so that is
 * rejected at build time.
 */
#if defined(__clang__)
#define bpf_ksym_exists(sym)                                                \
	({                                                                  \
		_Static_assert(!__builtin_constant_p(!!sym),                \
			       #sym " must be declared __weak");            \
		!!sym;                                                      \
	})
#elif __GNUC__ > 8
#define bpf_ksym_exists(sym)                                                \
	({                                                                  \
		_Static_assert(__builtin_has_attribute(*sym, __weak__),     \
			       #sym " must be declared __weak");            \
		!!sym;                                                      \
	})
#else
#define bpf_ksym_exists(sym) !!sym
#endif

/*
 * Virtual kconfig value set by the loader: true when the kernel's syscall
 * entry points take a single struct pt_regs * (CONFIG_ARCH_HAS_SYSCALL_WRAPPER).
 */
#ifdef __cplusplus
extern bool LINUX_HAS_SYSCALL_WRAPPER __kconfig;
#else
extern _Bool LINUX_HAS_SYSCALL_WRAPPER __kconfig;
#endif

/* ------------------------------------------------------------------------
 * Variadic-argument plumbing shared with bpf_tracing.h and usdt.bpf.h
 * ------------------------------------------------------------------------ */
#ifndef ___bpf_concat
#define ___bpf_concat(a, b) a##b
#endif
#ifndef ___bpf_apply
#define ___bpf_apply(fn, n) ___bpf_concat(fn, n)
#endif
/* ___bpf_narg(args...): number of arguments, 0 to 12 */
#ifndef ___bpf_nth
#define ___bpf_nth(_, _1, _2, _3, _4, _5, _6, _7, _8, _9, _a, _b, _c, N, ...) N
#endif
#ifndef ___bpf_narg
#define ___bpf_narg(...) ___bpf_nth(_, ##__VA_ARGS__, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0)
#endif

/* ___bpf_fill(arr, args...): arr[0] = first arg, arr[1] = second, ... */
#define ___bpf_fill0(arr, p, x) do {} while (0)
#define ___bpf_fill1(arr, p, x) arr[p] = x
#define ___bpf_fill2(arr, p, x, args...) arr[p] = x; ___bpf_fill1(arr, p + 1, args)
#define ___bpf_fill3(arr, p, x, args...) arr[p] = x; ___bpf_fill2(arr, p + 1, args)
#define ___bpf_fill4(arr, p, x, args...) arr[p] = x; ___bpf_fill3(arr, p + 1, args)
#define ___bpf_fill5(arr, p, x, args...) arr[p] = x; ___bpf_fill4(arr, p + 1, args)
#define ___bpf_fill6(arr, p, x, args...) arr[p] = x; ___bpf_fill5(arr, p + 1, args)
#define ___bpf_fill7(arr, p, x, args...) arr[p] = x; ___bpf_fill6(arr, p + 1, args)
#define ___bpf_fill8(arr, p, x, args...) arr[p] = x; ___bpf_fill7(arr, p + 1, args)
#define ___bpf_fill9(arr, p, x, args...) arr[p] = x; ___bpf_fill8(arr, p + 1, args)
#define ___bpf_fill10(arr, p, x, args...) arr[p] = x; ___bpf_fill9(arr, p + 1, args)
#define ___bpf_fill11(arr, p, x, args...) arr[p] = x; ___bpf_fill10(arr, p + 1, args)
#define ___bpf_fill12(arr, p, x, args...) arr[p] = x; ___bpf_fill11(arr, p + 1, args)
#define ___bpf_fill(arr, args...) ___bpf_apply(___bpf_fill, ___bpf_narg(args))(arr, 0, args)

/*
 * Packs the variadic arguments into a local u64 array __bpfxx_args and the
 * format into a read-only __bpfxx_fmt, then evaluates call. Pointers stored
 * into the integer array would warn (-Wint-conversion); that is intended.
 */
#define ___bpfxx_packed_call(fmt, call, args...)                            \
	({                                                                  \
		static const char __bpfxx_fmt[] = fmt;                      \
		unsigned long long __bpfxx_args[___bpf_narg(args)];         \
		_Pragma("GCC diagnostic push")                              \
		_Pragma("GCC diagnostic ignored \"-Wint-conversion\"")      \
		___bpf_fill(__bpfxx_args, args);                            \
		_Pragma("GCC diagnostic pop")                               \
		call;                                                       \
	})

/* ------------------------------------------------------------------------
 * Printing
 * ------------------------------------------------------------------------ */

/* BPF_SEQ_PRINTF(seq, fmt, args...): printf into a BPF iterator's seq_file. */
#define BPF_SEQ_PRINTF(seq, fmt, args...)                                   \
	___bpfxx_packed_call(fmt,                                           \
		bpf_seq_printf(seq, __bpfxx_fmt, sizeof(__bpfxx_fmt),       \
			       __bpfxx_args, sizeof(__bpfxx_args)), ##args)

/* BPF_SNPRINTF(out, out_size, fmt, args...): snprintf into a buffer. */
#define BPF_SNPRINTF(out, out_size, fmt, args...)                           \
	___bpfxx_packed_call(fmt,                                           \
		bpf_snprintf(out, out_size, __bpfxx_fmt,                    \
			     __bpfxx_args, sizeof(__bpfxx_args)), ##args)

/*
 * Formats are kept in .rodata unless the kernel lacks global data
 * (BPF_NO_GLOBAL_DATA), in which case they are built on the stack.
 */
#ifdef BPF_NO_GLOBAL_DATA
#define BPF_PRINTK_FMT_MOD
#else
#define BPF_PRINTK_FMT_MOD static const
#endif

/* Up to three arguments: bpf_trace_printk takes them in registers. */
#define __bpf_printk(fmt, ...)                                              \
	({                                                                  \
		BPF_PRINTK_FMT_MOD char __bpfxx_pfmt[] = fmt;               \
		bpf_trace_printk(__bpfxx_pfmt, sizeof(__bpfxx_pfmt),        \
				 ##__VA_ARGS__);                            \
	})

/* Any number of arguments, through bpf_trace_vprintk (kernel 5.16+). */
#define __bpf_vprintk(fmt, args...)                                         \
	___bpfxx_packed_call(fmt,                                           \
		bpf_trace_vprintk(__bpfxx_fmt, sizeof(__bpfxx_fmt),         \
				  __bpfxx_args, sizeof(__bpfxx_args)), ##args)

/* Picks __bpf_printk for 0..3 arguments and __bpf_vprintk beyond. */
#define ___bpf_pick_printk(...)                                             \
	___bpf_nth(_, ##__VA_ARGS__, __bpf_vprintk, __bpf_vprintk,          \
		   __bpf_vprintk, __bpf_vprintk, __bpf_vprintk,             \
		   __bpf_vprintk, __bpf_vprintk, __bpf_vprintk,             \
		   __bpf_vprintk, __bpf_printk, __bpf_printk, __bpf_printk, \
		   __bpf_printk)

/* bpf_printk(fmt, args...): debug output to the trace pipe. */
#define bpf_printk(fmt, args...) ___bpf_pick_printk(args)(fmt, ##args)

/*
 * BPF streams (kernel 6.17+): per-program text streams that user space reads
 * with bpf_prog_stream_read(). Stream ids: BPF_STDOUT and BPF_STDERR, which
 * vmlinux.h already declares (enum bpf_stream_id); they are declared here
 * only for programs built without vmlinux.h. Define BPF_NO_STREAM_IDS to
 * skip them.
 */
#if !defined(__VMLINUX_H__) && !defined(BPF_NO_STREAM_IDS)
enum bpf_stream_id {
	BPF_STDOUT = 1,
	BPF_STDERR = 2,
};
#endif

/*
 * The stream print kfunc changed between kernels, and all three forms are
 * declared weak so a program loads on each:
 *   7.0+:  bpf_stream_vprintk(id, fmt, args, len), the program implicit;
 *   6.18:  bpf_stream_vprintk_impl(id, fmt, args, len, aux__prog = NULL);
 *   6.17:  bpf_stream_vprintk with the 6.18 arguments, reached through the
 *          ___aux flavour (the loader drops a ___suffix when resolving).
 * The loader leaves a kfunc whose prototype does not match the kernel's
 * unresolved, and bpf_stream_printk() calls the first one that resolved.
 */
extern int bpf_stream_vprintk(int stream_id, const char *fmt__str, const void *args,
			      __u32 len__sz) __weak __ksym;
extern int bpf_stream_vprintk_impl(int stream_id, const char *fmt__str, const void *args,
				   __u32 len__sz, void *aux__prog) __weak __ksym;
extern int bpf_stream_vprintk___aux(int stream_id, const char *fmt__str, const void *args,
				    __u32 len__sz, void *aux__prog) __weak __ksym;

/*
 * bpf_stream_printk(stream_id, fmt, args...): printf into the program's
 * stream. Returns 0 or a negative error (-ENOENT when the kernel has no
 * stream support at all).
 */
#define bpf_stream_printk(stream_id, fmt, args...)                          \
	___bpfxx_packed_call(fmt,                                           \
		___bpfxx_stream_call(stream_id, __bpfxx_fmt, __bpfxx_args,  \
				     sizeof(__bpfxx_args)), ##args)

#define ___bpfxx_stream_call(id, f, a, sz)                                  \
	(bpf_ksym_exists(bpf_stream_vprintk)                                \
		 ? bpf_stream_vprintk((id), (f), (a), (sz))                 \
	 : bpf_ksym_exists(bpf_stream_vprintk_impl)                         \
		 ? bpf_stream_vprintk_impl((id), (f), (a), (sz), NULL)      \
	 : bpf_ksym_exists(bpf_stream_vprintk___aux)                        \
		 ? bpf_stream_vprintk___aux((id), (f), (a), (sz), NULL)     \
		 : -2 /* -ENOENT */)

/* ------------------------------------------------------------------------
 * Open-coded iterators and bounded loops
 * ------------------------------------------------------------------------ */

struct bpf_iter_num;

extern int bpf_iter_num_new(struct bpf_iter_num *it, int start, int end) __weak __ksym;
extern int *bpf_iter_num_next(struct bpf_iter_num *it) __weak __ksym;
extern void bpf_iter_num_destroy(struct bpf_iter_num *it) __weak __ksym;

/*
 * The loops below declare the iterator in the for-init clause with a cleanup
 * attribute, so the iterator is destroyed on every way out of the loop
 * (including break). The dummy pointer declared next to it runs the _new()
 * constructor exactly once; mentioning the _destroy function there also makes
 * clang emit BTF for it, which the cleanup attribute alone does not.
 */

/*
 * bpf_for_each(type, cur, args...): iterate with the kernel's open-coded
 * iterator bpf_iter_<type>, setting cur to each element in turn:
 *
 *	struct task_struct *task;
 *	bpf_for_each(task, task, NULL, BPF_TASK_ITER_ALL_PROCS) { ... }
 */
#ifndef bpf_for_each
#define bpf_for_each(type, cur, args...)                                    \
	for (struct bpf_iter_##type ___it                                   \
		     __attribute__((aligned(8), cleanup(bpf_iter_##type##_destroy))), \
	     *___p __attribute__((unused)) =                                \
		     (bpf_iter_##type##_new(&___it, ##args),                \
		      (void)bpf_iter_##type##_destroy, &___it);          \
	     (((cur) = bpf_iter_##type##_next(&___it)));)
#endif

/*
 * bpf_for(i, start, end): i runs from start up to end - 1. The verifier
 * knows start <= i < end inside the body, so i can index arrays directly.
 * start and end are evaluated more than once and must not change.
 */
#ifndef bpf_for
#define bpf_for(i, start, end)                                              \
	for (struct bpf_iter_num ___it                                      \
		     __attribute__((aligned(8), cleanup(bpf_iter_num_destroy))), \
	     *___p __attribute__((unused)) =                                \
		     (bpf_iter_num_new(&___it, (start), (end)),             \
		      (void)bpf_iter_num_destroy, &___it);               \
	     ({                                                             \
		     int *___t = bpf_iter_num_next(&___it);                 \
		     ___t && ((i) = *___t, (i) >= (start) && (i) < (end));  \
	     });)
#endif

/* bpf_repeat(n): run the body n times. */
#ifndef bpf_repeat
#define bpf_repeat(N)                                                       \
	for (struct bpf_iter_num ___it                                      \
		     __attribute__((aligned(8), cleanup(bpf_iter_num_destroy))), \
	     *___p __attribute__((unused)) =                                \
		     (bpf_iter_num_new(&___it, 0, (N)),                     \
		      (void)bpf_iter_num_destroy, &___it);               \
	     bpf_iter_num_next(&___it);)
#endif

/*
 * may_goto (kernel 6.9+) is a conditional jump the kernel takes once a
 * per-program loop budget is spent; the verifier therefore accepts loops
 * that contain one without proving they end.
 *
 *   can_loop               expression: true while the budget lasts
 *   cond_break             statement: break out of the enclosing loop
 *                          when the budget is spent
 *   cond_break_label(l)    statement: goto l when the budget is spent
 *
 * clang 19 and later assemble the may_goto mnemonic. For older compilers
 * the instruction (opcode 0xe5, BPF_JMP | BPF_JCOND) is written as data: its
 * 16-bit offset, counted in instructions after it, is emitted as part of a
 * 32-bit word because the BPF assembler treats 16-bit data fixups as jump
 * fixups and would rescale the value.
 */
#if defined(__BPF_FEATURE_MAY_GOTO) || (defined(__clang__) && __clang_major__ >= 19)
#define ___bpfxx_may_goto(label) asm volatile goto("may_goto %l[" #label "]" :::: label)
#elif __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define ___bpfxx_may_goto(label)                                            \
	asm volatile goto("1: .byte 0xe5\n\t"                              \
			  ".byte 0\n\t"                                    \
			  ".long ((%l[" #label "] - 1b - 8) / 8) & 0xffff\n\t" \
			  ".short 0" :::: label)
#else
#define ___bpfxx_may_goto(label)                                            \
	asm volatile goto("1: .byte 0xe5\n\t"                              \
			  ".byte 0\n\t"                                    \
			  ".long (((%l[" #label "] - 1b - 8) / 8) & 0xffff) << 16\n\t" \
			  ".short 0" :::: label)
#endif

#ifndef can_loop
#define can_loop                                                            \
	({                                                                  \
		__label__ __bpfxx_spent, __bpfxx_go_on;                     \
		int __bpfxx_more = 1;                                       \
		___bpfxx_may_goto(__bpfxx_spent);                           \
		goto __bpfxx_go_on;                                         \
	__bpfxx_spent:                                                      \
		__bpfxx_more = 0;                                           \
	__bpfxx_go_on:                                                      \
		__bpfxx_more;                                               \
	})
#endif

#ifndef cond_break
#define cond_break                                                          \
	({                                                                  \
		__label__ __bpfxx_spent, __bpfxx_go_on;                     \
		___bpfxx_may_goto(__bpfxx_spent);                           \
		goto __bpfxx_go_on;                                         \
	__bpfxx_spent:                                                      \
		break;                                                      \
	__bpfxx_go_on:;                                                     \
	})
#endif

#ifndef cond_break_label
#define cond_break_label(label)                                             \
	({                                                                  \
		__label__ __bpfxx_go_on;                                    \
		___bpfxx_may_goto(label);                                   \
		goto __bpfxx_go_on;                                         \
	__bpfxx_go_on:;                                                     \
	})
#endif

#endif /* __BPF_HELPERS__ */
