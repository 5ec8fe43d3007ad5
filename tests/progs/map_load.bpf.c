/* Part of bpfxx. Load test program: maps whose definitions the tests
 * change before load and read back from the kernel after it, a map-in-map
 * with static slots, typed-operation targets and global data.
 *
 * The program only references everything; the tests turn its autoload off,
 * as what they check is the map half of the load. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

/* Targets of the setters. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__type(key, __u32);
	__type(value, __u64);
	__uint(max_entries, 16);
} setters_hash SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__type(key, __u32);
	__type(value, __u32);
	__uint(max_entries, 8);
} retyped SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_BLOOM_FILTER);
	__type(value, __u32);
	__uint(max_entries, 16);
	__uint(map_extra, 3);
} bloom SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__type(key, __u32);
	__type(value, __u32);
	__uint(max_entries, 2);
} skipped SEC(".maps");

/* Map-in-map: slots 0 and 3 are set statically. */
struct inner_def {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__type(key, __u32);
	__type(value, __u32);
	__uint(max_entries, 4);
};

struct inner_def inner_one SEC(".maps");
struct inner_def inner_two SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__type(key, __u32);
	__uint(max_entries, 4);
	__array(values, struct inner_def);
} outer SEC(".maps") = {
	.values = { [0] = &inner_one, [3] = &inner_two },
};

/* Typed operations and sizes the loader completes. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__type(key, __u32);
	__type(value, __u32);
	__uint(max_entries, 2);
} percpu SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_QUEUE);
	__type(value, __u32);
	__uint(max_entries, 4);
} queue SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 5000);
} rb SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(__u32));
} events SEC(".maps");

/* Global data. */
__u64 counter = 7;
const volatile __u32 limit = 42;
__u32 zeroed;

SEC("xdp")
int use_maps(struct xdp_md *ctx)
{
	__u32 key = 0;
	__u64 *v = bpf_map_lookup_elem(&setters_hash, &key);

	if (v)
		*v += limit;
	if (bpf_map_lookup_elem(&outer, &key))
		zeroed++;
	if (bpf_map_lookup_elem(&percpu, &key))
		counter++;
	return XDP_PASS;
}
