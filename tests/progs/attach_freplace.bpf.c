/* Part of bpfxx. A freplace program standing in for decide() of
 * attach_freplace_target.bpf.c: XDP_TX instead of XDP_PASS. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

SEC("freplace/decide")
int new_decide(int x)
{
	return XDP_TX;
}
