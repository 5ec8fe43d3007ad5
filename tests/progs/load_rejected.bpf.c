/* Part of bpfxx. Load test program: one the verifier rejects, late.
 *
 * rejected_prog first runs a long, fully unrolled computation, so the
 * verifier's log grows well past 64 KiB (at log level 1 and more so at
 * 2), and only then dereferences a hash map lookup's result without the
 * NULL check (a hash map because the verifier may know an array lookup
 * with a constant key to be non-NULL). The failing source line is unique
 * in this file so a test can look for it in the reported log. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__type(key, __u32);
	__type(value, __u64);
	__uint(max_entries, 1);
} scratch SEC(".maps");

volatile __u64 seed = 1;
__u64 sink;

SEC("xdp")
int rejected_prog(struct xdp_md *ctx)
{
	__u64 acc = seed;
	__u32 zero = 0;
	__u64 *unchecked_slot;
	int i;

#pragma clang loop unroll(full)
	for (i = 0; i < 700; i++)
		acc = (acc ^ (acc >> 7)) * 0x9E3779B1 + i;
	unchecked_slot = bpf_map_lookup_elem(&scratch, &zero);
	sink = acc + *unchecked_slot;
	return XDP_PASS;
}
