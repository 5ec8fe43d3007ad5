/* Part of bpfxx. BPF-side header, written for bpfxx. */
/*
 * <bpf/bpf_core_read.h>: CO-RE ("compile once, run everywhere") access to
 * kernel data. The macros use clang's BPF builtins, which record a
 * relocation for every field, type and enum value they name; the loader
 * rewrites the instruction for the running kernel's BTF.
 *
 * Macro names and meanings are those of libbpf's header of the same name.
 */
#ifndef __BPF_CORE_READ_H__
#define __BPF_CORE_READ_H__

/* Argument counting, also defined by bpf_helpers.h (identically). */
#ifndef ___bpf_concat
#define ___bpf_concat(a, b) a##b
#endif
#ifndef ___bpf_apply
#define ___bpf_apply(fn, n) ___bpf_concat(fn, n)
#endif
#ifndef ___bpf_nth
#define ___bpf_nth(_, _1, _2, _3, _4, _5, _6, _7, _8, _9, _a, _b, _c, N, ...) N
#endif
#ifndef ___bpf_narg
#define ___bpf_narg(...) ___bpf_nth(_, ##__VA_ARGS__, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0)
#endif

/* Second argument of __builtin_preserve_field_info(). */
enum bpf_field_info_kind {
	BPF_FIELD_BYTE_OFFSET = 0, /* offset of the field, in bytes */
	BPF_FIELD_BYTE_SIZE = 1,   /* size of the field (its storage unit for bitfields) */
	BPF_FIELD_EXISTS = 2,      /* 1 when the kernel has the field */
	BPF_FIELD_SIGNED = 3,      /* 1 when the field is signed */
	BPF_FIELD_LSHIFT_U64 = 4,  /* bitfield: left shift after a u64 load */
	BPF_FIELD_RSHIFT_U64 = 5,  /* bitfield: right shift after the left shift */
};

/* Second argument of __builtin_btf_type_id(). */
enum bpf_type_id_kind {
	BPF_TYPE_ID_LOCAL = 0,  /* id in the program's own BTF */
	BPF_TYPE_ID_TARGET = 1, /* id in the kernel's BTF (0 if absent) */
};

/* Second argument of __builtin_preserve_type_info(). */
enum bpf_type_info_kind {
	BPF_TYPE_EXISTS = 0,  /* the kernel has a type of that name and kind */
	BPF_TYPE_SIZE = 1,    /* its size in the kernel */
	BPF_TYPE_MATCHES = 2, /* it also matches the local definition */
};

/* Second argument of __builtin_preserve_enum_value(). */
enum bpf_enum_value_kind {
	BPF_ENUMVAL_EXISTS = 0, /* the kernel's enum has that enumerator */
	BPF_ENUMVAL_VALUE = 1,  /* its value in the kernel */
};

/* ------------------------------------------------------------------------
 * Bitfields
 * ------------------------------------------------------------------------ */

#define ___bpfxx_field_info(s, field, kind) \
	__builtin_preserve_field_info((s)->field, BPF_FIELD_##kind)

/*
 * Loading the storage unit of a bitfield into a u64 and applying the
 * LSHIFT_U64 / RSHIFT_U64 relocations leaves the field's value, sign-extended
 * when SIGNED says so. The relocations assume the bytes sit at the low end of
 * the u64, so a big-endian target reads into its last bytes.
 */
#define ___bpfxx_bitfield_extract(v, s, field)                              \
	({                                                                  \
		(v) <<= ___bpfxx_field_info(s, field, LSHIFT_U64);          \
		if (___bpfxx_field_info(s, field, SIGNED))                  \
			(v) = (unsigned long long)((long long)(v) >>        \
				___bpfxx_field_info(s, field, RSHIFT_U64)); \
		else                                                        \
			(v) >>= ___bpfxx_field_info(s, field, RSHIFT_U64);  \
		(v);                                                        \
	})

#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define ___bpfxx_bitfield_dst(dst, s, field) ((void *)(dst))
#else
#define ___bpfxx_bitfield_dst(dst, s, field) \
	((void *)(dst) + (8 - ___bpfxx_field_info(s, field, BYTE_SIZE)))
#endif

/*
 * BPF_CORE_READ_BITFIELD_PROBED(s, field): value of bitfield s->field as a
 * u64, read with bpf_probe_read_kernel() (for programs that may not
 * dereference kernel pointers directly).
 */
#define BPF_CORE_READ_BITFIELD_PROBED(s, field)                             \
	({                                                                  \
		unsigned long long __bpfxx_v = 0;                           \
		bpf_probe_read_kernel(___bpfxx_bitfield_dst(&__bpfxx_v, s, field), \
				      ___bpfxx_field_info(s, field, BYTE_SIZE), \
				      (const void *)(s) +                   \
				      ___bpfxx_field_info(s, field, BYTE_OFFSET)); \
		___bpfxx_bitfield_extract(__bpfxx_v, s, field);             \
	})

/*
 * BPF_CORE_READ_BITFIELD(s, field): the same with a direct load, for
 * programs whose context allows it (tp_btf, fentry, struct_ops ...).
 * The offset is computed once (the empty asm hides it from the optimiser,
 * which would otherwise repeat the relocation in each switch arm).
 */
#define BPF_CORE_READ_BITFIELD(s, field)                                    \
	({                                                                  \
		const void *__bpfxx_p = (const void *)(s) +                 \
			___bpfxx_field_info(s, field, BYTE_OFFSET);         \
		unsigned long long __bpfxx_v = 0;                           \
		asm volatile("" : "+r"(__bpfxx_p));                         \
		switch (___bpfxx_field_info(s, field, BYTE_SIZE)) {         \
		case 1: __bpfxx_v = *(const unsigned char *)__bpfxx_p; break; \
		case 2: __bpfxx_v = *(const unsigned short *)__bpfxx_p; break; \
		case 4: __bpfxx_v = *(const unsigned int *)__bpfxx_p; break; \
		case 8: __bpfxx_v = *(const unsigned long long *)__bpfxx_p; break; \
		}                                                           \
		___bpfxx_bitfield_extract(__bpfxx_v, s, field);             \
	})

/*
 * BPF_CORE_WRITE_BITFIELD(s, field, new_val): store new_val into bitfield
 * s->field with a read-modify-write of its storage unit.
 */
#define BPF_CORE_WRITE_BITFIELD(s, field, new_val)                          \
	({                                                                  \
		void *__bpfxx_p = (void *)(s) +                             \
			___bpfxx_field_info(s, field, BYTE_OFFSET);         \
		unsigned int __bpfxx_size = ___bpfxx_field_info(s, field, BYTE_SIZE); \
		unsigned int __bpfxx_lsh = ___bpfxx_field_info(s, field, LSHIFT_U64); \
		unsigned int __bpfxx_rsh = ___bpfxx_field_info(s, field, RSHIFT_U64); \
		unsigned long long __bpfxx_mask, __bpfxx_old = 0, __bpfxx_new; \
		asm volatile("" : "+r"(__bpfxx_p));                         \
		switch (__bpfxx_size) {                                     \
		case 1: __bpfxx_old = *(unsigned char *)__bpfxx_p; break;   \
		case 2: __bpfxx_old = *(unsigned short *)__bpfxx_p; break;  \
		case 4: __bpfxx_old = *(unsigned int *)__bpfxx_p; break;    \
		case 8: __bpfxx_old = *(unsigned long long *)__bpfxx_p; break; \
		}                                                           \
		/* the field's bits within the loaded unit */               \
		__bpfxx_mask = (~0ULL << __bpfxx_rsh) >> __bpfxx_lsh;       \
		__bpfxx_new = (unsigned long long)(new_val);                \
		__bpfxx_new = (__bpfxx_new << (__bpfxx_rsh - __bpfxx_lsh)) & __bpfxx_mask; \
		__bpfxx_old = (__bpfxx_old & ~__bpfxx_mask) | __bpfxx_new;  \
		switch (__bpfxx_size) {                                     \
		case 1: *(unsigned char *)__bpfxx_p = __bpfxx_old; break;   \
		case 2: *(unsigned short *)__bpfxx_p = __bpfxx_old; break;  \
		case 4: *(unsigned int *)__bpfxx_p = __bpfxx_old; break;    \
		case 8: *(unsigned long long *)__bpfxx_p = __bpfxx_old; break; \
		}                                                           \
	})

/* ------------------------------------------------------------------------
 * Field, type and enum relocations
 * ------------------------------------------------------------------------ */

/* A field named either as an expression (p->f) or as (type, f). */
#define ___bpfxx_field_ref1(field) (field)
#define ___bpfxx_field_ref2(type, field) (((__typeof__(type) *)0)->field)
#define ___bpfxx_field_ref(args...) \
	___bpf_apply(___bpfxx_field_ref, ___bpf_narg(args))(args)

/* bpf_core_field_exists(p->f) or (type, f): 1 if the kernel has the field. */
#define bpf_core_field_exists(field...) \
	__builtin_preserve_field_info(___bpfxx_field_ref(field), BPF_FIELD_EXISTS)

/* bpf_core_field_size(p->f) or (type, f): the field's size in the kernel. */
#define bpf_core_field_size(field...) \
	__builtin_preserve_field_info(___bpfxx_field_ref(field), BPF_FIELD_BYTE_SIZE)

/* bpf_core_field_offset(p->f) or (type, f): its byte offset in the kernel. */
#define bpf_core_field_offset(field...) \
	__builtin_preserve_field_info(___bpfxx_field_ref(field), BPF_FIELD_BYTE_OFFSET)

/* bpf_core_type_id_local(type): id of type in the program's BTF. */
#define bpf_core_type_id_local(type) \
	__builtin_btf_type_id(*(__typeof__(type) *)0, BPF_TYPE_ID_LOCAL)

/* bpf_core_type_id_kernel(type): id of the matching kernel type, or 0. */
#define bpf_core_type_id_kernel(type) \
	__builtin_btf_type_id(*(__typeof__(type) *)0, BPF_TYPE_ID_TARGET)

/* bpf_core_type_exists(type): 1 if the kernel has a type of that name. */
#define bpf_core_type_exists(type) \
	__builtin_preserve_type_info(*(__typeof__(type) *)0, BPF_TYPE_EXISTS)

/*
 * bpf_core_type_matches(type): 1 if the kernel's type matches the local one
 * (same kind, and for structs every local member present with a matching
 * type). The relocation exists from clang 15 on; older compilers would crash
 * on it, so using it there is a compile error instead.
 */
#if defined(__clang__) && __clang_major__ < 15
#define bpf_core_type_matches(type) \
	({ _Pragma("GCC error \"bpf_core_type_matches() needs clang 15 or later\"") 0; })
#else
#define bpf_core_type_matches(type) \
	__builtin_preserve_type_info(*(__typeof__(type) *)0, BPF_TYPE_MATCHES)
#endif

/* bpf_core_type_size(type): size of the kernel's type, or 0. */
#define bpf_core_type_size(type) \
	__builtin_preserve_type_info(*(__typeof__(type) *)0, BPF_TYPE_SIZE)

/* bpf_core_enum_value_exists(enum e, E_VAL): 1 if the kernel's enum has E_VAL. */
#define bpf_core_enum_value_exists(enum_type, enum_value) \
	__builtin_preserve_enum_value(*(__typeof__(enum_type) *)enum_value, BPF_ENUMVAL_EXISTS)

/* bpf_core_enum_value(enum e, E_VAL): value of E_VAL in the kernel (0 if absent). */
#define bpf_core_enum_value(enum_type, enum_value) \
	__builtin_preserve_enum_value(*(__typeof__(enum_type) *)enum_value, BPF_ENUMVAL_VALUE)

/*
 * bpf_core_cast(ptr, type): view ptr as a kernel "type *" the program may
 * read directly (not write); the verifier checks the accesses against the
 * kernel's BTF of type. Uses the bpf_rdonly_cast kfunc (kernel 6.2+).
 */
extern void *bpf_rdonly_cast(const void *obj, __u32 btf_id) __ksym __weak;

#define bpf_core_cast(ptr, type) \
	((__typeof__(type) *)bpf_rdonly_cast((ptr), bpf_core_type_id_kernel(type)))

/* ------------------------------------------------------------------------
 * Relocatable probe reads
 * ------------------------------------------------------------------------ */

/*
 * bpf_core_read(dst, sz, src): bpf_probe_read_kernel() of src, where src is
 * the address of a kernel field (&p->f) whose offset gets relocated.
 */
#define bpf_core_read(dst, sz, src) \
	bpf_probe_read_kernel(dst, sz, (const void *)__builtin_preserve_access_index(src))

/* The same from user memory; the types must still be kernel types. */
#define bpf_core_read_user(dst, sz, src) \
	bpf_probe_read_user(dst, sz, (const void *)__builtin_preserve_access_index(src))

/* String variants: bpf_probe_read_{kernel,user}_str() of a relocated address. */
#define bpf_core_read_str(dst, sz, src) \
	bpf_probe_read_kernel_str(dst, sz, (const void *)__builtin_preserve_access_index(src))
#define bpf_core_read_user_str(dst, sz, src) \
	bpf_probe_read_user_str(dst, sz, (const void *)__builtin_preserve_access_index(src))

/*
 * Pointer chains. BPF_CORE_READ(s, a, b.c, d) reads s->a, then ->b.c of that,
 * then ->d of that, each hop a separate probe read of a relocated field. Up
 * to 9 accessors are supported. The machinery below splits the accessor list:
 * ___bpfxx_init(list) is all but the last accessor, ___bpfxx_last(list) the
 * last, ___bpfxx_chain(list) writes them joined with ->, so that
 * __typeof__(___bpfxx_chain(src, accessors)) is the type at each step.
 */
#define ___bpfxx_nth10(_1, _2, _3, _4, _5, _6, _7, _8, _9, _10, _11, N, ...) N
#define ___bpfxx_count(...) \
	___bpfxx_nth10(_, ##__VA_ARGS__, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0)
/* "M" when at least one argument is given, "0" otherwise */
#define ___bpfxx_more(...) \
	___bpfxx_nth10(_, ##__VA_ARGS__, M, M, M, M, M, M, M, M, M, M, 0)

#define ___bpfxx_last1(a) a
#define ___bpfxx_last2(a, b) b
#define ___bpfxx_last3(a, b, c) c
#define ___bpfxx_last4(a, b, c, d) d
#define ___bpfxx_last5(a, b, c, d, e) e
#define ___bpfxx_last6(a, b, c, d, e, f) f
#define ___bpfxx_last7(a, b, c, d, e, f, g) g
#define ___bpfxx_last8(a, b, c, d, e, f, g, h) h
#define ___bpfxx_last9(a, b, c, d, e, f, g, h, i) i
#define ___bpfxx_last10(a, b, c, d, e, f, g, h, i, j) j
#define ___bpfxx_last(...) ___bpf_apply(___bpfxx_last, ___bpfxx_count(__VA_ARGS__))(__VA_ARGS__)

#define ___bpfxx_init2(a, b) a
#define ___bpfxx_init3(a, b, c) a, b
#define ___bpfxx_init4(a, b, c, d) a, b, c
#define ___bpfxx_init5(a, b, c, d, e) a, b, c, d
#define ___bpfxx_init6(a, b, c, d, e, f) a, b, c, d, e
#define ___bpfxx_init7(a, b, c, d, e, f, g) a, b, c, d, e, f
#define ___bpfxx_init8(a, b, c, d, e, f, g, h) a, b, c, d, e, f, g
#define ___bpfxx_init9(a, b, c, d, e, f, g, h, i) a, b, c, d, e, f, g, h
#define ___bpfxx_init10(a, b, c, d, e, f, g, h, i, j) a, b, c, d, e, f, g, h, i
#define ___bpfxx_init(...) ___bpf_apply(___bpfxx_init, ___bpfxx_count(__VA_ARGS__))(__VA_ARGS__)

#define ___bpfxx_chain1(a) a
#define ___bpfxx_chain2(a, b) a->b
#define ___bpfxx_chain3(a, b, c) a->b->c
#define ___bpfxx_chain4(a, b, c, d) a->b->c->d
#define ___bpfxx_chain5(a, b, c, d, e) a->b->c->d->e
#define ___bpfxx_chain6(a, b, c, d, e, f) a->b->c->d->e->f
#define ___bpfxx_chain7(a, b, c, d, e, f, g) a->b->c->d->e->f->g
#define ___bpfxx_chain8(a, b, c, d, e, f, g, h) a->b->c->d->e->f->g->h
#define ___bpfxx_chain9(a, b, c, d, e, f, g, h, i) a->b->c->d->e->f->g->h->i
#define ___bpfxx_chain10(a, b, c, d, e, f, g, h, i, j) a->b->c->d->e->f->g->h->i->j
#define ___bpfxx_chain(...) ___bpf_apply(___bpfxx_chain, ___bpfxx_count(__VA_ARGS__))(__VA_ARGS__)

/* type reached by following the accessors from src */
#define ___bpfxx_type(...) __typeof__(___bpfxx_chain(__VA_ARGS__))

/* one hop: read fld of (*(type)(from)) into *(dst) with read_fn */
#define ___bpfxx_hop(read_fn, dst, type, from, fld) \
	read_fn((void *)(dst), sizeof(*(dst)), &((type)(from))->fld)

/*
 * Follow the pointer hops of src->a1->...->an (all but the final read),
 * leaving the last pointer in __bpfxx_t. ___bpfxx_walkN emits N hops: the
 * first from src, each later one from __bpfxx_t.
 */
#define ___bpfxx_walk_first(fn, src, a) \
	___bpfxx_hop(fn, &__bpfxx_t, ___bpfxx_type(src), src, a);
#define ___bpfxx_walk_next(fn, ...) \
	___bpfxx_hop(fn, &__bpfxx_t, ___bpfxx_type(___bpfxx_init(__VA_ARGS__)), \
		     __bpfxx_t, ___bpfxx_last(__VA_ARGS__));
#define ___bpfxx_walk1(fn, ...) const void *__bpfxx_t; ___bpfxx_walk_first(fn, __VA_ARGS__)
#define ___bpfxx_walk2(fn, ...) ___bpfxx_walk1(fn, ___bpfxx_init(__VA_ARGS__)) ___bpfxx_walk_next(fn, __VA_ARGS__)
#define ___bpfxx_walk3(fn, ...) ___bpfxx_walk2(fn, ___bpfxx_init(__VA_ARGS__)) ___bpfxx_walk_next(fn, __VA_ARGS__)
#define ___bpfxx_walk4(fn, ...) ___bpfxx_walk3(fn, ___bpfxx_init(__VA_ARGS__)) ___bpfxx_walk_next(fn, __VA_ARGS__)
#define ___bpfxx_walk5(fn, ...) ___bpfxx_walk4(fn, ___bpfxx_init(__VA_ARGS__)) ___bpfxx_walk_next(fn, __VA_ARGS__)
#define ___bpfxx_walk6(fn, ...) ___bpfxx_walk5(fn, ___bpfxx_init(__VA_ARGS__)) ___bpfxx_walk_next(fn, __VA_ARGS__)
#define ___bpfxx_walk7(fn, ...) ___bpfxx_walk6(fn, ___bpfxx_init(__VA_ARGS__)) ___bpfxx_walk_next(fn, __VA_ARGS__)
#define ___bpfxx_walk8(fn, ...) ___bpfxx_walk7(fn, ___bpfxx_init(__VA_ARGS__)) ___bpfxx_walk_next(fn, __VA_ARGS__)
#define ___bpfxx_walk9(fn, ...) ___bpfxx_walk8(fn, ___bpfxx_init(__VA_ARGS__)) ___bpfxx_walk_next(fn, __VA_ARGS__)
/* the list given is (src, a1, ..., ak): k hops */
#define ___bpfxx_walk(fn, src, ...) \
	___bpf_apply(___bpfxx_walk, ___bpfxx_count(__VA_ARGS__))(fn, src, __VA_ARGS__)

/* single accessor: one read straight from src */
#define ___bpfxx_read_chain0(fn, fn_ptr, dst, src, a) \
	___bpfxx_hop(fn, dst, ___bpfxx_type(src), src, a);
/* several: walk the pointers with fn_ptr, then read the last field with fn */
#define ___bpfxx_read_chainM(fn, fn_ptr, dst, src, ...)                      \
	___bpfxx_walk(fn_ptr, src, ___bpfxx_init(__VA_ARGS__))               \
	___bpfxx_hop(fn, dst, ___bpfxx_type(src, ___bpfxx_init(__VA_ARGS__)), \
		     __bpfxx_t, ___bpfxx_last(__VA_ARGS__));
#define ___bpfxx_read_chain(fn, fn_ptr, dst, src, a, ...)                    \
	___bpf_apply(___bpfxx_read_chain, ___bpfxx_more(__VA_ARGS__))(        \
		fn, fn_ptr, dst, src, a, ##__VA_ARGS__)

/*
 * BPF_CORE_READ_INTO(&dst, src, a, ...): follow the chain and read its final
 * field into dst; returns the last read's result (0 or a negative error).
 */
#define BPF_CORE_READ_INTO(dst, src, a, ...) \
	({ ___bpfxx_read_chain(bpf_core_read, bpf_core_read, dst, (src), a, ##__VA_ARGS__) })

/* The same reading user memory (kernel types only). */
#define BPF_CORE_READ_USER_INTO(dst, src, a, ...) \
	({ ___bpfxx_read_chain(bpf_core_read_user, bpf_core_read_user, dst, (src), a, ##__VA_ARGS__) })

/* Without CO-RE relocations: plain probe reads, any types. */
#define BPF_PROBE_READ_INTO(dst, src, a, ...) \
	({ ___bpfxx_read_chain(bpf_probe_read_kernel, bpf_probe_read_kernel, dst, (src), a, ##__VA_ARGS__) })
#define BPF_PROBE_READ_USER_INTO(dst, src, a, ...) \
	({ ___bpfxx_read_chain(bpf_probe_read_user, bpf_probe_read_user, dst, (src), a, ##__VA_ARGS__) })

/* Chain of pointers, then a string read of the last field into dst. */
#define BPF_CORE_READ_STR_INTO(dst, src, a, ...) \
	({ ___bpfxx_read_chain(bpf_core_read_str, bpf_core_read, dst, (src), a, ##__VA_ARGS__) })
#define BPF_CORE_READ_USER_STR_INTO(dst, src, a, ...) \
	({ ___bpfxx_read_chain(bpf_core_read_user_str, bpf_core_read_user, dst, (src), a, ##__VA_ARGS__) })
#define BPF_PROBE_READ_STR_INTO(dst, src, a, ...) \
	({ ___bpfxx_read_chain(bpf_probe_read_kernel_str, bpf_probe_read_kernel, dst, (src), a, ##__VA_ARGS__) })
#define BPF_PROBE_READ_USER_STR_INTO(dst, src, a, ...) \
	({ ___bpfxx_read_chain(bpf_probe_read_user_str, bpf_probe_read_user, dst, (src), a, ##__VA_ARGS__) })

/*
 * BPF_CORE_READ(src, a, ...): value of src->a->... as an expression, e.g.
 * BPF_CORE_READ(task, real_parent, tgid). A failed read yields zero bytes
 * from the helper, never garbage.
 */
#define BPF_CORE_READ(src, a, ...)                                          \
	({                                                                  \
		___bpfxx_type((src), a, ##__VA_ARGS__) __bpfxx_r;           \
		BPF_CORE_READ_INTO(&__bpfxx_r, (src), a, ##__VA_ARGS__);    \
		__bpfxx_r;                                                  \
	})

/* The same from user memory (kernel types only). */
#define BPF_CORE_READ_USER(src, a, ...)                                     \
	({                                                                  \
		___bpfxx_type((src), a, ##__VA_ARGS__) __bpfxx_r;           \
		BPF_CORE_READ_USER_INTO(&__bpfxx_r, (src), a, ##__VA_ARGS__); \
		__bpfxx_r;                                                  \
	})

/* Without CO-RE relocations, any types. */
#define BPF_PROBE_READ(src, a, ...)                                         \
	({                                                                  \
		___bpfxx_type((src), a, ##__VA_ARGS__) __bpfxx_r;           \
		BPF_PROBE_READ_INTO(&__bpfxx_r, (src), a, ##__VA_ARGS__);   \
		__bpfxx_r;                                                  \
	})
#define BPF_PROBE_READ_USER(src, a, ...)                                    \
	({                                                                  \
		___bpfxx_type((src), a, ##__VA_ARGS__) __bpfxx_r;           \
		BPF_PROBE_READ_USER_INTO(&__bpfxx_r, (src), a, ##__VA_ARGS__); \
		__bpfxx_r;                                                  \
	})

#endif /* __BPF_CORE_READ_H__ */
