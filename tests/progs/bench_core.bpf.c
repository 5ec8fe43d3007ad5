// A CO-RE-heavy object for bench/core_load.cpp: 50 programs, each with
// tens of CO-RE relocations over kernel types defined locally (no
// vmlinux.h) — field offsets through pointer chains and anonymous members,
// bitfields, field/type existence, type sizes and ids, enum values, and
// ___flavor variants, some of which no kernel has (existence-guarded).
//
// 40 raw_tp programs read through bpf_probe_read_kernel (BPF_CORE_READ);
// 10 tp_btf programs load directly through BTF pointers, so the verifier
// checks every relocated offset against the kernel's own types.
// Every relocation kind used is one Debian's libbpf 1.1 also handles.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

typedef unsigned long long u64;
typedef unsigned int u32;

typedef struct {
	u32 val;
} kuid_t;

struct qstr {
	const unsigned char *name;
} __attribute__((preserve_access_index));

struct inode {
	unsigned short i_mode;
	kuid_t i_uid;
	unsigned int i_flags;
	unsigned long i_ino;
	unsigned int i_nlink;
	long long i_size;
	u32 i_generation;
	unsigned long long i_blocks;
	unsigned short i_bytes;
	unsigned char i_blkbits;
} __attribute__((preserve_access_index));

struct dentry {
	struct dentry *d_parent;
	struct qstr d_name;
	struct inode *d_inode;
	unsigned int d_flags;
} __attribute__((preserve_access_index));

struct path {
	void *mnt;
	struct dentry *dentry;
} __attribute__((preserve_access_index));

struct file {
	unsigned int f_flags;
	unsigned int f_mode;
	struct inode *f_inode;
	struct path f_path;
	long long f_pos;
} __attribute__((preserve_access_index));

struct cred {
	kuid_t uid;
	kuid_t euid;
	kuid_t fsuid;
	unsigned int securebits;
} __attribute__((preserve_access_index));

struct mm_struct {
	unsigned long total_vm;
	unsigned long locked_vm;
	unsigned long data_vm;
	unsigned long exec_vm;
	unsigned long stack_vm;
	unsigned long start_code;
	unsigned long end_code;
	unsigned long start_brk;
	unsigned long brk;
	unsigned long arg_start;
	unsigned long env_end;
	unsigned long task_size;
	int map_count;
	struct file *exe_file;
} __attribute__((preserve_access_index));

// A member renamed across kernel versions: the older name as a flavor.
struct mm_struct___old {
	unsigned long bpfxx_old_rss;
} __attribute__((preserve_access_index));

struct signal_struct {
	int nr_threads;
	int group_exit_code;
	unsigned long nvcsw;
	unsigned long maj_flt;
	unsigned int is_child_subreaper : 1;
	unsigned int has_child_subreaper : 1;
} __attribute__((preserve_access_index));

struct task_struct {
	unsigned int __state;
	unsigned int flags;
	int on_cpu;
	int prio;
	int static_prio;
	int normal_prio;
	unsigned int policy;
	int nr_cpus_allowed;
	int pid;
	int tgid;
	int exit_code;
	unsigned int personality;
	unsigned int sched_reset_on_fork : 1;
	unsigned int sched_contributes_to_load : 1;
	u64 utime;
	u64 stime;
	u64 start_time;
	unsigned long nvcsw;
	unsigned long nivcsw;
	char comm[16];
	struct task_struct *real_parent;
	struct task_struct *parent;
	struct task_struct *group_leader;
	struct mm_struct *mm;
	struct mm_struct *active_mm;
	const struct cred *cred;
	const struct cred *real_cred;
	struct signal_struct *signal;
} __attribute__((preserve_access_index));

// Kernels before 5.14 named the state member `state` (a long).
struct task_struct___old {
	long state;
} __attribute__((preserve_access_index));

// A flavor with a member no kernel has.
struct task_struct___bpfxx {
	int pid;
	long bpfxx_no_such_member;
} __attribute__((preserve_access_index));

struct net_device {
	char name[16];
	int ifindex;
	unsigned int mtu;
	unsigned int min_mtu;
	unsigned int max_mtu;
	unsigned int flags;
	unsigned short type;
	unsigned short hard_header_len;
	unsigned short needed_headroom;
} __attribute__((preserve_access_index));

struct sock_common {
	unsigned short skc_family;
	volatile unsigned char skc_state;
	unsigned char skc_reuse : 4;
	unsigned char skc_reuseport : 1;
	int skc_bound_dev_if;
	unsigned short skc_num;
	unsigned short skc_dport;
	unsigned int skc_daddr;
	unsigned int skc_rcv_saddr;
} __attribute__((preserve_access_index));

struct sock {
	struct sock_common __sk_common;
	int sk_rcvbuf;
	int sk_sndbuf;
	unsigned int sk_mark;
	unsigned int sk_priority;
	unsigned short sk_protocol;
	unsigned short sk_type;
	unsigned char sk_kern_sock : 1;
	unsigned char sk_shutdown;
	int sk_err;
	unsigned int sk_ack_backlog;
	unsigned int sk_max_ack_backlog;
} __attribute__((preserve_access_index));

struct sk_buff {
	struct net_device *dev;
	struct sock *sk;
	unsigned int len;
	unsigned int data_len;
	unsigned short mac_len;
	unsigned short queue_mapping;
	unsigned char pkt_type : 3;
	unsigned char ip_summed : 2;
	unsigned short protocol;
	unsigned int mark;
	unsigned int priority;
	unsigned int hash;
	unsigned short transport_header;
	unsigned short network_header;
	unsigned short mac_header;
	unsigned char *head;
	unsigned char *data;
	unsigned int truesize;
} __attribute__((preserve_access_index));

struct sk_buff___bpfxx {
	unsigned int bpfxx_no_such_len;
} __attribute__((preserve_access_index));

struct bpfxx_no_such_type {
	int x;
} __attribute__((preserve_access_index));

enum pid_type {
	PIDTYPE_PID,
	PIDTYPE_TGID,
	PIDTYPE_PGID,
	PIDTYPE_SID,
	PIDTYPE_MAX,
};

enum migrate_mode {
	MIGRATE_ASYNC,
	MIGRATE_SYNC_LIGHT,
	MIGRATE_SYNC,
};

// <linux/bpf.h> has these enums already: flavors name the kernel's.
enum bpf_map_type___k {
	BPF_MAP_TYPE_HASH___k = 100,
	BPF_MAP_TYPE_RINGBUF___k = 101,
	BPF_MAP_TYPE_BPFXX_NONE___k = 102,
};

enum bpf_prog_type___k {
	BPF_PROG_TYPE_XDP___k = 100,
	BPF_PROG_TYPE_SYSCALL___k = 101,
};

u64 results[64];

// raw_tp readers: every BPF_CORE_READ hop is one field-offset relocation.
static __always_inline u64 read_task(void)
{
	struct task_struct *t = (struct task_struct *)bpf_get_current_task();
	char comm[16];
	u64 acc = 0;

	acc += BPF_CORE_READ(t, pid);
	acc += BPF_CORE_READ(t, tgid);
	acc += BPF_CORE_READ(t, real_parent, tgid);
	acc += BPF_CORE_READ(t, real_parent, real_parent, pid);
	acc += BPF_CORE_READ(t, group_leader, pid);
	acc += BPF_CORE_READ(t, parent, start_time);
	acc += BPF_CORE_READ(t, flags);
	acc += BPF_CORE_READ(t, prio);
	acc += BPF_CORE_READ(t, static_prio);
	acc += BPF_CORE_READ(t, normal_prio);
	acc += BPF_CORE_READ(t, policy);
	acc += BPF_CORE_READ(t, utime);
	acc += BPF_CORE_READ(t, stime);
	acc += BPF_CORE_READ(t, nvcsw);
	acc += BPF_CORE_READ(t, nivcsw);
	acc += BPF_CORE_READ(t, cred, uid.val);
	acc += BPF_CORE_READ(t, real_cred, euid.val);
	acc += BPF_CORE_READ(t, signal, nr_threads);
	acc += BPF_CORE_READ_BITFIELD_PROBED(t, sched_reset_on_fork);
	BPF_CORE_READ_STR_INTO(&comm, t, comm);
	acc += comm[0];
	if (bpf_core_field_exists(t->__state))
		acc += BPF_CORE_READ(t, __state);
	else if (bpf_core_field_exists(((struct task_struct___old *)t)->state))
		acc += BPF_CORE_READ((struct task_struct___old *)t, state);
	if (bpf_core_field_exists(((struct task_struct___bpfxx *)t)->bpfxx_no_such_member))
		acc += BPF_CORE_READ((struct task_struct___bpfxx *)t, bpfxx_no_such_member);
	acc += bpf_core_field_size(t->comm);
	acc += bpf_core_type_size(struct task_struct);
	acc += bpf_core_enum_value(enum pid_type, PIDTYPE_SID);
	return acc;
}

static __always_inline u64 read_mm(void)
{
	struct task_struct *t = (struct task_struct *)bpf_get_current_task();
	struct mm_struct *mm = BPF_CORE_READ(t, mm);
	struct signal_struct *sig = BPF_CORE_READ(t, signal);
	u64 acc = 0;

	acc += BPF_CORE_READ(mm, total_vm);
	acc += BPF_CORE_READ(mm, locked_vm);
	acc += BPF_CORE_READ(mm, data_vm);
	acc += BPF_CORE_READ(mm, exec_vm);
	acc += BPF_CORE_READ(mm, stack_vm);
	acc += BPF_CORE_READ(mm, start_code);
	acc += BPF_CORE_READ(mm, end_code);
	acc += BPF_CORE_READ(mm, start_brk);
	acc += BPF_CORE_READ(mm, brk);
	acc += BPF_CORE_READ(mm, arg_start);
	acc += BPF_CORE_READ(mm, env_end);
	acc += BPF_CORE_READ(mm, task_size);
	acc += BPF_CORE_READ(mm, map_count);
	acc += BPF_CORE_READ(t, active_mm, total_vm);
	acc += BPF_CORE_READ(t, signal, maj_flt);
	acc += BPF_CORE_READ_BITFIELD_PROBED(sig, has_child_subreaper);
	if (bpf_core_field_exists(((struct mm_struct___old *)mm)->bpfxx_old_rss))
		acc += BPF_CORE_READ((struct mm_struct___old *)mm, bpfxx_old_rss);
	acc += bpf_core_type_size(struct mm_struct);
	acc += bpf_core_field_offset(mm->exe_file);
	acc += bpf_core_enum_value(enum migrate_mode, MIGRATE_SYNC);
	return acc;
}

static __always_inline u64 read_file(void)
{
	struct task_struct *t = (struct task_struct *)bpf_get_current_task();
	struct file *f = BPF_CORE_READ(t, mm, exe_file);
	char name[32];
	u64 acc = 0;

	acc += BPF_CORE_READ(f, f_flags);
	acc += BPF_CORE_READ(f, f_mode);
	acc += BPF_CORE_READ(f, f_pos);
	acc += BPF_CORE_READ(f, f_inode, i_ino);
	acc += BPF_CORE_READ(f, f_inode, i_mode);
	acc += BPF_CORE_READ(f, f_inode, i_uid.val);
	acc += BPF_CORE_READ(f, f_inode, i_size);
	acc += BPF_CORE_READ(f, f_inode, i_nlink);
	acc += BPF_CORE_READ(f, f_inode, i_flags);
	acc += BPF_CORE_READ(f, f_inode, i_generation);
	acc += BPF_CORE_READ(f, f_inode, i_blocks);
	acc += BPF_CORE_READ(f, f_inode, i_blkbits);
	acc += BPF_CORE_READ(f, f_path.dentry, d_flags);
	acc += BPF_CORE_READ(f, f_path.dentry, d_parent, d_inode, i_ino);
	BPF_PROBE_READ_STR_INTO(&name, f, f_path.dentry, d_name.name);
	bpf_probe_read_kernel_str(name, sizeof(name), BPF_CORE_READ(f, f_path.dentry, d_name.name));
	acc += name[0];
	acc += bpf_core_field_exists(f->f_path);
	acc += bpf_core_type_size(struct inode);
	acc += bpf_core_type_exists(struct dentry);
	acc += bpf_core_type_exists(struct bpfxx_no_such_type);
	return acc;
}

static __always_inline u64 read_skb(struct bpf_raw_tracepoint_args *ctx)
{
	struct sk_buff *skb = (struct sk_buff *)ctx->args[0];
	char dev_name[16];
	u64 acc = 0;

	acc += BPF_CORE_READ(skb, len);
	acc += BPF_CORE_READ(skb, data_len);
	acc += BPF_CORE_READ(skb, mac_len);
	acc += BPF_CORE_READ(skb, queue_mapping);
	acc += BPF_CORE_READ(skb, protocol);
	acc += BPF_CORE_READ(skb, mark);
	acc += BPF_CORE_READ(skb, priority);
	acc += BPF_CORE_READ(skb, hash);
	acc += BPF_CORE_READ(skb, transport_header);
	acc += BPF_CORE_READ(skb, network_header);
	acc += BPF_CORE_READ(skb, mac_header);
	acc += BPF_CORE_READ(skb, truesize);
	acc += (u64)BPF_CORE_READ(skb, head);
	acc += (u64)BPF_CORE_READ(skb, data);
	acc += BPF_CORE_READ_BITFIELD_PROBED(skb, pkt_type);
	acc += BPF_CORE_READ_BITFIELD_PROBED(skb, ip_summed);
	acc += BPF_CORE_READ(skb, dev, ifindex);
	acc += BPF_CORE_READ(skb, dev, mtu);
	acc += BPF_CORE_READ(skb, dev, flags);
	acc += BPF_CORE_READ(skb, dev, type);
	BPF_CORE_READ_INTO(&dev_name, skb, dev, name);
	acc += dev_name[0];
	if (bpf_core_field_exists(((struct sk_buff___bpfxx *)skb)->bpfxx_no_such_len))
		acc += BPF_CORE_READ((struct sk_buff___bpfxx *)skb, bpfxx_no_such_len);
	acc += bpf_core_field_size(skb->protocol);
	acc += bpf_core_type_id_kernel(struct sk_buff);
	acc += bpf_core_enum_value(enum bpf_prog_type___k, BPF_PROG_TYPE_XDP___k);
	return acc;
}

static __always_inline u64 read_sock(struct bpf_raw_tracepoint_args *ctx)
{
	struct sock *sk = (struct sock *)ctx->args[1];
	u64 acc = 0;

	acc += BPF_CORE_READ(sk, __sk_common.skc_family);
	acc += BPF_CORE_READ(sk, __sk_common.skc_state);
	acc += BPF_CORE_READ(sk, __sk_common.skc_bound_dev_if);
	acc += BPF_CORE_READ(sk, __sk_common.skc_num);
	acc += BPF_CORE_READ(sk, __sk_common.skc_dport);
	acc += BPF_CORE_READ(sk, __sk_common.skc_daddr);
	acc += BPF_CORE_READ(sk, __sk_common.skc_rcv_saddr);
	acc += BPF_CORE_READ_BITFIELD_PROBED(&sk->__sk_common, skc_reuse);
	acc += BPF_CORE_READ_BITFIELD_PROBED(&sk->__sk_common, skc_reuseport);
	acc += BPF_CORE_READ(sk, sk_rcvbuf);
	acc += BPF_CORE_READ(sk, sk_sndbuf);
	acc += BPF_CORE_READ(sk, sk_mark);
	acc += BPF_CORE_READ(sk, sk_priority);
	acc += BPF_CORE_READ(sk, sk_protocol);
	acc += BPF_CORE_READ(sk, sk_type);
	acc += BPF_CORE_READ(sk, sk_shutdown);
	acc += BPF_CORE_READ(sk, sk_err);
	acc += BPF_CORE_READ(sk, sk_ack_backlog);
	acc += BPF_CORE_READ(sk, sk_max_ack_backlog);
	acc += BPF_CORE_READ_BITFIELD_PROBED(sk, sk_kern_sock);
	acc += bpf_core_field_exists(sk->sk_kern_sock);
	acc += bpf_core_type_size(struct sock_common);
	acc += bpf_core_type_id_local(struct sock);
	acc += bpf_core_enum_value(enum bpf_map_type___k, BPF_MAP_TYPE_RINGBUF___k);
	acc += bpf_core_enum_value_exists(enum bpf_map_type___k, BPF_MAP_TYPE_BPFXX_NONE___k);
	return acc;
}

// tp_btf readers: plain loads through trusted BTF pointers.
static __always_inline u64 read_switch(u64 *ctx)
{
	struct task_struct *prev = (struct task_struct *)ctx[1];
	struct task_struct *next = (struct task_struct *)ctx[2];
	u64 acc = 0;

	acc += prev->pid;
	acc += prev->tgid;
	acc += next->pid;
	acc += next->tgid;
	acc += prev->prio;
	acc += next->static_prio;
	acc += prev->flags;
	acc += next->nr_cpus_allowed;
	acc += prev->on_cpu;
	acc += next->exit_code;
	acc += prev->personality;
	acc += prev->start_time;
	acc += next->nvcsw;
	acc += prev->comm[0];
	acc += prev->real_parent->tgid;
	acc += next->group_leader->pid;
	acc += BPF_CORE_READ_BITFIELD(prev, sched_contributes_to_load);
	acc += bpf_core_enum_value(enum pid_type, PIDTYPE_PGID);
	acc += bpf_core_enum_value(enum bpf_map_type___k, BPF_MAP_TYPE_HASH___k);
	acc += bpf_core_enum_value(enum bpf_prog_type___k, BPF_PROG_TYPE_SYSCALL___k);
	return acc;
}

#define RAW_TP(kind, n)                                                 \
	SEC("raw_tp/sys_enter")                                         \
	int kind##_##n(struct bpf_raw_tracepoint_args *ctx)             \
	{                                                               \
		results[n] = read_##kind(CTX_##kind);                   \
		return 0;                                               \
	}
#define CTX_task
#define CTX_mm
#define CTX_file
#define CTX_skb ctx
#define CTX_sock ctx

#define TP_BTF(n)                                                       \
	SEC("tp_btf/sched_switch")                                      \
	int switch_##n(u64 *ctx)                                        \
	{                                                               \
		results[n] = read_switch(ctx);                          \
		return 0;                                               \
	}

RAW_TP(task, 0) RAW_TP(task, 1) RAW_TP(task, 2) RAW_TP(task, 3) RAW_TP(task, 4)
RAW_TP(task, 5) RAW_TP(task, 6) RAW_TP(task, 7)
RAW_TP(mm, 8) RAW_TP(mm, 9) RAW_TP(mm, 10) RAW_TP(mm, 11) RAW_TP(mm, 12)
RAW_TP(mm, 13) RAW_TP(mm, 14) RAW_TP(mm, 15)
RAW_TP(file, 16) RAW_TP(file, 17) RAW_TP(file, 18) RAW_TP(file, 19) RAW_TP(file, 20)
RAW_TP(file, 21) RAW_TP(file, 22) RAW_TP(file, 23)
RAW_TP(skb, 24) RAW_TP(skb, 25) RAW_TP(skb, 26) RAW_TP(skb, 27) RAW_TP(skb, 28)
RAW_TP(skb, 29) RAW_TP(skb, 30) RAW_TP(skb, 31)
RAW_TP(sock, 32) RAW_TP(sock, 33) RAW_TP(sock, 34) RAW_TP(sock, 35) RAW_TP(sock, 36)
RAW_TP(sock, 37) RAW_TP(sock, 38) RAW_TP(sock, 39)
TP_BTF(40) TP_BTF(41) TP_BTF(42) TP_BTF(43) TP_BTF(44)
TP_BTF(45) TP_BTF(46) TP_BTF(47) TP_BTF(48) TP_BTF(49)

char LICENSE[] SEC("license") = "GPL";
