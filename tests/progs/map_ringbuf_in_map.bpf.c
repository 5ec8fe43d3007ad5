/* Part of bpfxx. Map test program: a ring buffer whose max_entries (5000)
 * is no power-of-two number of pages, used as the inner map of an array of
 * maps. Both the ring buffer and the outer map's inner template are
 * rounded up at open; the program writes one record through the outer
 * map's slot 0. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

struct rb_def {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 5000);
};

struct rb_def rb_inner SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__uint(max_entries, 2);
	__type(key, __u32);
	__array(values, struct rb_def);
} rb_outer SEC(".maps") = {
	.values = { [0] = &rb_inner },
};

SEC("xdp")
int write_through_outer(struct xdp_md *ctx)
{
	__u32 key = 0, record = 0x5eed;
	void *rb = bpf_map_lookup_elem(&rb_outer, &key);

	if (!rb)
		return XDP_ABORTED;
	if (bpf_ringbuf_output(rb, &record, sizeof(record), 0))
		return XDP_DROP;
	return XDP_PASS;
}
