/* Part of bpfxx. Load test program: statically initialised map-in-map and
 * program array.
 *
 * read_through_outer looks up slots 0, 1 and 2 of an array of maps whose
 * slots 0 and 2 the object fills, and copies what it finds in the inner
 * maps to globals. jump_entry tail-calls slot 1 of a program array that
 * the object fills with jump_target; the target records that it ran and
 * the entry records if the call fell through. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

struct inner_map {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__type(key, __u32);
	__type(value, __u32);
	__uint(max_entries, 1);
} inner_first SEC(".maps"), inner_third SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__uint(max_entries, 3);
	__type(key, __u32);
	__array(values, struct inner_map);
} outer SEC(".maps") = {
	.values = { [0] = &inner_first, [2] = &inner_third },
};

__u32 seen_first = 1;
__u32 seen_third = 1;
__u32 slot1_empty = 0;

SEC("xdp")
int read_through_outer(struct xdp_md *ctx)
{
	__u32 key = 0, zero = 0;
	void *inner;
	__u32 *v;

	inner = bpf_map_lookup_elem(&outer, &key);
	if (!inner)
		return XDP_ABORTED;
	v = bpf_map_lookup_elem(inner, &zero);
	if (!v)
		return XDP_ABORTED;
	seen_first = *v;

	key = 1;
	slot1_empty = bpf_map_lookup_elem(&outer, &key) == 0;

	key = 2;
	inner = bpf_map_lookup_elem(&outer, &key);
	if (!inner)
		return XDP_ABORTED;
	v = bpf_map_lookup_elem(inner, &zero);
	if (!v)
		return XDP_ABORTED;
	seen_third = *v;
	return XDP_PASS;
}

int jump_target(struct xdp_md *ctx);

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__array(values, int (struct xdp_md *));
} jumps SEC(".maps") = {
	.values = { [1] = (void *)&jump_target },
};

__u32 target_ran = 0;
__u32 fell_through = 0;

SEC("xdp")
int jump_target(struct xdp_md *ctx)
{
	target_ran = 0xCAFE;
	return XDP_TX;
}

SEC("xdp")
int jump_entry(struct xdp_md *ctx)
{
	bpf_tail_call(ctx, &jumps, 1);
	fell_through = 1;
	return XDP_DROP;
}
