/* Part of bpfxx. Compile test: usdt.bpf.h. */
#include "bpfxx_test_kernel.h"
#include <bpf/bpf_helpers.h>
#include <bpf/usdt.bpf.h>

char LICENSE[] SEC("license") = "GPL";

long usdt_seen[8];

SEC("usdt")
int BPF_USDT(usdt_three, int a, long b, const char *c)
{
	usdt_seen[0] = a + b + (long)c;
	usdt_seen[1] = bpf_usdt_cookie(ctx);
	return 0;
}

SEC("usdt/./target:provider:name")
int BPF_USDT(usdt_none)
{
	usdt_seen[2] = bpf_usdt_arg_cnt(ctx);
	return 0;
}

SEC("usdt")
int usdt_manual(struct pt_regs *ctx)
{
	long v = 0;
	int n = bpf_usdt_arg_cnt(ctx), i;

	for (i = 0; i < BPF_USDT_MAX_ARG_CNT && i < n; i++) {
		if (bpf_usdt_arg(ctx, i, &v))
			break;
		usdt_seen[3] += v;
		usdt_seen[4] += bpf_usdt_arg_size(ctx, i);
	}
	return 0;
}

SEC("usdt")
int BPF_USDT(usdt_twelve, long a1, long a2, long a3, long a4, long a5, long a6, long a7,
	     long a8, long a9, long a10, long a11, long a12)
{
	usdt_seen[5] = a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11 + a12;
	return 0;
}

/* the spec layout is shared with the loader: pin it down */
_Static_assert(sizeof(struct __bpf_usdt_arg_spec) == 24, "arg spec is 24 bytes (libbpf 1.7+)");
_Static_assert(__builtin_offsetof(struct __bpf_usdt_arg_spec, reg_off) == 14, "reg_off at 14");
_Static_assert(__builtin_offsetof(struct __bpf_usdt_arg_spec, arg_signed) == 16, "arg_signed at 16");
_Static_assert(__builtin_offsetof(struct __bpf_usdt_arg_spec, arg_bitshift) == 17, "arg_bitshift at 17");
_Static_assert(__builtin_offsetof(struct __bpf_usdt_spec, usdt_cookie) == 288, "cookie at 288");
_Static_assert(__builtin_offsetof(struct __bpf_usdt_spec, arg_cnt) == 296, "arg_cnt at 296");
_Static_assert(sizeof(struct __bpf_usdt_spec) == 304, "spec is 304 bytes");

/* arg_type sits where the low byte of the older plain-enum field was */
static __always_inline int arg_type_byte_ok(void)
{
	struct __bpf_usdt_arg_spec a = {};

	a.arg_type = BPF_USDT_ARG_SIB;
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	return ((unsigned char *)&a)[8] == BPF_USDT_ARG_SIB;
#else
	return ((unsigned char *)&a)[11] == BPF_USDT_ARG_SIB;
#endif
}

SEC("syscall")
int layout_check(void *ctx)
{
	usdt_seen[6] = arg_type_byte_ok();
	return 0;
}
