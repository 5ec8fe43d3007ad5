/* Part of bpfxx. Compile test: bpf_arena_common.h and bpf_arena_alloc.h
 * (clang 19; built with and without BPF_ARENA_FORCE_ASM). */
#include "bpfxx_test_kernel.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_arena_common.h>

char LICENSE[] SEC("license") = "GPL";

struct {
	__uint(type, BPF_MAP_TYPE_ARENA);
	__uint(map_flags, BPF_F_MMAPABLE);
	__uint(max_entries, 16); /* pages */
#ifdef __TARGET_ARCH_arm64
	__ulong(map_extra, 0x1ull << 32); /* user address of the arena */
#else
	__ulong(map_extra, 0x1ull << 44);
#endif
} arena SEC(".maps");

#include <bpf/bpf_arena_alloc.h>

struct item {
	long key;
	struct item __arena *next;
	long payload;
};

/* globals placed in the arena itself */
int __arena_global arena_counter;
struct item __arena *__arena_global arena_head;

long results[8];

__noinline int sum_list(struct item __arena *head __arg_arena)
{
	int sum = 0;

	while (head && can_loop) {
		sum += head->key;
		head = head->next;
	}
	return sum;
}

SEC("syscall")
int arena_ops(void *ctx)
{
	struct item __arena *it, *prev = NULL;
	void __arena *page;
	long __arena *payload;
	int i;

	page = bpf_arena_alloc_pages(&arena, NULL, 2, NUMA_NO_NODE, 0);
	if (!page)
		return 1;
	cast_kern(page);
	WRITE_ONCE(*(int __arena *)page, 42);
	bpf_arena_free_pages(&arena, page, 2);
	if (bpf_ksym_exists(bpf_arena_reserve_pages))
		results[0] = bpf_arena_reserve_pages(&arena, NULL, 1);

	for (i = 0; i < 4 && can_loop; i++) {
		it = bpf_arena_alloc(sizeof(*it));
		if (!it)
			break;
		cast_kern(it);
		it->key = i;
		it->next = prev;
		prev = it;
		cast_user(prev);
	}
	arena_head = prev;
	arena_counter++;
	results[1] = sum_list(prev);

	if (prev) {
		cast_kern(prev);
		payload = &prev->payload;
		results[2] = (long)arena_container_of(payload, struct item, payload) == (long)prev;
		bpf_arena_free(prev);
	}
	results[3] = PAGE_SIZE;
	bpf_free(bpf_alloc(16));
	return 0;
}
