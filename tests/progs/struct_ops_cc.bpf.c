// A TCP congestion control written as struct_ops: Reno through the kernel's
// kfuncs, with every callback counted in a global so that tests see it run.
// The local struct has a flavor suffix, lists only the members it sets,
// in its own order, plus one member the kernel lacks (left zero).
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

char _license[] SEC("license") = "GPL";

struct sock;

struct tcp_congestion_ops___bpfxx {
	__u32 (*ssthresh)(struct sock *sk);
	void (*cong_avoid)(struct sock *sk, __u32 ack, __u32 acked);
	__u32 (*undo_cwnd)(struct sock *sk);
	void (*init)(struct sock *sk);
	char name[16];
	unsigned long bpfxx_not_in_kernel;
};

extern __u32 tcp_reno_ssthresh(struct sock *sk) __ksym;
extern void tcp_reno_cong_avoid(struct sock *sk, __u32 ack, __u32 acked) __ksym;
extern __u32 tcp_reno_undo_cwnd(struct sock *sk) __ksym;

__u64 init_calls;
__u64 init_alt_calls;
__u64 ssthresh_calls;
__u64 cong_avoid_calls;
__u64 undo_calls;

SEC("struct_ops/bpfxx_init")
void BPF_PROG(bpfxx_init, struct sock *sk)
{
	__sync_fetch_and_add(&init_calls, 1);
}

// Used by no map as written: loaded only once a test puts it into one
// through bpf_map__initial_value().
SEC("?struct_ops/bpfxx_init_alt")
void BPF_PROG(bpfxx_init_alt, struct sock *sk)
{
	__sync_fetch_and_add(&init_alt_calls, 1);
}

SEC("struct_ops/bpfxx_ssthresh")
__u32 BPF_PROG(bpfxx_ssthresh, struct sock *sk)
{
	__sync_fetch_and_add(&ssthresh_calls, 1);
	return tcp_reno_ssthresh(sk);
}

SEC("struct_ops/bpfxx_cong_avoid")
void BPF_PROG(bpfxx_cong_avoid, struct sock *sk, __u32 ack, __u32 acked)
{
	__sync_fetch_and_add(&cong_avoid_calls, 1);
	tcp_reno_cong_avoid(sk, ack, acked);
}

SEC("struct_ops/bpfxx_undo_cwnd")
__u32 BPF_PROG(bpfxx_undo_cwnd, struct sock *sk)
{
	__sync_fetch_and_add(&undo_calls, 1);
	return tcp_reno_undo_cwnd(sk);
}

// A program of another type, for the struct_ops association tests.
SEC("socket")
int bpfxx_not_struct_ops(void *ctx)
{
	return 0;
}

// Registered through a BPF link.
SEC(".struct_ops.link")
struct tcp_congestion_ops___bpfxx cc_link = {
	.ssthresh = (void *)bpfxx_ssthresh,
	.cong_avoid = (void *)bpfxx_cong_avoid,
	.undo_cwnd = (void *)bpfxx_undo_cwnd,
	.init = (void *)bpfxx_init,
	.name = "bpfxx_cc",
};

// Registered by the map update itself; the same programs serve both maps.
SEC(".struct_ops")
struct tcp_congestion_ops___bpfxx cc_plain = {
	.ssthresh = (void *)bpfxx_ssthresh,
	.cong_avoid = (void *)bpfxx_cong_avoid,
	.undo_cwnd = (void *)bpfxx_undo_cwnd,
	.init = (void *)bpfxx_init,
	.name = "bpfxx_cc_plain",
};
