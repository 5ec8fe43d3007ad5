/* Part of bpfxx. Load test program: global data seen from both sides.
 *
 * copy_globals copies the inputs user space set before load (.bss, .data,
 * .rodata and the custom .data.custom / .rodata.custom sections) into
 * outputs user space reads back, and counts its runs, so a test can show
 * that values travel both ways before and after load. ro_mode picks the
 * return value; ro_guard_safe hides a path the verifier rejects, so the
 * load only succeeds while the verifier sees the rodata value 1 and
 * prunes that path as dead code. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

/* .bss: all zero at open. */
__u32 bss_in;
__u32 bss_out;
__u32 runs;

/* .data: explicit non-zero initial values. */
__u32 data_in = 0x1111;
__u32 data_out = 1;
__u64 data_wide = 0x0102030405060708ULL;

/* .rodata: read-only to the program, set by user space before load. */
const volatile __u32 ro_in = 0x2222;
const volatile __u32 ro_mode = 0;
const volatile __u32 ro_guard_safe = 1;

/* Custom sections, each its own map. */
__u32 custom_in SEC(".data.custom") = 0x3333;
__u32 custom_out SEC(".data.custom") = 2;
const volatile __u32 custom_ro SEC(".rodata.custom") = 0x4444;

/* Outputs of the read-only inputs live in .data as well. */
__u32 ro_out = 3;
__u32 custom_ro_out = 4;

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__type(key, __u32);
	__type(value, __u64);
	__uint(max_entries, 1);
} guard_scratch SEC(".maps");

SEC("xdp")
int copy_globals(struct xdp_md *ctx)
{
	runs++;
	bss_out = bss_in + 1;
	data_out = data_in + 1;
	data_wide += 1;
	ro_out = ro_in;
	custom_out = custom_in + 1;
	custom_ro_out = custom_ro;
	if (ro_mode == 7)
		return XDP_DROP;
	return XDP_PASS;
}

SEC("xdp")
int guarded(struct xdp_md *ctx)
{
	__u32 zero = 0;
	__u64 *slot = bpf_map_lookup_elem(&guard_scratch, &zero);

	if (ro_guard_safe)
		return slot ? XDP_PASS : XDP_ABORTED;
	/* Dead unless ro_guard_safe is 0: dereferences a hash lookup without
	 * the NULL check (an array lookup with a constant key may be known
	 * non-NULL to the verifier, a hash lookup never is). */
	return *slot == 5 ? XDP_TX : XDP_DROP;
}
