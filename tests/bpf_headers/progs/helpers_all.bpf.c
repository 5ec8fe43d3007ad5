/* Part of bpfxx. Compile test: every macro of bpf_helpers.h and bpf_endian.h. */
#include "bpfxx_test_kernel.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

char LICENSE[] SEC("license") = "GPL";

/* ---- map definition macros ---- */
struct value {
	__u64 count;
	struct bpf_spin_lock lock;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 64);
	__type(key, __u32);
	__type(value, struct value);
	__uint(pinning, LIBBPF_PIN_NONE);
} counts SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
} ring SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_BLOOM_FILTER);
	__uint(max_entries, 64);
	__type(value, __u32);
	__ulong(map_extra, 3); /* number of hash functions */
} bloom SEC(".maps");

int tail_target(struct __sk_buff *skb);

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__array(values, int(struct __sk_buff *));
} jump_table SEC(".maps") = {
	.values = { [1] = (void *)&tail_target },
};

/* ---- externs: kconfig, ksyms, kfuncs ---- */
extern unsigned int LINUX_KERNEL_VERSION __kconfig;
extern enum libbpf_tristate CONFIG_BPF_SYSCALL __kconfig __weak;
extern const void bpf_prog_active __ksym __weak;
extern struct task_struct *bpf_task_acquire(struct task_struct *p) __ksym __weak;
extern void bpf_task_release(struct task_struct *p) __ksym __weak;
extern void *bpf_obj_new_impl(__u64 local_type_id, void *meta) __ksym __weak;

/* ---- BTF tags on map values and allocated objects ---- */
struct node_data {
	long key;
	struct bpf_list_node node;
};

struct tagged {
	struct task_struct __kptr *owned;
	struct task_struct __kptr_untrusted *seen;
	struct value __percpu_kptr *per_cpu;
	struct value __uptr *user_part;
	struct task_struct __rcu *rcu_ptr;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct tagged);
} tagged_map SEC(".maps");

#define private(name) SEC(".bss." #name) __hidden __attribute__((aligned(8)))
private(lists) struct bpf_spin_lock list_lock;
private(lists) struct bpf_list_head list_head __contains(node_data, node);

/* ---- globals ---- */
__u64 counter = 0;
int last_err = 0;
const volatile int rodata_knob = 7;
char out_buf[64];

/* ---- global function attributes ---- */
__noinline __weak int weak_subprog(int x)
{
	return x * 2;
}

__hidden int hidden_subprog(void *ctx __arg_ctx, int *p __arg_nonnull, int *q __arg_nullable)
{
	return *p + (q ? *q : 0) + (ctx != NULL);
}

__noinline int trusted_subprog(struct task_struct *t __arg_trusted)
{
	return t ? t->pid : 0;
}

__noinline int untrusted_subprog(struct task_struct *t __arg_untrusted)
{
	return t ? 1 : 0;
}

static __always_inline int inlined(int v)
{
	return v + 1;
}

SEC("tc")
int tail_target(struct __sk_buff *skb)
{
	return 0;
}

/* ---- printing ---- */
SEC("tracepoint/syscalls/sys_enter_getpid")
int print_all(void *ctx)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	int a = 1, b = 2, c = 3, d = 4, e = 5;

	bpf_printk("no args");
	bpf_printk("three %d %d %d", a, b, c);
	bpf_printk("five %d %d %d %d %d", a, b, c, d, e);
	bpf_printk("twelve %d %d %d %d %d %d %d %d %d %d %d %llx", a, b, c, d, e, a, b, c, d,
		   e, a, pid_tgid);
	BPF_SNPRINTF(out_buf, sizeof(out_buf), "pid %d knob %d", (int)(pid_tgid >> 32),
		     rodata_knob);
	last_err = bpf_stream_printk(BPF_STDOUT, "stdout %d %s\n", a, "text");
	last_err |= bpf_stream_printk(BPF_STDERR, "stderr without arguments\n");
	return 0;
}

SEC("iter/task")
int dump_task(void *ctx)
{
	struct seq_file *seq = *(struct seq_file **)ctx;

	BPF_SEQ_PRINTF(seq, "header\n");
	BPF_SEQ_PRINTF(seq, "%d %d %d %d\n", 1, 2, 3, 4);
	return 0;
}

/* ---- loops ---- */
SEC("syscall")
int loops(void *ctx)
{
	int i, sum = 0, arr[8] = {};
	int *v;

	bpf_for(i, 0, 8)
		arr[i] = i; /* i is proven to be in [0, 8) */
	bpf_repeat(3)
		sum++;
	bpf_for_each(num, v, 0, 4)
		sum += *v;

	/*
	 * may_goto loops: the verifier accepts them without a bound it can
	 * prove. They run until the per-program budget is spent (the first loop
	 * uses it up, the others then stop at once). Nothing here depends on a
	 * precise loop counter, so the verifier's states converge.
	 */
	while (can_loop)
		sum += 3;
	for (;;) {
		cond_break;
		sum++;
	}
	for (;;) {
		cond_break_label(out);
		sum += 2;
	}
out:
	counter = sum;
	return 0;
}

/* ---- misc helpers and macros ---- */
SEC("tc")
int misc(struct __sk_buff *skb)
{
	__u32 key = 0;
	struct value *val, init = {};
	struct value *outer;
	__u64 len = skb->len;

	/* tail call with a constant slot, and with a variable one */
	bpf_tail_call_static(skb, &jump_table, 1);
	bpf_tail_call(skb, &jump_table, key);

	val = bpf_map_lookup_elem(&counts, &key);
	if (!val) {
		bpf_map_update_elem(&counts, &key, &init, BPF_ANY);
		return 0;
	}
	bpf_spin_lock(&val->lock);
	val->count++;
	bpf_spin_unlock(&val->lock);

	outer = container_of(&val->lock, struct value, lock);
	barrier();
	barrier_var(len);
	if (likely(len > 14) && !unlikely(len > 65535))
		counter += outer->count + offsetof(struct value, lock);

	switch (len & 1) {
	case 0:
	case 1:
		break;
	default:
		__bpf_unreachable(); /* must be optimised away */
	}

	if (bpf_ksym_exists(bpf_task_acquire) && bpf_ksym_exists(&bpf_prog_active))
		counter++;
	if (LINUX_KERNEL_VERSION >= KERNEL_VERSION(5, 10, 0) && CONFIG_BPF_SYSCALL != TRI_NO)
		counter++;
	if (LINUX_HAS_SYSCALL_WRAPPER)
		counter++;

	counter += inlined(weak_subprog(1)) + hidden_subprog(skb, &last_err, NULL);
	counter += rodata_knob;
	bpf_ringbuf_output(&ring, &len, sizeof(len), 0);
	bpf_map_push_elem(&bloom, &key, 0);
	return 0;
}

/* ---- byte order ---- */
SEC("xdp")
int endian(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	__u16 *proto = data + 12;
	__u32 word = (__u32)ctx->ingress_ifindex;
	__u64 wide = bpf_ktime_get_ns();

	_Static_assert(bpf_htons(0x1234) == 0x3412, "htons folds to a constant");
	_Static_assert(__bpf_constant_htonl(0x11223344) == 0x44332211, "htonl constant");
	_Static_assert(bpf_cpu_to_be64(0x0102030405060708ULL) == 0x0807060504030201ULL,
		       "be64 constant");

	if ((void *)(proto + 1) > end)
		return XDP_PASS;
	switch (*proto) {
	case __bpf_constant_htons(0x0800):
		counter += bpf_ntohs(*proto);
		break;
	default:
		counter += bpf_htonl(word) + bpf_ntohl(word);
		counter += bpf_be64_to_cpu(wide) ^ bpf_cpu_to_be64(wide);
		counter += bpf_htons((__u16)word);
	}
	return XDP_PASS;
}

/* struct task_struct users with trusted pointers */
SEC("tp_btf/task_newtask")
int trusted(__u64 *ctx)
{
	struct task_struct *task = (struct task_struct *)ctx[0];
	struct task_struct *held;

	counter += trusted_subprog(task) + untrusted_subprog(task);
	if (bpf_ksym_exists(bpf_task_acquire)) {
		held = bpf_task_acquire(task);
		if (held)
			bpf_task_release(held);
	}
	return 0;
}
