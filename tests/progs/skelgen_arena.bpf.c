/* Part of bpfxx. Skeleton generator test: globals in the arena
 * (.addr_space.1), typed in the skeleton's `arena` member.
 *
 * bump adds 1 to every arena global and reports their sum in .bss. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_arena_common.h>

char LICENSE[] SEC("license") = "GPL";

struct {
	__uint(type, BPF_MAP_TYPE_ARENA);
	__uint(map_flags, BPF_F_MMAPABLE);
	__uint(max_entries, 2);
} arena SEC(".maps");

char __arena flag = 1;
__u64 __arena big = 1000;
int __arena counters[4] = { 1, 2, 3, 4 };

__u64 sum;

SEC("syscall")
int bump(void *ctx)
{
	int i;

	flag += 1;
	big += 1;
	sum = flag + big;
	for (i = 0; i < 4; i++) {
		counters[i] += 1;
		sum += counters[i];
	}
	return 0;
}
