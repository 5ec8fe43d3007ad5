/* Part of bpfxx. Object-open test program: a map definition with an
 * attribute the loader does not know, refused unless relaxed_maps is set. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__type(key, __u32);
	__type(value, __u64);
	__uint(max_entries, 2);
	__uint(future_attribute, 9);
} odd_map SEC(".maps");

SEC("xdp")
int relaxed_user(struct xdp_md *ctx)
{
	__u32 k = 0;
	return bpf_map_lookup_elem(&odd_map, &k) ? XDP_PASS : XDP_DROP;
}
