/* Part of bpfxx. An lsm_cgroup program denying socket binds made from the
 * cgroup it is attached to, for the lsm_cgroup attach tests. Like lsm it
 * needs BPF trampolines: where the kernel refuses them the load fails. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

char LICENSE[] SEC("license") = "GPL";

struct socket;
struct sockaddr;

__u64 bind_denials = 0;

/* 0 denies the operation (EPERM), 1 allows it. */
SEC("lsm_cgroup/socket_bind")
int BPF_PROG(deny_bind, struct socket *sock, struct sockaddr *address, int addrlen)
{
	__sync_fetch_and_add(&bind_denials, 1);
	return 0;
}
