/* Part of bpfxx. Bad arena input: five pages of __arena globals for an
 * arena of two pages (open must refuse it). */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_arena_common.h>

char LICENSE[] SEC("license") = "GPL";

struct {
	__uint(type, BPF_MAP_TYPE_ARENA);
	__uint(map_flags, BPF_F_MMAPABLE);
	__uint(max_entries, 2);
} arena SEC(".maps");

char __arena big[5 * 4096] = { 1 };

SEC("syscall")
int use_big(void *ctx)
{
	return big[0];
}
