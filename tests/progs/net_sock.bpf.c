/* Part of bpfxx. Socket-steering programs for the netns and sockmap link
 * tests: sk_lookup steering connections for the port in config[0] to the
 * socket in lookup_socks, and an sk_msg program counting the messages
 * sent on sockets of msg_socks. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

enum { CNT_STEERED = 0, CNT_MSGS = 1, CNT_MAX = 4 };

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, CNT_MAX);
	__type(key, __u32);
	__type(value, __u64);
} counters SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} config SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_SOCKMAP);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} lookup_socks SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_SOCKMAP);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, __u64);
} msg_socks SEC(".maps");

static void bump(__u32 idx)
{
	__u64 *v = bpf_map_lookup_elem(&counters, &idx);

	if (v)
		__sync_fetch_and_add(v, 1);
}

SEC("sk_lookup")
int steer(struct bpf_sk_lookup *ctx)
{
	__u32 key = 0, *port = bpf_map_lookup_elem(&config, &key);
	struct bpf_sock *sk;
	long err;

	if (!port || ctx->local_port != *port)
		return SK_PASS;
	sk = bpf_map_lookup_elem(&lookup_socks, &key);
	if (!sk)
		return SK_PASS;
	err = bpf_sk_assign(ctx, sk, 0);
	bpf_sk_release(sk);
	if (!err)
		bump(CNT_STEERED);
	return err ? SK_DROP : SK_PASS;
}

SEC("sk_msg")
int count_msg(struct sk_msg_md *msg)
{
	bump(CNT_MSGS);
	return SK_PASS;
}
