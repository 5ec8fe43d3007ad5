/* Part of bpfxx. Skeleton runtime test program: many programs and maps.
 *
 * Three programs skeleton attach attaches (two tracepoints and a raw
 * tracepoint, each counting calls of the process named in .rodata into
 * its slot of `counts`); programs it must skip: xdp and socket (no target
 * in the section), uprobe without a target, and a '?' program that is not
 * loaded. Maps of several types, all of which a skeleton must find. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

const volatile __u32 target_tgid = 0;
__u64 xdp_runs;

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__type(key, __u32);
	__type(value, __u64);
	__uint(max_entries, 8);
} counts SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__type(key, __u32);
	__type(value, __u64);
	__uint(max_entries, 16);
} by_tgid SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__type(key, __u64);
	__type(value, __u32);
	__uint(max_entries, 16);
} lru SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__type(key, __u32);
	__type(value, __u64);
	__uint(max_entries, 2);
} percpu SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
} events SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__type(key, __u32);
	__type(value, __u32);
	__uint(max_entries, 2);
} jumps SEC(".maps");

static __always_inline int mine(void)
{
	return (bpf_get_current_pid_tgid() >> 32) == target_tgid;
}

static __always_inline void bump(__u32 slot)
{
	__u64 *v = bpf_map_lookup_elem(&counts, &slot);

	if (v)
		__sync_fetch_and_add(v, 1);
}

SEC("tp/syscalls/sys_enter_getpgid")
int tp_getpgid(void *ctx)
{
	__u32 tgid = target_tgid;
	__u64 one = 1;

	if (!mine())
		return 0;
	bump(0);
	bpf_map_update_elem(&by_tgid, &tgid, &one, BPF_ANY);
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_getppid")
int tp_getppid(void *ctx)
{
	if (mine())
		bump(1);
	return 0;
}

SEC("raw_tp/sys_enter")
int raw_enter(void *ctx)
{
	if (mine())
		bump(2);
	return 0;
}

SEC("?tp/syscalls/sys_enter_getsid")
int not_loaded(void *ctx)
{
	bump(3);
	return 0;
}

SEC("uprobe")
int uprobe_no_target(void *ctx)
{
	bump(4);
	return 0;
}

SEC("xdp")
int xdp_count(struct xdp_md *ctx)
{
	xdp_runs++;
	bump(5);
	return XDP_PASS;
}

SEC("socket")
int sock_filter(void *ctx)
{
	bump(6);
	return 0;
}
