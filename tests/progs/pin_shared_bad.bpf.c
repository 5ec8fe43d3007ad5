/* Part of bpfxx. Pin test program: shared_counts with fewer entries than
 * the pinned one of pin_shared, so the load must refuse to reuse it. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__type(key, __u32);
	__type(value, __u64);
	__uint(max_entries, 8);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} shared_counts SEC(".maps");

SEC("xdp")
int read_count(struct xdp_md *ctx)
{
	__u32 key = 0;
	__u64 *v = bpf_map_lookup_elem(&shared_counts, &key);

	return v && *v ? XDP_PASS : XDP_DROP;
}
