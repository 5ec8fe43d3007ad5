/* Part of bpfxx. Object-load test program: exception callbacks the loader
 * refuses before the kernel sees them: a static callback (the kernel looks
 * callbacks up among global functions) and two callbacks for one program. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

static __noinline int static_cb(__u64 cookie)
{
	return (int)cookie;
}

__noinline int first_cb(__u64 cookie)
{
	return (int)cookie + static_cb(cookie);
}

__noinline int second_cb(__u64 cookie)
{
	return (int)cookie + 2;
}

SEC("xdp")
__attribute__((btf_decl_tag("exception_callback:static_cb")))
int with_static_cb(struct xdp_md *ctx)
{
	return XDP_PASS;
}

SEC("xdp")
__attribute__((btf_decl_tag("exception_callback:first_cb")))
__attribute__((btf_decl_tag("exception_callback:second_cb")))
int with_two_cbs(struct xdp_md *ctx)
{
	return XDP_PASS;
}
