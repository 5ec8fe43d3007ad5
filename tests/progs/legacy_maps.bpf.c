/* Part of bpfxx. Object-open test program: a legacy "maps" section, which
 * must be refused with a clear error. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

struct legacy_def {
	unsigned int type, key_size, value_size, max_entries, map_flags;
};

struct legacy_def old_map SEC("maps") = {
	.type = BPF_MAP_TYPE_ARRAY, .key_size = 4, .value_size = 4, .max_entries = 1,
};

SEC("xdp")
int legacy_user(struct xdp_md *ctx)
{
	return XDP_PASS;
}
