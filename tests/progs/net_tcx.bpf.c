/* Part of bpfxx. tcx and netfilter programs for the tc tests: tcx_count
 * counts frames and hands them on (TCX_NEXT); tcx_drop drops IPv4 UDP
 * datagrams to the port in config[0]; nf_count counts IPv4 packets on a
 * netfilter hook and accepts them. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

enum { CNT_TCX_SEEN = 0, CNT_TCX_DROPPED = 1, CNT_NF_SEEN = 2, CNT_MAX = 4 };

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, CNT_MAX);
	__type(key, __u32);
	__type(value, __u64);
} counters SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} config SEC(".maps");

static void bump(__u32 idx)
{
	__u64 *v = bpf_map_lookup_elem(&counters, &idx);

	if (v)
		__sync_fetch_and_add(v, 1);
}

SEC("tcx/ingress")
int tcx_count(struct __sk_buff *skb)
{
	bump(CNT_TCX_SEEN);
	return TCX_NEXT;
}

SEC("tcx/ingress")
int tcx_drop(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data;
	void *data_end = (void *)(long)skb->data_end;
	__u8 *p = data;
	__u32 key = 0, *port = bpf_map_lookup_elem(&config, &key);

	if (!port || !*port || data + 14 + 20 + 8 > data_end)
		return TCX_NEXT;
	if (p[12] != 0x08 || p[13] != 0x00 || p[14] != 0x45 || p[14 + 9] != 17)
		return TCX_NEXT;
	if ((((__u32)p[14 + 20 + 2] << 8) | p[14 + 20 + 3]) != *port)
		return TCX_NEXT;
	bump(CNT_TCX_DROPPED);
	return TCX_DROP;
}

/* The netfilter context is only passed on, never read: its type stays opaque. */
struct bpf_nf_ctx;

SEC("netfilter")
int nf_count(struct bpf_nf_ctx *ctx)
{
	bump(CNT_NF_SEEN);
	return 1; /* NF_ACCEPT */
}
