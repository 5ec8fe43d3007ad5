/* Part of bpfxx. Map test program that must not open: a plain array with
 * a statically initialised `values` member, which only map-in-maps and
 * program arrays may have. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

struct inner_def {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__type(key, __u32);
	__type(value, __u32);
	__uint(max_entries, 1);
} plain_inner SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u64);
	__array(values, struct inner_def);
} plain SEC(".maps") = {
	.values = { [1] = &plain_inner },
};

SEC("xdp")
int unused(struct xdp_md *ctx)
{
	return XDP_PASS;
}
