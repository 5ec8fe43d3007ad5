/* Part of bpfxx. Skeleton generator test: a struct_ops map (a TCP
 * congestion control written through the kernel's Reno kfuncs) whose
 * shadow type the skeleton exposes, plus a scalar member and padding. */
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
	__u32 flags;
	char name[16];
};

extern __u32 tcp_reno_ssthresh(struct sock *sk) __ksym;
extern void tcp_reno_cong_avoid(struct sock *sk, __u32 ack, __u32 acked) __ksym;
extern __u32 tcp_reno_undo_cwnd(struct sock *sk) __ksym;

__u64 init_calls;

SEC("struct_ops/skg_init")
void BPF_PROG(skg_init, struct sock *sk)
{
	__sync_fetch_and_add(&init_calls, 1);
}

SEC("struct_ops/skg_ssthresh")
__u32 BPF_PROG(skg_ssthresh, struct sock *sk)
{
	return tcp_reno_ssthresh(sk);
}

SEC("struct_ops/skg_cong_avoid")
void BPF_PROG(skg_cong_avoid, struct sock *sk, __u32 ack, __u32 acked)
{
	tcp_reno_cong_avoid(sk, ack, acked);
}

SEC("struct_ops/skg_undo_cwnd")
__u32 BPF_PROG(skg_undo_cwnd, struct sock *sk)
{
	return tcp_reno_undo_cwnd(sk);
}

SEC(".struct_ops.link")
struct tcp_congestion_ops skg_cc = {
	.ssthresh = (void *)skg_ssthresh,
	.cong_avoid = (void *)skg_cong_avoid,
	.undo_cwnd = (void *)skg_undo_cwnd,
	.init = (void *)skg_init,
	.name = "bpfxx_skg_cc",
};
