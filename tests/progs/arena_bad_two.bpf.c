/* Part of bpfxx. Bad arena input: __arena globals with two arena maps to
 * choose from (open must refuse it, naming both). */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_arena_common.h>

char LICENSE[] SEC("license") = "GPL";

struct {
	__uint(type, BPF_MAP_TYPE_ARENA);
	__uint(map_flags, BPF_F_MMAPABLE);
	__uint(max_entries, 2);
} arena_one SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARENA);
	__uint(map_flags, BPF_F_MMAPABLE);
	__uint(max_entries, 2);
} arena_two SEC(".maps");

int __arena shared = 1;

SEC("syscall")
int use_shared(void *ctx)
{
	return shared;
}
