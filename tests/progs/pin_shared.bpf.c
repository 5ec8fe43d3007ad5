/* Part of bpfxx. Pin test program: a map pinned by name, which a second
 * object (pin_shared_again) reuses and pin_shared_bad cannot. */
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

/* Not pinned. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__type(key, __u32);
	__type(value, __u32);
	__uint(max_entries, 1);
} private_scratch SEC(".maps");

SEC("xdp")
int count(struct xdp_md *ctx)
{
	__u32 key = 0;
	__u64 *v = bpf_map_lookup_elem(&shared_counts, &key);
	__u32 *s = bpf_map_lookup_elem(&private_scratch, &key);

	if (v)
		(*v)++;
	if (s)
		(*s)++;
	return XDP_PASS;
}
