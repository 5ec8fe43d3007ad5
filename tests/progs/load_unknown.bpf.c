/* Part of bpfxx. Load test program: a program in a section no program
 * type matches, beside a normal one. The object opens; the load fails
 * naming the section unless the test sets a type or turns autoload off. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

__u32 known_ran;
__u32 odd_ran;

SEC("xdp")
int known(struct xdp_md *ctx)
{
	known_ran = 1;
	return XDP_PASS;
}

SEC("no_such_program_type_here")
int odd_one(struct xdp_md *ctx)
{
	odd_ran = 0x0DD;
	return XDP_TX;
}
