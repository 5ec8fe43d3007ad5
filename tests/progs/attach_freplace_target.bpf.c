/* Part of bpfxx. The program whose global subprogram the freplace test
 * replaces: it returns whatever decide() says (XDP_PASS as built). */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

__attribute__((noinline)) int decide(int x)
{
	return x == 1 ? XDP_PASS : XDP_ABORTED;
}

SEC("xdp")
int entry(struct xdp_md *ctx)
{
	return decide(1);
}
