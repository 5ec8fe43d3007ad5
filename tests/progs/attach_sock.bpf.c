/* Part of bpfxx. Socket-level programs for the attach tests: an sk_skb
 * stream verdict redirecting what one TCP socket receives to the egress of
 * the socket at key 1 of redir_socks; an sk_reuseport program choosing the
 * listener at reuse_target among reuse_socks; and a flow dissector that
 * fills the IPv4 flow keys and counts its runs. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

char LICENSE[] SEC("license") = "GPL";

struct {
	__uint(type, BPF_MAP_TYPE_SOCKMAP);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, __u64);
} redir_socks SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_REUSEPORT_SOCKARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u64);
} reuse_socks SEC(".maps");

__u64 verdict_runs;
__u64 reuse_runs;
__u32 reuse_target;
__u64 dissect_runs;
__u64 dissect_udp;

SEC("sk_skb/stream_verdict")
int redirect_verdict(struct __sk_buff *skb)
{
	__sync_fetch_and_add(&verdict_runs, 1);
	/* 0: redirect to the egress of the target socket. */
	return bpf_sk_redirect_map(skb, &redir_socks, 1, 0);
}

SEC("sk_reuseport")
int select_listener(struct sk_reuseport_md *reuse)
{
	__u32 key = reuse_target;

	__sync_fetch_and_add(&reuse_runs, 1);
	if (bpf_sk_select_reuseport(reuse, &reuse_socks, &key, 0))
		return SK_DROP;
	return SK_PASS;
}

/* The IPv4 header fields the dissector reads. */
struct ipv4_hdr {
	__u8 ihl_version;
	__u8 tos;
	__u16 tot_len;
	__u16 id;
	__u16 frag_off;
	__u8 ttl;
	__u8 protocol;
	__u16 check;
	__u32 saddr;
	__u32 daddr;
};

SEC("flow_dissector")
int dissect(struct __sk_buff *skb)
{
	struct bpf_flow_keys *keys = skb->flow_keys;
	void *data = (void *)(long)skb->data;
	void *data_end = (void *)(long)skb->data_end;
	__u16 nhoff = keys->nhoff;
	struct ipv4_hdr *ip;
	__u16 *ports;

	__sync_fetch_and_add(&dissect_runs, 1);
	/* A bounded offset lets the verifier check the packet accesses. */
	if (nhoff > 256)
		return BPF_DROP;
	ip = data + nhoff;
	if (keys->n_proto != bpf_htons(0x0800) || (void *)(ip + 1) > data_end)
		return BPF_DROP;
	if ((ip->ihl_version & 0xf) != 5)
		return BPF_DROP;
	keys->addr_proto = 0x0800;
	keys->ip_proto = ip->protocol;
	keys->ipv4_src = ip->saddr;
	keys->ipv4_dst = ip->daddr;
	keys->thoff = nhoff + sizeof(*ip);
	ports = (void *)(ip + 1);
	if (ip->protocol == 17 && (void *)(ports + 2) <= data_end) {
		keys->sport = ports[0];
		keys->dport = ports[1];
		__sync_fetch_and_add(&dissect_udp, 1);
	}
	return BPF_OK;
}
