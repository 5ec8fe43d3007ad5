/* Part of bpfxx. Perf buffer test program: each run sends ctl.per_run
 * samples with bpf_perf_event_output() to the current CPU's buffer. A
 * sample is { seq, cpu, size | run << 16, pattern words of the run... }
 * truncated to its size (24 to 511 bytes), where run is the first seq of
 * the run (filling the pattern once per run keeps the verifier's work small); outputs the kernel refuses for lack of room are
 * counted in ctl.failures, so the test can match them to the loss reports. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

struct {
	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(__u32));
} events SEC(".maps");

struct scratch {
	__u64 w[64];
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct scratch);
} scratch_map SEC(".maps");

struct control {
	__u64 per_run;
	__u64 next_seq;
	__u64 failures;
	__u64 sent;
	__u64 fixed_size; /* when non-zero, every sample has this size */
};

struct control ctl;

#define PATTERN(seq, i) ((seq) * 0x9E3779B97F4A7C15ULL + (i))
#define MAX_PER_RUN 1024

struct send_args {
	void *ctx;
	struct scratch *s;
	__u64 run;
};

/* One sample per bpf_loop iteration: a plain loop of up to MAX_PER_RUN
 * iterations is more than older verifiers (6.12) explore within their
 * instruction budget. */
static long send_one(__u64 i, void *data)
{
	struct send_args *a = data;
	struct scratch *s = a->s;
	__u64 seq, size;

	if (i >= ctl.per_run)
		return 1;
	seq = ctl.next_seq++;
	size = ctl.fixed_size ? ctl.fixed_size : (((seq * 29) & 511) | 24);
	size &= 511;
	if (size < 24)
		size = 24;
	s->w[0] = seq;
	s->w[1] = bpf_get_smp_processor_id();
	s->w[2] = size | (a->run << 16);
	if (bpf_perf_event_output(a->ctx, &events, BPF_F_CURRENT_CPU, s, size))
		ctl.failures++;
	else
		ctl.sent++;
	return 0;
}

SEC("raw_tp/sys_enter")
int send(void *ctx)
{
	__u32 zero = 0;
	struct send_args a = { .ctx = ctx };

	a.s = bpf_map_lookup_elem(&scratch_map, &zero);
	if (!a.s)
		return 1;
	a.run = ctl.next_seq;
	for (int j = 3; j < 64; j++)
		a.s->w[j] = PATTERN(a.run, j - 3);
	bpf_loop(MAX_PER_RUN, send_one, &a, 0);
	return 0;
}
