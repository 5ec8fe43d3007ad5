/* Part of bpfxx. Compiled without -g, so without BTF: the skeleton's data
 * sections are then untyped (empty structs), and a subskeleton cannot be
 * generated. No .maps section (BTF maps need BTF). */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

__u32 counter;
__u32 step = 2;

SEC("syscall")
int bump(void *ctx)
{
	counter += step;
	return 0;
}
