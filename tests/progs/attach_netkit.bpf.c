/* Part of bpfxx. netkit programs for the netkit attach tests: each counts
 * the IPv4 packets its device transmits and drops them. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

char LICENSE[] SEC("license") = "GPL";

__u64 primary_drops = 0;
__u64 peer_drops = 0;

/* Drops every IPv4 packet, by the skb's protocol: where the IP header
 * sits depends on the device mode, and nothing else needs it. */
static int drop_ipv4(struct __sk_buff *skb, __u64 *drops)
{
	if (skb->protocol != bpf_htons(0x0800))
		return TCX_NEXT;
	__sync_fetch_and_add(drops, 1);
	return TCX_DROP;
}

SEC("netkit/primary")
int nk_primary(struct __sk_buff *skb)
{
	return drop_ipv4(skb, &primary_drops);
}

SEC("netkit/peer")
int nk_peer(struct __sk_buff *skb)
{
	return drop_ipv4(skb, &peer_drops);
}
