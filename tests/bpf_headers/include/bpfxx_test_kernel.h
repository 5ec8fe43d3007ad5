/* Part of bpfxx. Test support for the BPF-side header tests. */
/*
 * The kernel types the BPF test programs use. Until the project generates a
 * vmlinux.h (bpfxx btf dump), the programs are built against our uapi
 * <linux/bpf.h> plus the small hand-written definitions below; building with
 * -DBPFXX_TEST_VMLINUX switches to a real vmlinux.h found on the include
 * path instead, with no change to the programs.
 *
 * Kernel structs are declared with preserve_access_index, so every field
 * access is a CO-RE relocation that the loader resolves against the running
 * kernel's BTF: only the fields the tests touch need to be declared, and
 * their offsets here do not matter.
 *
 * -DBPFXX_TEST_FAKE_VMLINUX defines __VMLINUX_H__ and the few types a
 * vmlinux.h would provide, to compile the headers' vmlinux.h code paths
 * (kernel register names on x86, BPF_STDOUT from the kernel's enum).
 */
#ifndef BPFXX_TEST_KERNEL_H
#define BPFXX_TEST_KERNEL_H

#if defined(BPFXX_TEST_VMLINUX)

#include "vmlinux.h"

#else

#if defined(BPFXX_TEST_FAKE_VMLINUX)
#define __VMLINUX_H__
typedef unsigned char __u8;
typedef signed char __s8;
typedef unsigned short __u16;
typedef short __s16;
typedef unsigned int __u32;
typedef int __s32;
typedef unsigned long long __u64;
typedef long long __s64;
typedef __u16 __be16;
typedef __u32 __be32;
typedef __u32 __wsum;
typedef _Bool bool;
enum { false = 0, true = 1 };
enum bpf_map_type {
	BPF_MAP_TYPE_HASH = 1,
	BPF_MAP_TYPE_ARRAY = 2,
	BPF_MAP_TYPE_PROG_ARRAY = 3,
	BPF_MAP_TYPE_ARRAY_OF_MAPS = 12,
	BPF_MAP_TYPE_RINGBUF = 27,
	BPF_MAP_TYPE_ARENA = 33,
};
enum { BPF_ANY = 0 };
enum { BPF_F_MMAPABLE = 1024 };
/* the kernel-internal enum vmlinux.h carries */
enum bpf_stream_id {
	BPF_STDOUT = 1,
	BPF_STDERR = 2,
};
enum { __PAGE_SIZE = 4096 };
struct __sk_buff {
	__u32 len;
};
struct bpf_iter_num {
	__u64 __opaque[1];
} __attribute__((aligned(8)));
struct bpf_list_head {
	__u64 __opaque[2];
} __attribute__((aligned(8)));
struct bpf_list_node {
	__u64 __opaque[3];
} __attribute__((aligned(8)));
#else
#include <linux/types.h>
#include <linux/bpf.h>
#endif

/* ---- register sets of each architecture (their uapi names) ---- */
#if defined(__TARGET_ARCH_x86) && (defined(__VMLINUX_H__) || defined(__KERNEL__))
struct pt_regs {
	unsigned long r15, r14, r13, r12, bp, bx, r11, r10, r9, r8;
	unsigned long ax, cx, dx, si, di, orig_ax, ip, cs, flags, sp, ss;
} __attribute__((preserve_access_index));
#elif defined(__TARGET_ARCH_x86)
/*
 * The user-space view (<asm/ptrace.h> names). Its layout equals the
 * kernel's but its field names do not, so it is not relocatable: direct
 * PT_REGS_* reads use these offsets as they are, while the _CORE variants
 * only resolve against a kernel when built with vmlinux.h names.
 */
struct pt_regs {
	unsigned long r15, r14, r13, r12, rbp, rbx, r11, r10, r9, r8;
	unsigned long rax, rcx, rdx, rsi, rdi, orig_rax, rip, cs, eflags, rsp, ss;
};
#elif defined(__TARGET_ARCH_arm64)
struct user_pt_regs {
	__u64 regs[31];
	__u64 sp;
	__u64 pc;
	__u64 pstate;
} __attribute__((preserve_access_index));
struct pt_regs;
#elif defined(__TARGET_ARCH_s390)
typedef struct {
	unsigned long mask;
	unsigned long addr;
} __attribute__((aligned(8))) psw_t;
typedef struct {
	psw_t psw;
	unsigned long gprs[16];
	unsigned int acrs[16];
	unsigned long orig_gpr2;
} __attribute__((preserve_access_index)) user_pt_regs;
struct pt_regs;
#elif defined(__TARGET_ARCH_arm)
struct pt_regs {
	long uregs[18];
} __attribute__((preserve_access_index));
#elif defined(__TARGET_ARCH_mips)
struct pt_regs {
	__u64 regs[32];
	__u64 lo, hi, cp0_epc, cp0_badvaddr, cp0_status, cp0_cause;
} __attribute__((preserve_access_index));
#elif defined(__TARGET_ARCH_powerpc)
struct pt_regs {
	unsigned long gpr[32];
	unsigned long nip, msr, orig_gpr3, ctr, link, xer, ccr, softe, trap, dar, dsisr, result;
} __attribute__((preserve_access_index));
#elif defined(__TARGET_ARCH_sparc)
#define UREG_I0 8
#define UREG_I1 9
#define UREG_I2 10
#define UREG_I3 11
#define UREG_I4 12
#define UREG_I5 13
#define UREG_I6 14
#define UREG_I7 15
#define UREG_FP UREG_I6
struct pt_regs {
	unsigned long u_regs[16];
	unsigned long tstate, tpc, tnpc;
	unsigned int y, magic;
} __attribute__((preserve_access_index));
#elif defined(__TARGET_ARCH_riscv)
struct user_regs_struct {
	unsigned long pc, ra, sp, gp, tp, t0, t1, t2, s0, s1;
	unsigned long a0, a1, a2, a3, a4, a5, a6, a7;
	unsigned long s2, s3, s4, s5, s6, s7, s8, s9, s10, s11, t3, t4, t5, t6;
} __attribute__((preserve_access_index));
struct pt_regs;
#elif defined(__TARGET_ARCH_arc)
struct user_regs_struct {
	unsigned long pad;
	struct {
		unsigned long bta, lp_start, lp_end, lp_count, status32, ret, blink, fp, gp;
		unsigned long r12, r11, r10, r9, r8, r7, r6, r5, r4, r3, r2, r1, r0, sp;
	} scratch;
	unsigned long pad2;
	struct {
		unsigned long r25, r24, r23, r22, r21, r20, r19, r18, r17, r16, r15, r14, r13;
	} callee;
	unsigned long efa, stop_pc;
} __attribute__((preserve_access_index));
struct pt_regs;
#elif defined(__TARGET_ARCH_loongarch)
struct user_pt_regs {
	unsigned long regs[32];
	unsigned long orig_a0, csr_era, csr_badv;
	unsigned long reserved[10];
} __attribute__((preserve_access_index));
struct pt_regs;
#else
struct pt_regs;
#endif

/* ---- kernel structs the CO-RE tests read (fields used only) ---- */
struct list_head {
	struct list_head *next, *prev;
} __attribute__((preserve_access_index));

struct mm_struct {
	unsigned long start_code;
	struct task_struct *owner;
} __attribute__((preserve_access_index));

struct pid {
	int level;
} __attribute__((preserve_access_index));

struct task_struct {
	int pid;
	int tgid;
	char comm[16];
	unsigned int flags;
	struct task_struct *real_parent;
	struct task_struct *parent;
	struct task_struct *group_leader;
	struct mm_struct *mm;
	struct pid *thread_pid;
} __attribute__((preserve_access_index));

/* a few bitfields of the kernel's struct sk_buff */
struct sk_buff {
	unsigned int len;
	unsigned int data_len;
	__u16 mac_len;
	__u8 pkt_type : 3;
	__u8 ignore_df : 1;
	__u8 dst_pending_confirm : 1;
	__u32 mark;
	__u16 protocol;
} __attribute__((preserve_access_index));

enum pid_type {
	PIDTYPE_PID,
	PIDTYPE_TGID,
	PIDTYPE_PGID,
	PIDTYPE_SID,
	PIDTYPE_MAX,
};

#endif /* BPFXX_TEST_VMLINUX */

#endif /* BPFXX_TEST_KERNEL_H */
