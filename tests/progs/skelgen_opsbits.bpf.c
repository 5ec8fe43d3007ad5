/* Part of bpfxx. Skeleton generator test (generation only, never loaded:
 * the struct is not a kernel struct_ops type): a struct_ops map whose
 * struct has bitfields. The skeleton's shadow type cannot point at a
 * bitfield, so it leaves their bytes to padding and every later member
 * must still sit at its real offset. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

char _license[] SEC("license") = "GPL";

struct skelgen_bits_ops {
	void (*hook)(void);            /* offset 0 */
	unsigned int low : 3;          /* bits 64..66 */
	unsigned int high : 5;         /* bits 67..71 */
	unsigned int after;            /* offset 12 */
	char tag;                      /* offset 16 */
	unsigned long long wide : 40;  /* bits 136..175 */
	unsigned int last;             /* offset 24; size 32 */
};

SEC("struct_ops/skg_hook")
void BPF_PROG(skg_hook)
{
}

SEC(".struct_ops")
struct skelgen_bits_ops bits = {
	.hook = (void *)skg_hook,
	.low = 5,
	.high = 17,
	.after = 0x1234,
	.tag = 't',
	.wide = 0x123456789aULL,
	.last = 0x5678,
};
