/* Part of bpfxx. Three cgroup_skb/egress programs for the tests of the
 * legacy bpf_prog_attach flags (ALLOW_MULTI, REPLACE, BEFORE/AFTER): each
 * counts its runs, the first to see a packet after `first_tag` was reset
 * writes its tag there, and every one overwrites `last_tag`, so one packet
 * tells the order the cgroup ran them in. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

__u64 hits[3];
__u32 first_tag;
__u32 last_tag;

static int record(__u32 tag)
{
	__sync_fetch_and_add(&hits[tag - 1], 1);
	/* Programs of one cgroup run one after another on a packet. */
	if (!first_tag)
		first_tag = tag;
	last_tag = tag;
	return 1;
}

SEC("cgroup_skb/egress")
int egress_one(struct __sk_buff *skb)
{
	return record(1);
}

SEC("cgroup_skb/egress")
int egress_two(struct __sk_buff *skb)
{
	return record(2);
}

SEC("cgroup_skb/egress")
int egress_three(struct __sk_buff *skb)
{
	return record(3);
}
