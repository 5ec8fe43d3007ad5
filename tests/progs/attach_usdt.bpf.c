/* Part of bpfxx. Programs of the USDT attach tests
 * (tests/kernel/link_usdt_test.cpp): what each probe hit saw through
 * <bpf/usdt.bpf.h> (argument count, sizes, values, the USDT cookie),
 * recorded in a slot chosen by the cookie, plus BPF_USDT() programs and an
 * auto-attached probe of libstdc++. */
#include <linux/bpf.h>
#include <linux/ptrace.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/usdt.bpf.h>

char LICENSE[] SEC("license") = "GPL";

/* 0: any process */
int target_pid = 0;

#define MAX_SEEN_ARGS 6

struct seen {
	__u64 hits;
	long cookie;
	long arg_cnt;
	long sizes[MAX_SEEN_ARGS];
	long vals[MAX_SEEN_ARGS];
	long errs[MAX_SEEN_ARGS];
};

/* slot = usdt cookie & 3 */
struct seen seen[4];

__u64 macro_hits = 0;
long macro_x = 0, macro_k = 0, macro_m = 0;

__u64 throw_hits = 0;
long throw_obj = 0, throw_tinfo = 0;

static __always_inline int ours(void)
{
	return target_pid == 0 || (int)(bpf_get_current_pid_tgid() >> 32) == target_pid;
}

SEC("usdt")
int on_usdt(struct pt_regs *ctx)
{
	long cookie = bpf_usdt_cookie(ctx);
	struct seen *s = &seen[cookie & 3];
	int i;

	if (!ours())
		return 0;
	__sync_fetch_and_add(&s->hits, 1);
	s->cookie = cookie;
	s->arg_cnt = bpf_usdt_arg_cnt(ctx);
	for (i = 0; i < MAX_SEEN_ARGS; i++) {
		long v = 0;

		s->sizes[i] = bpf_usdt_arg_size(ctx, i);
		s->errs[i] = bpf_usdt_arg(ctx, i, &v);
		s->vals[i] = v;
	}
	return 0;
}

SEC("usdt")
int BPF_USDT(on_args3, int x, long k, long m)
{
	if (ours()) {
		__sync_fetch_and_add(&macro_hits, 1);
		macro_x = x;
		macro_k = k;
		macro_m = m;
	}
	return 0;
}

/* libstdc++'s probe in __cxa_throw: the exception object and its type_info */
SEC("usdt/libstdc++.so.6:libstdcxx:throw")
int BPF_USDT(on_throw, void *obj, void *tinfo)
{
	if (ours()) {
		__sync_fetch_and_add(&throw_hits, 1);
		throw_obj = (long)obj;
		throw_tinfo = (long)tinfo;
	}
	return 0;
}

/* a malformed auto-attach section (no provider) */
SEC("usdt/libstdc++.so.6:throw")
int bad_section(struct pt_regs *ctx)
{
	return 0;
}
