/* Part of bpfxx. Pin test program: the same pinned map as pin_shared,
 * declared identically, so loading reuses the pinned one. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__type(key, __u32);
	__type(value, __u64);
	__uint(max_entries, 16);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} shared_counts SEC(".maps");

SEC("xdp")
int read_count(struct xdp_md *ctx)
{
	__u32 key = 0;
	__u64 *v = bpf_map_lookup_elem(&shared_counts, &key);

	return v && *v ? XDP_PASS : XDP_DROP;
}
