/* Part of bpfxx. Bad arena input: an __arena global used by a program
 * while .maps declares no BPF_MAP_TYPE_ARENA map (open must refuse it). */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_arena_common.h>

char LICENSE[] SEC("license") = "GPL";

int __arena orphan = 1;

SEC("syscall")
int use_orphan(void *ctx)
{
	return orphan;
}
