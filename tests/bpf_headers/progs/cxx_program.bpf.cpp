/* Part of bpfxx. Compile test: bpf_helpers.h, bpf_helper_defs.h and
 * bpf_endian.h in a C++ BPF program (clang++ -target bpf -fno-exceptions).
 * CO-RE and the tracing wrappers stay C-only: clang ignores
 * preserve_access_index in C++, and the wrappers rely on C conversions. */
#include <linux/types.h>
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

extern "C" {

char LICENSE[] SEC("license") = "GPL";

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u64);
} values SEC(".maps");

__u64 total;

SEC("syscall")
int cxx_loops(void *ctx)
{
	int i;
	__u32 key = 0;
	__u64 *v = static_cast<__u64 *>(bpf_map_lookup_elem(&values, &key));

	bpf_for(i, 0, 4)
		total += static_cast<__u64>(i);
	bpf_repeat(2)
		total++;
	while (can_loop)
		total++;
	if (v)
		total += *v;
	bpf_printk("total %llu", total);
	bpf_printk("total %llu %d %d %d", total, 1, 2, 3);
	return bpf_htons(static_cast<__u16>(total));
}

}
