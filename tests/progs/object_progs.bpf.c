/* Part of bpfxx. Object-open test program: programs and their sections.
 *
 * Several programs share a section, .text holds a static and a global
 * subprogram plus a bpf_loop callback, one section is sleepable and one is
 * unknown to the section table. Global data is referenced from code. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

int counter;                     /* .bss */
int ready = 1;                   /* .data */
const volatile int limit = 7;    /* .rodata */

static __noinline int static_helper(int x)
{
	return x * 3 + counter;
}

__noinline int global_helper(int x)
{
	return x + ready;
}

static int loop_cb(__u32 idx, void *ctx)
{
	counter += idx;
	return 0;
}

SEC("xdp")
int xdp_one(struct xdp_md *ctx)
{
	return static_helper(1) > limit ? XDP_DROP : XDP_PASS;
}

SEC("xdp")
int xdp_two(struct xdp_md *ctx)
{
	return global_helper(2) ? XDP_PASS : XDP_DROP;
}

SEC("tp/syscalls/sys_enter_getpid")
int tp_prog(void *ctx)
{
	bpf_loop(4, loop_cb, 0, 0);
	return 0;
}

SEC("fentry.s/do_nanosleep")
int sleepy(void *ctx)
{
	return 0;
}

SEC("totally_unknown_section")
int mystery(void *ctx)
{
	return counter;
}
