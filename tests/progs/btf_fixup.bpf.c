/* Part of bpfxx. BTF fix-up test program: what finalize_btf() repairs.
 *
 * clang leaves every DATASEC's size and its global variables' offsets at
 * zero; the loader fills them from the ELF section and symbols. The object
 * has globals and statics in .data, .bss, .rodata and a custom section,
 * a hidden global (its VAR turns static), a hidden global function (its
 * FUNC turns static), and a .bss array last in its section so that the
 * section can be resized (bpf_map__set_value_size). */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

__u64 data_a = 1;
__u32 data_b = 2;
static __u32 data_static = 3;
__hidden __u32 data_hidden = 4;
/* Never used: only its symbol and VAR tie it to .data (the tests rename
 * the symbol to show the error for a VAR without one). */
__u32 data_unused = 9;

__u32 bss_first;
__u64 bss_second;
__u32 bss_tail[4];

const volatile __u32 ro_a = 5;
const volatile __u64 ro_b = 6;

__u16 custom_x SEC(".data.fix") = 7;
__u64 custom_y SEC(".data.fix") = 8;

/* A resizable section: a header, then an array of 8-byte elements last. */
__u32 rs_count SEC(".data.resize") = 3;
__u64 rs_items[3] SEC(".data.resize") = {10, 20, 30};

__hidden __noinline int hidden_helper(int x)
{
	return x * 3 + data_static;
}

__noinline int global_helper(int x)
{
	return x + (int)ro_b;
}

SEC("xdp")
int fixup_prog(struct xdp_md *ctx)
{
	static __u32 fn_static;

	fn_static++;
	data_a += data_b + data_hidden + bss_tail[1] + custom_x + ro_a + fn_static +
		  rs_items[rs_count & 1];
	bss_first = hidden_helper(bss_first);
	bss_second = global_helper((int)custom_y);
	data_static++;
	return XDP_PASS;
}
