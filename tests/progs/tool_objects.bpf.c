/* Part of bpfxx. Objects for the `bpfxx prog|map|link` tests: a hash map
 * with a struct value (BTF field names in `map dump`), a per-CPU array, a
 * queue, an XDP program that reads and updates the hash map (a map
 * reference and helper calls in `prog dump xlated`), a raw tracepoint
 * program for `link show`, and a syscall program that prints to its BPF
 * stdout stream (`prog stream`). */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

enum tool_color { TOOL_RED = 1, TOOL_GREEN = 2, TOOL_BLUE = 3 };

struct tool_val {
	__u32 count;
	__s16 delta;
	char label[6];
	enum tool_color color;
	__u64 total;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 8);
	__type(key, __u32);
	__type(value, struct tool_val);
} tool_pairs SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, __u64);
} tool_percpu SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_QUEUE);
	__uint(max_entries, 4);
	__type(value, __u32);
} tool_queue SEC(".maps");

int stream_ret = 1;
int tp_hits;
const volatile int target_pid;

SEC("xdp")
int tool_xdp(struct xdp_md *ctx)
{
	__u32 key = 1;
	struct tool_val *v = bpf_map_lookup_elem(&tool_pairs, &key);

	if (v) {
		v->count++;
		v->total += ctx->data_end - ctx->data;
	} else {
		struct tool_val init = { .count = 1, .delta = -2, .label = "xdp", .color = TOOL_GREEN };

		bpf_map_update_elem(&tool_pairs, &key, &init, BPF_ANY);
	}
	return XDP_PASS;
}

SEC("raw_tp/sys_enter")
int tool_raw_tp(void *ctx)
{
	if ((int)(bpf_get_current_pid_tgid() >> 32) == target_pid)
		__sync_fetch_and_add(&tp_hits, 1);
	return 0;
}

SEC("syscall")
int tool_stream(void *ctx)
{
	stream_ret = bpf_stream_printk(BPF_STDOUT, "tool stream %d\n", 42);
	return 0;
}

struct bpf_iter_meta {
	void *seq;
	__u64 session_id;
	__u64 seq_num;
} __attribute__((preserve_access_index));
struct bpf_iter__bpf_map {
	struct bpf_iter_meta *meta;
	void *map;
} __attribute__((preserve_access_index));

int iter_maps;

/* Counts the maps it is shown (for an iterator link in `link show`). */
SEC("iter/bpf_map")
int tool_iter(struct bpf_iter__bpf_map *ctx)
{
	if (ctx->map)
		iter_maps++;
	return 0;
}
