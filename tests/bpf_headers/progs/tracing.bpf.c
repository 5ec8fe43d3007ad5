/* Part of bpfxx. Compile test: every macro of bpf_tracing.h, built once per
 * architecture with -D__TARGET_ARCH_<arch>. */
#include "bpfxx_test_kernel.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>

char LICENSE[] SEC("license") = "GPL";

/* How many arguments each architecture passes in registers. */
#if defined(__TARGET_ARCH_arm)
#define NPARMS 4
#elif defined(__TARGET_ARCH_s390)
#define NPARMS 5
#elif defined(__TARGET_ARCH_x86) || defined(__TARGET_ARCH_sparc)
#define NPARMS 6
#else
#define NPARMS 8
#endif
/* powerpc and sparc keep no frame pointer in pt_regs */
#if !defined(__TARGET_ARCH_powerpc) && !defined(__TARGET_ARCH_sparc)
#define HAS_FP 1
#endif
/* 32-bit ABIs with a seventh syscall argument register */
#if defined(__TARGET_ARCH_arm) || defined(__TARGET_ARCH_powerpc)
#define HAS_SYSCALL7 1
#endif

struct filename;

__u64 seen[16];

SEC("kprobe/do_nanosleep")
int raw_regs(struct pt_regs *ctx)
{
	unsigned long ip = 0;
	struct pt_regs *sys = PT_REGS_SYSCALL_REGS(ctx);

	seen[0] = PT_REGS_PARM1(ctx) + PT_REGS_PARM2(ctx) + PT_REGS_PARM3(ctx) +
		  PT_REGS_PARM4(ctx);
#if NPARMS >= 5
	seen[0] += PT_REGS_PARM5(ctx) + PT_REGS_PARM5_CORE(ctx);
#endif
#if NPARMS >= 6
	seen[0] += PT_REGS_PARM6(ctx) + PT_REGS_PARM6_CORE(ctx);
#endif
#if NPARMS >= 8
	seen[0] += PT_REGS_PARM7(ctx) + PT_REGS_PARM8(ctx);
	seen[0] += PT_REGS_PARM7_CORE(ctx) + PT_REGS_PARM8_CORE(ctx);
#endif
	seen[1] = PT_REGS_PARM1_CORE(ctx) + PT_REGS_PARM2_CORE(ctx) + PT_REGS_PARM3_CORE(ctx) +
		  PT_REGS_PARM4_CORE(ctx);
	seen[2] = PT_REGS_RET(ctx) + PT_REGS_RC(ctx) + PT_REGS_SP(ctx) + PT_REGS_IP(ctx);
	seen[3] = PT_REGS_RET_CORE(ctx) + PT_REGS_RC_CORE(ctx) + PT_REGS_SP_CORE(ctx) +
		  PT_REGS_IP_CORE(ctx);
#ifdef HAS_FP
	seen[4] = PT_REGS_FP(ctx) + PT_REGS_FP_CORE(ctx);
	BPF_KRETPROBE_READ_RET_IP(ip, ctx);
#endif
	BPF_KPROBE_READ_RET_IP(ip, ctx);
	seen[5] = ip;

	seen[6] = PT_REGS_PARM1_SYSCALL(sys) + PT_REGS_PARM2_SYSCALL(sys) +
		  PT_REGS_PARM3_SYSCALL(sys) + PT_REGS_PARM4_SYSCALL(sys) +
		  PT_REGS_PARM5_SYSCALL(sys) + PT_REGS_PARM6_SYSCALL(sys);
	seen[7] = PT_REGS_PARM1_CORE_SYSCALL(sys) + PT_REGS_PARM2_CORE_SYSCALL(sys) +
		  PT_REGS_PARM3_CORE_SYSCALL(sys) + PT_REGS_PARM4_CORE_SYSCALL(sys) +
		  PT_REGS_PARM5_CORE_SYSCALL(sys) + PT_REGS_PARM6_CORE_SYSCALL(sys);
#ifdef HAS_SYSCALL7
	seen[7] += PT_REGS_PARM7_SYSCALL(sys) + PT_REGS_PARM7_CORE_SYSCALL(sys);
#endif
	return 0;
}

SEC("kprobe/do_unlinkat")
int BPF_KPROBE(kprobe_args, int dfd, struct filename *name, long c, long d)
{
	seen[8] = dfd + (long)name + c + d + (long)ctx;
	return 0;
}

SEC("kprobe/do_sys_open")
int BPF_KPROBE(kprobe_no_args)
{
	seen[8] = (long)ctx;
	return 0;
}

SEC("kretprobe/do_unlinkat")
int BPF_KRETPROBE(kretprobe_ret, long ret)
{
	seen[9] = ret;
	return 0;
}

SEC("kretprobe/do_unlinkat")
int BPF_KRETPROBE(kretprobe_no_ret)
{
	seen[9] = 1;
	return 0;
}

SEC("ksyscall/openat")
int BPF_KSYSCALL(sys_openat, int dfd, const char *path, int flags, unsigned int mode)
{
	seen[10] = dfd + (long)path + flags + mode;
	return 0;
}

SEC("ksyscall/sync")
int BPF_KPROBE_SYSCALL(sys_sync)
{
	seen[10] = 1;
	return 0;
}

SEC("uprobe")
int BPF_UPROBE(uprobe_args, int a, long b, const char *c, void *d)
{
	seen[11] = a + b + (long)c + (long)d;
	return 0;
}

SEC("uretprobe")
int BPF_URETPROBE(uretprobe_ret, int ret)
{
	seen[12] = ret;
	return 0;
}

SEC("fentry/do_unlinkat")
int BPF_PROG(fentry_args, int dfd, struct filename *name)
{
	seen[13] = dfd + (long)name;
	return 0;
}

SEC("fexit/do_unlinkat")
int BPF_PROG(fexit_args, int dfd, struct filename *name, long ret)
{
	seen[13] = dfd + (long)name + ret;
	return 0;
}

SEC("tp_btf/sched_process_exit")
int BPF_PROG(no_args)
{
	seen[14] = (long)ctx;
	return 0;
}

/* a 16-byte struct argument takes two slots */
struct pair {
	__u64 lo;
	__u64 hi;
};

struct small {
	__u16 tag;
	__u8 kind;
};

SEC("fentry/some_kernel_function")
int BPF_PROG2(fentry_struct, int, a, struct pair, p, struct small, s, char, c, long, last)
{
	seen[15] = a + p.lo + p.hi + s.tag + s.kind + c + last;
	return 0;
}

SEC("fexit/other_kernel_function")
int BPF_PROG2(fexit_no_args)
{
	seen[15] = (long)ctx;
	return 0;
}
