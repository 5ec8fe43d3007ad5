// Two .struct_ops.link maps of one congestion control name, each with its
// own programs and counters: bpf_link__update_map() moves a link from one
// to the other, and the counters show which one runs.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

char _license[] SEC("license") = "GPL";

struct sock;

struct tcp_congestion_ops {
	__u32 (*ssthresh)(struct sock *sk);
	void (*cong_avoid)(struct sock *sk, __u32 ack, __u32 acked);
	__u32 (*undo_cwnd)(struct sock *sk);
	void (*init)(struct sock *sk);
	char name[16];
};

extern __u32 tcp_reno_ssthresh(struct sock *sk) __ksym;
extern void tcp_reno_cong_avoid(struct sock *sk, __u32 ack, __u32 acked) __ksym;
extern __u32 tcp_reno_undo_cwnd(struct sock *sk) __ksym;

__u64 a_init_calls;
__u64 b_init_calls;

SEC("struct_ops/a_init")
void BPF_PROG(a_init, struct sock *sk)
{
	__sync_fetch_and_add(&a_init_calls, 1);
}

SEC("struct_ops/b_init")
void BPF_PROG(b_init, struct sock *sk)
{
	__sync_fetch_and_add(&b_init_calls, 1);
}

SEC("struct_ops/up_ssthresh")
__u32 BPF_PROG(up_ssthresh, struct sock *sk)
{
	return tcp_reno_ssthresh(sk);
}

SEC("struct_ops/up_cong_avoid")
void BPF_PROG(up_cong_avoid, struct sock *sk, __u32 ack, __u32 acked)
{
	tcp_reno_cong_avoid(sk, ack, acked);
}

SEC("struct_ops/up_undo_cwnd")
__u32 BPF_PROG(up_undo_cwnd, struct sock *sk)
{
	return tcp_reno_undo_cwnd(sk);
}

SEC(".struct_ops.link")
struct tcp_congestion_ops ca_a = {
	.ssthresh = (void *)up_ssthresh,
	.cong_avoid = (void *)up_cong_avoid,
	.undo_cwnd = (void *)up_undo_cwnd,
	.init = (void *)a_init,
	.name = "bpfxx_cc_up",
};

SEC(".struct_ops.link")
struct tcp_congestion_ops ca_b = {
	.ssthresh = (void *)up_ssthresh,
	.cong_avoid = (void *)up_cong_avoid,
	.undo_cwnd = (void *)up_undo_cwnd,
	.init = (void *)b_init,
	.name = "bpfxx_cc_up",
};
