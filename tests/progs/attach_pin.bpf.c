/* Part of bpfxx. A raw tracepoint counting the system calls of one
 * process, for the test of a link pinned by one process and reopened by
 * another: the helper process loads it with target_pid set to the test
 * process, pins the link and the counter map, and exits. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

const volatile __u32 target_pid = 0;

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} pin_hits SEC(".maps");

SEC("raw_tp/sys_enter")
int count_syscalls(struct bpf_raw_tracepoint_args *ctx)
{
	__u32 key = 0;
	__u64 *v;

	if ((__u32)(bpf_get_current_pid_tgid() >> 32) != target_pid)
		return 0;
	v = bpf_map_lookup_elem(&pin_hits, &key);
	if (v)
		__sync_fetch_and_add(v, 1);
	return 0;
}
