/* Part of bpfxx. User ring buffer test program: drain() takes every
 * record user space submitted to urb with bpf_user_ringbuf_drain() and
 * sums them; a record is { value, ~value }, and one whose check word does
 * not match is counted as bad. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

struct {
	__uint(type, BPF_MAP_TYPE_USER_RINGBUF);
	__uint(max_entries, 4096 * 4);
} urb SEC(".maps");

struct control {
	__u64 sum;
	__u64 count;
	__u64 bad;
	__s64 last_drained;
};

struct control ctl;

struct sample {
	__u64 value;
	__u64 check;
};

static long take(struct bpf_dynptr *dynptr, void *unused)
{
	struct sample s;

	if (bpf_dynptr_read(&s, sizeof(s), dynptr, 0, 0)) {
		ctl.bad++;
		return 0;
	}
	if (s.check != ~s.value)
		ctl.bad++;
	ctl.sum += s.value;
	ctl.count++;
	return 0;
}

SEC("raw_tp/sys_enter")
int drain(void *ctx)
{
	ctl.last_drained = bpf_user_ringbuf_drain(&urb, take, NULL, 0);
	return 0;
}
