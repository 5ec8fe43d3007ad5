/* Part of bpfxx. Object-load test program: an exception callback.
 *
 * The entry program names its exception callback with the decl tag
 * "exception_callback:<name>"; nothing calls the callback, so only the tag
 * makes the loader append it (and give it func_info) for the kernel to
 * find. The callback must be a global function taking the u64 cookie. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

int entry_ran;

__noinline int on_exception(__u64 cookie)
{
	return (int)cookie + 1;
}

/* Never referenced: must not be appended anywhere. */
__noinline int unrelated_global(__u64 x)
{
	return (int)x * 7;
}

SEC("xdp")
__attribute__((btf_decl_tag("exception_callback:on_exception")))
int with_exception_cb(struct xdp_md *ctx)
{
	entry_ran = 1;
	return XDP_PASS;
}
