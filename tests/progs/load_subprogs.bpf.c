/* Part of bpfxx. Load test program: subprograms and callbacks.
 *
 * .text holds a static subprogram (triple), a global one (add_pair), a
 * bpf_loop callback, a bpf_for_each_map_elem callback and a global
 * function nobody calls. Two entry programs in one section share triple
 * (each needs its own copy), loop_prog runs the callbacks, and lonely
 * calls nothing, so none of .text may be appended to it. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

struct bpf_map;

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__type(key, __u32);
	__type(value, __u64);
	__uint(max_entries, 4);
} values SEC(".maps");

__u32 a_result;
__u32 b_result;
__u32 loop_calls;
__u32 loop_index_sum;
__u64 elem_sum;
__u32 elem_calls;
__u32 lonely_ran;
volatile __u32 input = 5;

static __noinline __u32 triple(__u32 x)
{
	return x * 3 + 1;
}

__noinline int add_pair(int a, int b)
{
	return a + b * 10;
}

__noinline int never_called(int x)
{
	return x * x - 17;
}

static int count_iteration(__u32 index, void *ctx)
{
	loop_calls++;
	loop_index_sum += index;
	return 0;
}

static long sum_element(struct bpf_map *map, __u32 *key, __u64 *val, void *ctx)
{
	elem_sum += *val;
	elem_calls++;
	return 0;
}

SEC("xdp")
int first_user(struct xdp_md *ctx)
{
	a_result = triple(input);
	return XDP_PASS;
}

SEC("xdp")
int second_user(struct xdp_md *ctx)
{
	b_result = triple(input + 1) + add_pair(input, 2);
	return XDP_TX;
}

SEC("tc")
int loop_prog(struct __sk_buff *skb)
{
	bpf_loop(input + 1, count_iteration, 0, 0);
	bpf_for_each_map_elem(&values, sum_element, 0, 0);
	return 0;
}

SEC("xdp")
int lonely(struct xdp_md *ctx)
{
	lonely_ran = input;
	return XDP_PASS;
}
