// struct_ops mistakes the loader must name: a data member whose size is
// not the kernel's, and a struct_ops program no map uses.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

char _license[] SEC("license") = "GPL";

struct sock;

struct tcp_congestion_ops___short_name {
	__u32 (*ssthresh)(struct sock *sk);
	char name[8];  // the kernel's is 16 bytes
};

SEC("struct_ops/short_ssthresh")
__u32 BPF_PROG(short_ssthresh, struct sock *sk)
{
	return 2;
}

// Used by no map: nothing says which callback it implements.
SEC("struct_ops/orphan")
__u32 BPF_PROG(orphan, struct sock *sk)
{
	return 2;
}

SEC(".struct_ops")
struct tcp_congestion_ops___short_name cc_short = {
	.ssthresh = (void *)short_ssthresh,
	.name = "short",
};
