/* Part of bpfxx. cgroup programs for the cgroup link tests: a connect4
 * hook that rewrites one destination port, a sockops counter per
 * operation, a sysctl hook denying reads of net.ipv4.tcp_mem, packet
 * counters on cgroup_skb ingress/egress and a socket-creation counter.
 * Every effect lands in the counters map. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

char LICENSE[] SEC("license") = "GPL";

enum {
	CNT_CONNECT_REWRITES = 0,
	CNT_SYSCTL_DENIED = 1,
	CNT_EGRESS = 2,
	CNT_INGRESS = 3,
	CNT_SOCK_CREATE = 4,
	CNT_SOCKOPS_BASE = 8, /* + BPF_SOCK_OPS_* op */
	CNT_MAX = 32,
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, CNT_MAX);
	__type(key, __u32);
	__type(value, __u64);
} counters SEC(".maps");

/* [0]: port to rewrite, [1]: the port it becomes (host order). */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, __u32);
} ports SEC(".maps");

static void bump(__u32 idx)
{
	__u64 *v = bpf_map_lookup_elem(&counters, &idx);

	if (v)
		__sync_fetch_and_add(v, 1);
}

SEC("cgroup/connect4")
int connect4_rewrite(struct bpf_sock_addr *ctx)
{
	__u32 k0 = 0, k1 = 1;
	__u32 *from = bpf_map_lookup_elem(&ports, &k0);
	__u32 *to = bpf_map_lookup_elem(&ports, &k1);

	if (!from || !to || *from == 0)
		return 1;
	if (ctx->user_ip4 == bpf_htonl(0x7f000001) && ctx->user_port == bpf_htons(*from)) {
		ctx->user_port = bpf_htons(*to);
		bump(CNT_CONNECT_REWRITES);
	}
	return 1;
}

SEC("sockops")
int count_sockops(struct bpf_sock_ops *skops)
{
	__u32 op = skops->op;

	if (op < CNT_MAX - CNT_SOCKOPS_BASE)
		bump(CNT_SOCKOPS_BASE + op);
	return 1;
}

SEC("cgroup/sysctl")
int deny_tcp_mem(struct bpf_sysctl *ctx)
{
	char name[16] = {};
	static const char want[] = "tcp_mem";
	int i;

	if (ctx->write)
		return 1;
	if (bpf_sysctl_get_name(ctx, name, sizeof(name), BPF_F_SYSCTL_BASE_NAME) != sizeof(want) - 1)
		return 1;
	for (i = 0; i < (int)sizeof(want); i++)
		if (name[i] != want[i])
			return 1;
	bump(CNT_SYSCTL_DENIED);
	return 0;
}

SEC("cgroup_skb/egress")
int count_egress(struct __sk_buff *skb)
{
	bump(CNT_EGRESS);
	return 1;
}

SEC("cgroup_skb/egress")
int count_egress_second(struct __sk_buff *skb)
{
	return 1;
}

SEC("cgroup_skb/ingress")
int count_ingress(struct __sk_buff *skb)
{
	bump(CNT_INGRESS);
	return 1;
}

SEC("cgroup/sock_create")
int count_sock_create(struct bpf_sock *sk)
{
	bump(CNT_SOCK_CREATE);
	return 1;
}
