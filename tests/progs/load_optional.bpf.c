/* Part of bpfxx. Object-load test program: an optional program.
 *
 * SEC("?xdp") is an XDP program that is loaded only when asked for
 * (bpf_program__set_autoload(prog, true)); it counts its runs in a global,
 * so it carries a relocation. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

int maybe_runs;

SEC("?xdp")
int maybe(struct xdp_md *ctx)
{
	maybe_runs++;
	return XDP_TX;
}

SEC("xdp")
int always(struct xdp_md *ctx)
{
	return XDP_PASS;
}
