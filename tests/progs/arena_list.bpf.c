/* Part of bpfxx. Arena test program: a linked list shared with user space.
 *
 * build allocates arena pages with bpf_arena_alloc_pages and links
 * nr_nodes nodes (values 1..nr_nodes) from `head`, an __arena global;
 * user space walks the list through its mapping of the arena, pointer by
 * pointer. sum walks it again in the global function list_sum, whose
 * __arg_arena argument only verifies if the "arg:arena" decl tag reaches
 * the kernel, and returns (and stores) the sum of the values. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_arena_common.h>

char LICENSE[] SEC("license") = "GPL";

#define ARENA_PAGES 16
#define MAX_NODES 64

struct {
	__uint(type, BPF_MAP_TYPE_ARENA);
	__uint(map_flags, BPF_F_MMAPABLE);
	__uint(max_entries, ARENA_PAGES);
} arena SEC(".maps");

struct node {
	struct node __arena *next;
	__u64 value;
};

/* In the arena: user space finds the list through the globals. */
struct node __arena *__arena head;
__u64 __arena built = 0;

/* Plain globals (.bss / .data). */
__u32 nr_nodes = 5;
__u64 last_sum;
int build_err;

__noinline int list_sum(struct node __arena *n __arg_arena)
{
	__u64 sum = 0;
	int i;

	for (i = 0; i < MAX_NODES && n; i++) {
		sum += n->value;
		n = n->next;
	}
	return (int)sum;
}

SEC("syscall")
int build(void *ctx)
{
	struct node __arena *nodes;
	__u32 i, n = nr_nodes;

	if (n > MAX_NODES)
		n = MAX_NODES;
	nodes = bpf_arena_alloc_pages(&arena, NULL, 1, NUMA_NO_NODE, 0);
	if (!nodes) {
		build_err = 1;
		return 1;
	}
	head = NULL;
	/* pushed in reverse, so the list runs 1, 2, ... n */
	for (i = 0; i < MAX_NODES && i < n; i++) {
		struct node __arena *nd = &nodes[n - 1 - i];

		nd->value = n - i;
		nd->next = head;
		head = nd;
	}
	built = n;
	return 0;
}

SEC("syscall")
int sum(void *ctx)
{
	int s = list_sum(head);

	last_sum = s;
	return s;
}
