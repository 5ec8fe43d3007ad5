/* Part of bpfxx. XDP programs for the XDP tests: xdp_filter counts every
 * frame and drops IPv4 UDP datagrams to the port in config[0], counting
 * them; xdp_pass lets everything through, counting frames. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

char LICENSE[] SEC("license") = "GPL";

enum { CNT_SEEN = 0, CNT_DROPPED = 1, CNT_PASS_SEEN = 2, CNT_MAX = 4 };

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

/* Destination port (host order) of an IPv4 UDP datagram without IP
 * options, or 0. */
static __u32 udp_dport(void *data, void *data_end)
{
	__u8 *p = data;

	if (data + 14 + 20 + 8 > data_end)
		return 0;
	if (p[12] != 0x08 || p[13] != 0x00 || p[14] != 0x45 || p[14 + 9] != 17)
		return 0;
	return ((__u32)p[14 + 20 + 2] << 8) | p[14 + 20 + 3];
}

SEC("xdp")
int xdp_filter(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	__u32 key = 0, *port = bpf_map_lookup_elem(&config, &key);

	bump(CNT_SEEN);
	if (port && *port && udp_dport(data, data_end) == *port) {
		bump(CNT_DROPPED);
		return XDP_DROP;
	}
	return XDP_PASS;
}

SEC("xdp")
int xdp_pass(struct xdp_md *ctx)
{
	bump(CNT_PASS_SEEN);
	return XDP_PASS;
}
