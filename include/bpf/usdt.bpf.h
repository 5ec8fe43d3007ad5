/* Part of bpfxx. BPF-side header, written for bpfxx. */
/*
 * <bpf/usdt.bpf.h>: the BPF side of USDT (user statically-defined tracing)
 * probes, attached with bpf_program__attach_usdt().
 *
 * When a program is attached to a USDT probe the loader parses the probe's
 * argument descriptions from the target's .note.stapsdt ELF note (e.g.
 * "-4@%eax 8@-16(%rbp)") into a spec stored in the __bpf_usdt_specs map,
 * and gives the attachment the spec's index as its BPF cookie (or, on
 * kernels without cookies, records probe address -> index in
 * __bpf_usdt_ip_to_spec_id). The functions below read that spec to fetch
 * argument values from the probed registers and memory.
 *
 * The maps' names and the spec layout are an interface between this header
 * and the loader's USDT code: they match libbpf 1.7+'s, so objects built
 * with either library's header work with either loader (bpfxx's loader
 * also accepts objects built with libbpf <= 1.6's smaller spec).
 *
 *   bpf_usdt_arg_cnt(ctx)            number of arguments of the probe
 *   bpf_usdt_arg_size(ctx, n)        size in bytes of argument n
 *   bpf_usdt_arg(ctx, n, &value)     value of argument n, as a long
 *   bpf_usdt_cookie(ctx)             the cookie given at attach time
 *   BPF_USDT(name, args...)          program wrapper with typed arguments
 */
#ifndef __USDT_BPF_H__
#define __USDT_BPF_H__

#include "bpf_helpers.h"
#include "bpf_tracing.h"

/* errno values returned below (kept here so no system header is needed) */
#ifndef ENOENT
#define ENOENT 2
#endif
#ifndef ESRCH
#define ESRCH 3
#endif
#ifndef EINVAL
#define EINVAL 22
#endif

/* Capacity of the spec map; raise it when attaching to many probes. */
#ifndef BPF_USDT_MAX_SPEC_CNT
#define BPF_USDT_MAX_SPEC_CNT 256
#endif
/* Capacity of the address map (only used on kernels without BPF cookies). */
#ifndef BPF_USDT_MAX_IP_CNT
#define BPF_USDT_MAX_IP_CNT (4 * BPF_USDT_MAX_SPEC_CNT)
#endif

/* Where an argument's value is found. */
enum __bpf_usdt_arg_type {
	BPF_USDT_ARG_CONST,     /* the value is val_off itself */
	BPF_USDT_ARG_REG,       /* in the register at reg_off of pt_regs */
	BPF_USDT_ARG_REG_DEREF, /* in user memory at (register + val_off) */
	BPF_USDT_ARG_SIB,       /* in user memory at base + (index << scale) + val_off */
};

/*
 * One argument, 24 bytes: libbpf 1.7's layout, which bpfxx follows. Its
 * 16-bit bitfields cannot share the 8-bit arg_type's first 16-bit unit,
 * so idx_reg_off and scale_bitshift form the u16 at byte 10 and reg_off
 * moves to byte 14. The loader also accepts objects built with the older
 * 16-byte argument (208-byte __bpf_usdt_spec) and fills in whichever
 * layout the object's __bpf_usdt_specs map has.
 */
struct __bpf_usdt_arg_spec {
	__u64 val_off;
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	enum __bpf_usdt_arg_type arg_type : 8;
	__u16 idx_reg_off : 12;    /* SIB index register's offset in pt_regs */
	__u16 scale_bitshift : 4;  /* SIB scale as a shift */
	__u8 __reserved : 8;
#else
	__u8 __reserved : 8;
	__u16 idx_reg_off : 12;
	__u16 scale_bitshift : 4;
	enum __bpf_usdt_arg_type arg_type : 8;
#endif
	short reg_off;     /* offset of the (base) register in struct pt_regs */
	_Bool arg_signed;  /* sign-extend the value */
	char arg_bitshift; /* 64 - 8 * size: bits to clear above the value */
};

/* Upper bound on the arguments of one probe (the loader uses the same). */
#define BPF_USDT_MAX_ARG_CNT 12

struct __bpf_usdt_spec {
	struct __bpf_usdt_arg_spec args[BPF_USDT_MAX_ARG_CNT];
	__u64 usdt_cookie;
	short arg_cnt;
};

/* Weak, so every object of a program that includes this header shares one. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, BPF_USDT_MAX_SPEC_CNT);
	__type(key, int);
	__type(value, struct __bpf_usdt_spec);
} __bpf_usdt_specs SEC(".maps") __weak;

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, BPF_USDT_MAX_IP_CNT);
	__type(key, long);
	__type(value, __u32);
} __bpf_usdt_ip_to_spec_id SEC(".maps") __weak;

/* Virtual kconfig value set by the loader: the kernel supports BPF cookies. */
extern const _Bool LINUX_HAS_BPF_COOKIE __kconfig;

/* Index of the current probe's spec, or -ESRCH. */
static __always_inline int __bpf_usdt_spec_id(struct pt_regs *ctx)
{
	if (LINUX_HAS_BPF_COOKIE)
		return bpf_get_attach_cookie(ctx);
	{
		long ip = PT_REGS_IP(ctx);
		int *id = bpf_map_lookup_elem(&__bpf_usdt_ip_to_spec_id, &ip);

		return id ? *id : -ESRCH;
	}
}

/* The current probe's spec, or NULL. */
static __always_inline struct __bpf_usdt_spec *__bpf_usdt_spec(struct pt_regs *ctx)
{
	int id = __bpf_usdt_spec_id(ctx);

	if (id < 0)
		return NULL;
	return bpf_map_lookup_elem(&__bpf_usdt_specs, &id);
}

/* Number of arguments of the probe being traced, or a negative error. */
__weak __hidden int bpf_usdt_arg_cnt(struct pt_regs *ctx)
{
	struct __bpf_usdt_spec *spec = __bpf_usdt_spec(ctx);

	if (!spec)
		return -ESRCH;
	return spec->arg_cnt;
}

/* Size in bytes of argument arg_num (from 0), or a negative error. */
static __always_inline int bpf_usdt_arg_size(struct pt_regs *ctx, __u64 arg_num)
{
	struct __bpf_usdt_spec *spec = __bpf_usdt_spec(ctx);

	if (!spec)
		return -ESRCH;
	if (arg_num >= BPF_USDT_MAX_ARG_CNT)
		return -ENOENT;
	/* keep the verifier's bound on arg_num from the check above */
	barrier_var(arg_num);
	if (arg_num >= (__u64)spec->arg_cnt)
		return -ENOENT;
	return (unsigned int)(64 - spec->args[arg_num].arg_bitshift) / 8;
}

/*
 * Stores argument arg_num (from 0) of the probe, widened to a long, in *res.
 * Returns 0, or a negative error with *res set to 0.
 */
__weak __hidden int bpf_usdt_arg(struct pt_regs *ctx, __u64 arg_num, long *res)
{
	struct __bpf_usdt_spec *spec;
	struct __bpf_usdt_arg_spec *arg;
	unsigned long val, idx;
	int err;

	*res = 0;
	spec = __bpf_usdt_spec(ctx);
	if (!spec)
		return -ESRCH;
	if (arg_num >= BPF_USDT_MAX_ARG_CNT)
		return -ENOENT;
	barrier_var(arg_num);
	if (arg_num >= (__u64)spec->arg_cnt)
		return -ENOENT;
	arg = &spec->args[arg_num];

	switch (arg->arg_type) {
	case BPF_USDT_ARG_CONST:
		val = arg->val_off;
		break;
	case BPF_USDT_ARG_REG:
		err = bpf_probe_read_kernel(&val, sizeof(val), (void *)ctx + arg->reg_off);
		if (err)
			return err;
		break;
	case BPF_USDT_ARG_REG_DEREF:
		err = bpf_probe_read_kernel(&val, sizeof(val), (void *)ctx + arg->reg_off);
		if (err)
			return err;
		err = bpf_probe_read_user(&val, sizeof(val), (void *)(val + arg->val_off));
		if (err)
			return err;
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
		/* a narrow value read into a u64 sits in its high bytes */
		val >>= arg->arg_bitshift;
#endif
		break;
	case BPF_USDT_ARG_SIB:
		err = bpf_probe_read_kernel(&val, sizeof(val), (void *)ctx + arg->reg_off);
		if (err)
			return err;
		err = bpf_probe_read_kernel(&idx, sizeof(idx), (void *)ctx + arg->idx_reg_off);
		if (err)
			return err;
		err = bpf_probe_read_user(&val, sizeof(val),
					  (void *)(val + (idx << arg->scale_bitshift) + arg->val_off));
		if (err)
			return err;
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
		val >>= arg->arg_bitshift;
#endif
		break;
	default:
		return -EINVAL;
	}

	/* keep the low (64 - arg_bitshift) bits, sign- or zero-extended */
	val <<= arg->arg_bitshift;
	if (arg->arg_signed)
		val = (unsigned long)((long)val >> arg->arg_bitshift);
	else
		val >>= arg->arg_bitshift;
	*res = (long)val;
	return 0;
}

/*
 * The cookie given in bpf_usdt_opts.usdt_cookie at attach time (the BPF
 * cookie itself carries the spec index), or 0.
 */
__weak __hidden long bpf_usdt_cookie(struct pt_regs *ctx)
{
	struct __bpf_usdt_spec *spec = __bpf_usdt_spec(ctx);

	return spec ? (long)spec->usdt_cookie : 0;
}

/* argument n of the probe as a long (0 when it cannot be read) */
#define ___bpfxx_usdt_arg(n) ({ long __bpfxx_a; bpf_usdt_arg(ctx, n, &__bpfxx_a); __bpfxx_a; })

#define ___bpf_usdt_args0() ctx
#define ___bpf_usdt_args1(x) ___bpf_usdt_args0(), ___bpfxx_usdt_arg(0)
#define ___bpf_usdt_args2(x, args...) ___bpf_usdt_args1(args), ___bpfxx_usdt_arg(1)
#define ___bpf_usdt_args3(x, args...) ___bpf_usdt_args2(args), ___bpfxx_usdt_arg(2)
#define ___bpf_usdt_args4(x, args...) ___bpf_usdt_args3(args), ___bpfxx_usdt_arg(3)
#define ___bpf_usdt_args5(x, args...) ___bpf_usdt_args4(args), ___bpfxx_usdt_arg(4)
#define ___bpf_usdt_args6(x, args...) ___bpf_usdt_args5(args), ___bpfxx_usdt_arg(5)
#define ___bpf_usdt_args7(x, args...) ___bpf_usdt_args6(args), ___bpfxx_usdt_arg(6)
#define ___bpf_usdt_args8(x, args...) ___bpf_usdt_args7(args), ___bpfxx_usdt_arg(7)
#define ___bpf_usdt_args9(x, args...) ___bpf_usdt_args8(args), ___bpfxx_usdt_arg(8)
#define ___bpf_usdt_args10(x, args...) ___bpf_usdt_args9(args), ___bpfxx_usdt_arg(9)
#define ___bpf_usdt_args11(x, args...) ___bpf_usdt_args10(args), ___bpfxx_usdt_arg(10)
#define ___bpf_usdt_args12(x, args...) ___bpf_usdt_args11(args), ___bpfxx_usdt_arg(11)
#define ___bpf_usdt_args(args...) ___bpf_apply(___bpf_usdt_args, ___bpf_narg(args))(args)

/*
 * BPF_USDT(name, args...): a USDT program whose body sees the probe's
 * arguments, typed and named; ctx stays available.
 */
#define BPF_USDT(name, args...) \
	___bpfxx_wrapper(name, struct pt_regs *, ___bpf_usdt_args(args), ##args)

#endif /* __USDT_BPF_H__ */
