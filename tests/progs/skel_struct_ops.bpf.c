/* Part of bpfxx. Skeleton runtime test program: a TCP congestion control
 * as struct_ops (Reno through the kernel's kfuncs), in a plain .struct_ops
 * map and in a .struct_ops.link map, with every callback counted in .bss.
 * Tests rename both (the shadow's name member) to names unique to the
 * test process before load, since congestion control names are global. */
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

__u64 init_calls;
__u64 ssthresh_calls;

SEC("struct_ops/skel_init")
void BPF_PROG(skel_init, struct sock *sk)
{
	__sync_fetch_and_add(&init_calls, 1);
}

SEC("struct_ops/skel_ssthresh")
__u32 BPF_PROG(skel_ssthresh, struct sock *sk)
{
	__sync_fetch_and_add(&ssthresh_calls, 1);
	return tcp_reno_ssthresh(sk);
}

SEC("struct_ops/skel_cong_avoid")
void BPF_PROG(skel_cong_avoid, struct sock *sk, __u32 ack, __u32 acked)
{
	tcp_reno_cong_avoid(sk, ack, acked);
}

SEC("struct_ops/skel_undo_cwnd")
__u32 BPF_PROG(skel_undo_cwnd, struct sock *sk)
{
	return tcp_reno_undo_cwnd(sk);
}

SEC(".struct_ops")
struct tcp_congestion_ops cc_plain = {
	.ssthresh = (void *)skel_ssthresh,
	.cong_avoid = (void *)skel_cong_avoid,
	.undo_cwnd = (void *)skel_undo_cwnd,
	.init = (void *)skel_init,
	.name = "skel_cc_plain",
};

SEC(".struct_ops.link")
struct tcp_congestion_ops cc_link = {
	.ssthresh = (void *)skel_ssthresh,
	.cong_avoid = (void *)skel_cong_avoid,
	.undo_cwnd = (void *)skel_undo_cwnd,
	.init = (void *)skel_init,
	.name = "skel_cc_link",
};
