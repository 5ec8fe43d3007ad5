/* Part of bpfxx. Skeleton generator test: many maps and programs (some
 * named like C++ keywords). Program prog_N stores N + 1 at key 0 of map
 * number N % 8 (through a per-map helper) and counts itself in runs[N]. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

__u64 runs[12];

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__type(key, __u32);
	__type(value, __u64);
	__uint(max_entries, 4);
} m_hash SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__type(key, __u32);
	__type(value, __u64);
	__uint(max_entries, 4);
} m_array SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__type(key, __u32);
	__type(value, __u64);
	__uint(max_entries, 4);
} m_percpu SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__type(key, __u32);
	__type(value, __u64);
	__uint(max_entries, 4);
} m_lru SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__type(key, __u32);
	__type(value, __u64);
	__uint(max_entries, 4);
} m_pcpu_hash SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__type(key, __u32);
	__type(value, __u64);
	__uint(max_entries, 4);
} delete SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__type(key, __u32);
	__type(value, __u64);
	__uint(max_entries, 4);
} operator SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__type(key, __u32);
	__type(value, __u64);
	__uint(max_entries, 4);
} m_last SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
} events SEC(".maps");

SEC("syscall")
int prog_0(void *ctx)
{
	__u32 key = 0;
	__u64 value = 1;

	runs[0]++;
	bpf_map_update_elem(&m_hash, &key, &value, BPF_ANY);
	return 1;
}

SEC("syscall")
int prog_1(void *ctx)
{
	__u32 key = 0;
	__u64 value = 2;

	runs[1]++;
	bpf_map_update_elem(&m_array, &key, &value, BPF_ANY);
	return 2;
}

SEC("syscall")
int prog_2(void *ctx)
{
	__u32 key = 0;
	__u64 value = 3;

	runs[2]++;
	bpf_map_update_elem(&m_percpu, &key, &value, BPF_ANY);
	return 3;
}

SEC("syscall")
int prog_3(void *ctx)
{
	__u32 key = 0;
	__u64 value = 4;

	runs[3]++;
	bpf_map_update_elem(&m_lru, &key, &value, BPF_ANY);
	return 4;
}

SEC("syscall")
int prog_4(void *ctx)
{
	__u32 key = 0;
	__u64 value = 5;

	runs[4]++;
	bpf_map_update_elem(&m_pcpu_hash, &key, &value, BPF_ANY);
	return 5;
}

SEC("syscall")
int prog_5(void *ctx)
{
	__u32 key = 0;
	__u64 value = 6;

	runs[5]++;
	bpf_map_update_elem(&delete, &key, &value, BPF_ANY);
	return 6;
}

SEC("syscall")
int prog_6(void *ctx)
{
	__u32 key = 0;
	__u64 value = 7;

	runs[6]++;
	bpf_map_update_elem(&operator, &key, &value, BPF_ANY);
	return 7;
}

SEC("syscall")
int prog_7(void *ctx)
{
	__u32 key = 0;
	__u64 value = 8;

	runs[7]++;
	bpf_map_update_elem(&m_last, &key, &value, BPF_ANY);
	return 8;
}

SEC("syscall")
int prog_8(void *ctx)
{
	__u32 key = 0;
	__u64 value = 9;

	runs[8]++;
	bpf_map_update_elem(&m_hash, &key, &value, BPF_ANY);
	return 9;
}

SEC("syscall")
int private(void *ctx)
{
	__u32 key = 0;
	__u64 value = 10;

	runs[9]++;
	bpf_map_update_elem(&m_array, &key, &value, BPF_ANY);
	return 10;
}

SEC("syscall")
int this(void *ctx)
{
	__u32 key = 0;
	__u64 value = 11;

	runs[10]++;
	bpf_map_update_elem(&m_percpu, &key, &value, BPF_ANY);
	return 11;
}

SEC("syscall")
int typename(void *ctx)
{
	__u32 key = 0;
	__u64 value = 12;

	runs[11]++;
	bpf_map_update_elem(&m_lru, &key, &value, BPF_ANY);
	return 12;
}

