/* Part of bpfxx. Arena test program: globals placed in the arena
 * (.addr_space.1) with initial values from C.
 *
 * read_globals copies the arena globals into plain globals user space
 * reads back, then bumps counter, so a test sees the values the C code
 * (or user space, before load) gave them, and the program's write through
 * the mapped arena. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_arena_common.h>

char LICENSE[] SEC("license") = "GPL";

struct {
	__uint(type, BPF_MAP_TYPE_ARENA);
	__uint(map_flags, BPF_F_MMAPABLE);
	__uint(max_entries, 4);
} arena SEC(".maps");

int __arena counter = 42;
__u64 __arena triple[3] = { 7, 8, 9 };

__u32 seen_counter;
__u64 seen_sum;

SEC("syscall")
int read_globals(void *ctx)
{
	seen_counter = counter;
	seen_sum = triple[0] + triple[1] + triple[2];
	counter += 1;
	return 0;
}
