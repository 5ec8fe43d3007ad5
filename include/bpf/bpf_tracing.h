/* Part of bpfxx. BPF-side header, written for bpfxx. */
/*
 * <bpf/bpf_tracing.h>: access to the registers of a probed function and
 * typed-argument wrappers for tracing programs.
 *
 *   PT_REGS_PARM1(ctx) .. PT_REGS_PARM8(ctx)   function arguments
 *   PT_REGS_RET / FP / RC / SP / IP            return address (or where it
 *                                              is kept), frame pointer,
 *                                              return value, stack pointer,
 *                                              instruction pointer
 *   ..._CORE(ctx)                              the same through CO-RE probe
 *                                              reads (for contexts that may
 *                                              not be dereferenced directly)
 *   PT_REGS_PARMn_SYSCALL / _CORE_SYSCALL      syscall arguments
 *   PT_REGS_SYSCALL_REGS(ctx)                  the pt_regs holding them
 *   BPF_PROG, BPF_PROG2, BPF_KPROBE, BPF_KRETPROBE, BPF_KSYSCALL,
 *   BPF_UPROBE, BPF_URETPROBE                  program wrappers with typed
 *                                              arguments
 *
 * The architecture is chosen with -D__TARGET_ARCH_<arch> (x86, arm64, s390,
 * riscv, powerpc, loongarch, arm, mips, sparc, arc) or, failing that, from
 * the compiler's own target macros (when not compiling for -target bpf).
 * Without an architecture the PT_REGS macros fail to compile when used.
 *
 * The register layouts come from the kernel's struct pt_regs (vmlinux.h) or
 * the user-space view of it (<asm/ptrace.h>): x86 has different field names
 * in each, so __VMLINUX_H__ (or __KERNEL__) selects the kernel ones.
 */
#ifndef __BPF_TRACING_H__
#define __BPF_TRACING_H__

#include "bpf_helpers.h"

#if defined(__TARGET_ARCH_x86)
#define bpf_target_x86
#elif defined(__TARGET_ARCH_s390)
#define bpf_target_s390
#elif defined(__TARGET_ARCH_arm)
#define bpf_target_arm
#elif defined(__TARGET_ARCH_arm64)
#define bpf_target_arm64
#elif defined(__TARGET_ARCH_mips)
#define bpf_target_mips
#elif defined(__TARGET_ARCH_powerpc)
#define bpf_target_powerpc
#elif defined(__TARGET_ARCH_sparc)
#define bpf_target_sparc
#elif defined(__TARGET_ARCH_riscv)
#define bpf_target_riscv
#elif defined(__TARGET_ARCH_arc)
#define bpf_target_arc
#elif defined(__TARGET_ARCH_loongarch)
#define bpf_target_loongarch
#elif defined(__x86_64__) || defined(__i386__)
#define bpf_target_x86
#elif defined(__s390__)
#define bpf_target_s390
#elif defined(__aarch64__)
#define bpf_target_arm64
#elif defined(__arm__)
#define bpf_target_arm
#elif defined(__mips__)
#define bpf_target_mips
#elif defined(__powerpc__)
#define bpf_target_powerpc
#elif defined(__sparc__)
#define bpf_target_sparc
#elif defined(__riscv) && __riscv_xlen == 64
#define bpf_target_riscv
#elif defined(__arc__)
#define bpf_target_arc
#elif defined(__loongarch__)
#define bpf_target_loongarch
#endif

#if defined(bpf_target_x86) || defined(bpf_target_s390) || defined(bpf_target_arm) ||      \
	defined(bpf_target_arm64) || defined(bpf_target_mips) ||                           \
	defined(bpf_target_powerpc) || defined(bpf_target_sparc) ||                        \
	defined(bpf_target_riscv) || defined(bpf_target_arc) || defined(bpf_target_loongarch)
#define bpf_target_defined
#endif

#ifndef __BPF_TARGET_MISSING
#define __BPF_TARGET_MISSING "GCC error \"Must specify a BPF target arch via __TARGET_ARCH_xxx\""
#endif

/* ------------------------------------------------------------------------
 * Per-architecture register names.
 *
 *   __PT_PARMn_REG          n-th argument register of a function call
 *   __PT_PARMn_SYSCALL_REG  n-th argument of a system call
 *   __PT_RET_REG            where the return address is found on entry
 *   __PT_FP_REG, __PT_RC_REG, __PT_SP_REG, __PT_IP_REG
 *   __PT_REGS_CAST(x)       the type the registers are read through
 *   ___bpfxx_ret_in_reg     1 when __PT_RET_REG holds the return address
 *                           itself (a link register), 0 when it points to it
 * ------------------------------------------------------------------------ */

#if defined(bpf_target_x86)

/* System V AMD64: rdi rsi rdx rcx r8 r9; syscalls take r10 instead of rcx. */
#if defined(__KERNEL__) || defined(__VMLINUX_H__)
#define __PT_PARM1_REG di
#define __PT_PARM2_REG si
#define __PT_PARM3_REG dx
#define __PT_PARM4_REG cx
#define __PT_PARM5_REG r8
#define __PT_PARM6_REG r9
#define __PT_PARM1_SYSCALL_REG di
#define __PT_PARM2_SYSCALL_REG si
#define __PT_PARM3_SYSCALL_REG dx
#define __PT_PARM4_SYSCALL_REG r10
#define __PT_PARM5_SYSCALL_REG r8
#define __PT_PARM6_SYSCALL_REG r9
#define __PT_RET_REG sp
#define __PT_FP_REG bp
#define __PT_RC_REG ax
#define __PT_SP_REG sp
#define __PT_IP_REG ip
#elif defined(__i386__)
/* the i386 kernel passes three arguments in registers (-mregparm=3) */
#define __PT_PARM1_REG eax
#define __PT_PARM2_REG edx
#define __PT_PARM3_REG ecx
#define __PT_PARM1_SYSCALL_REG ebx
#define __PT_PARM2_SYSCALL_REG ecx
#define __PT_PARM3_SYSCALL_REG edx
#define __PT_PARM4_SYSCALL_REG esi
#define __PT_PARM5_SYSCALL_REG edi
#define __PT_PARM6_SYSCALL_REG ebp
#define __PT_RET_REG esp
#define __PT_FP_REG ebp
#define __PT_RC_REG eax
#define __PT_SP_REG esp
#define __PT_IP_REG eip
#else
#define __PT_PARM1_REG rdi
#define __PT_PARM2_REG rsi
#define __PT_PARM3_REG rdx
#define __PT_PARM4_REG rcx
#define __PT_PARM5_REG r8
#define __PT_PARM6_REG r9
#define __PT_PARM1_SYSCALL_REG rdi
#define __PT_PARM2_SYSCALL_REG rsi
#define __PT_PARM3_SYSCALL_REG rdx
#define __PT_PARM4_SYSCALL_REG r10
#define __PT_PARM5_SYSCALL_REG r8
#define __PT_PARM6_SYSCALL_REG r9
#define __PT_RET_REG rsp
#define __PT_FP_REG rbp
#define __PT_RC_REG rax
#define __PT_SP_REG rsp
#define __PT_IP_REG rip
#endif
/* on entry the return address is the word at the stack pointer */
#define ___bpfxx_ret_in_reg 0

#elif defined(bpf_target_s390)

/*
 * s390x: r2..r6 carry arguments. User space sees user_pt_regs; the kernel
 * keeps the original r2 of a syscall in pt_regs.orig_gpr2, read through a
 * CO-RE-relocated partial view.
 */
struct pt_regs___s390 {
	unsigned long orig_gpr2;
} __attribute__((preserve_access_index));

#define __PT_REGS_CAST(x) ((const user_pt_regs *)(x))
#define __PT_PARM1_REG gprs[2]
#define __PT_PARM2_REG gprs[3]
#define __PT_PARM3_REG gprs[4]
#define __PT_PARM4_REG gprs[5]
#define __PT_PARM5_REG gprs[6]
#define __PT_PARM1_SYSCALL_REG orig_gpr2
#define __PT_PARM2_SYSCALL_REG gprs[3]
#define __PT_PARM3_SYSCALL_REG gprs[4]
#define __PT_PARM4_SYSCALL_REG gprs[5]
#define __PT_PARM5_SYSCALL_REG gprs[6]
#define __PT_PARM6_SYSCALL_REG gprs[7]
#define PT_REGS_PARM1_SYSCALL(x) (((const struct pt_regs___s390 *)(x))->orig_gpr2)
#define PT_REGS_PARM1_CORE_SYSCALL(x) BPF_CORE_READ((const struct pt_regs___s390 *)(x), orig_gpr2)
#define __PT_RET_REG gprs[14]
#define __PT_FP_REG gprs[11] /* needs CONFIG_FRAME_POINTER */
#define __PT_RC_REG gprs[2]
#define __PT_SP_REG gprs[15]
#define __PT_IP_REG psw.addr
#define ___bpfxx_ret_in_reg 1
/* s390x passes even an empty struct in an argument register */
#define __PT_NREGS_EMPTY_OBJ 1

#elif defined(bpf_target_arm)

/* AAPCS32: r0..r3 carry arguments; syscalls use r0..r6. */
#define __PT_PARM1_REG uregs[0]
#define __PT_PARM2_REG uregs[1]
#define __PT_PARM3_REG uregs[2]
#define __PT_PARM4_REG uregs[3]
#define __PT_PARM1_SYSCALL_REG uregs[0]
#define __PT_PARM2_SYSCALL_REG uregs[1]
#define __PT_PARM3_SYSCALL_REG uregs[2]
#define __PT_PARM4_SYSCALL_REG uregs[3]
#define __PT_PARM5_SYSCALL_REG uregs[4]
#define __PT_PARM6_SYSCALL_REG uregs[5]
#define __PT_PARM7_SYSCALL_REG uregs[6]
#define __PT_RET_REG uregs[14] /* lr */
#define __PT_FP_REG uregs[11]  /* needs CONFIG_FRAME_POINTER */
#define __PT_RC_REG uregs[0]
#define __PT_SP_REG uregs[13]
#define __PT_IP_REG uregs[15]  /* pc */
#define ___bpfxx_ret_in_reg 1

#elif defined(bpf_target_arm64)

/*
 * AAPCS64: x0..x7 carry arguments. User space sees struct user_pt_regs; a
 * syscall's original x0 is pt_regs.orig_x0.
 */
struct pt_regs___arm64 {
	unsigned long orig_x0;
} __attribute__((preserve_access_index));

#define __PT_REGS_CAST(x) ((const struct user_pt_regs *)(x))
#define __PT_PARM1_REG regs[0]
#define __PT_PARM2_REG regs[1]
#define __PT_PARM3_REG regs[2]
#define __PT_PARM4_REG regs[3]
#define __PT_PARM5_REG regs[4]
#define __PT_PARM6_REG regs[5]
#define __PT_PARM7_REG regs[6]
#define __PT_PARM8_REG regs[7]
#define __PT_PARM1_SYSCALL_REG orig_x0
#define __PT_PARM2_SYSCALL_REG regs[1]
#define __PT_PARM3_SYSCALL_REG regs[2]
#define __PT_PARM4_SYSCALL_REG regs[3]
#define __PT_PARM5_SYSCALL_REG regs[4]
#define __PT_PARM6_SYSCALL_REG regs[5]
#define PT_REGS_PARM1_SYSCALL(x) (((const struct pt_regs___arm64 *)(x))->orig_x0)
#define PT_REGS_PARM1_CORE_SYSCALL(x) BPF_CORE_READ((const struct pt_regs___arm64 *)(x), orig_x0)
#define __PT_RET_REG regs[30] /* lr */
#define __PT_FP_REG regs[29]  /* needs CONFIG_FRAME_POINTER */
#define __PT_RC_REG regs[0]
#define __PT_SP_REG sp
#define __PT_IP_REG pc
#define ___bpfxx_ret_in_reg 1

#elif defined(bpf_target_mips)

/* n64 ABI: a0..a7 are $4..$11. */
#define __PT_PARM1_REG regs[4]
#define __PT_PARM2_REG regs[5]
#define __PT_PARM3_REG regs[6]
#define __PT_PARM4_REG regs[7]
#define __PT_PARM5_REG regs[8]
#define __PT_PARM6_REG regs[9]
#define __PT_PARM7_REG regs[10]
#define __PT_PARM8_REG regs[11]
#define __PT_PARM1_SYSCALL_REG regs[4]
#define __PT_PARM2_SYSCALL_REG regs[5]
#define __PT_PARM3_SYSCALL_REG regs[6]
#define __PT_PARM4_SYSCALL_REG regs[7]
#define __PT_PARM5_SYSCALL_REG regs[8] /* n32/n64 only */
#define __PT_PARM6_SYSCALL_REG regs[9] /* n32/n64 only */
#define __PT_RET_REG regs[31] /* ra */
#define __PT_FP_REG regs[30]  /* needs CONFIG_FRAME_POINTER */
#define __PT_RC_REG regs[2]
#define __PT_SP_REG regs[29]
#define __PT_IP_REG cp0_epc
#define ___bpfxx_ret_in_reg 1

#elif defined(bpf_target_powerpc)

/* r3..r10 carry arguments; the syscall's original r3 is orig_gpr3. */
#define __PT_PARM1_REG gpr[3]
#define __PT_PARM2_REG gpr[4]
#define __PT_PARM3_REG gpr[5]
#define __PT_PARM4_REG gpr[6]
#define __PT_PARM5_REG gpr[7]
#define __PT_PARM6_REG gpr[8]
#define __PT_PARM7_REG gpr[9]
#define __PT_PARM8_REG gpr[10]
/* no syscall wrapper: the probed pt_regs holds the syscall arguments */
#define PT_REGS_SYSCALL_REGS(ctx) ctx
#define __PT_PARM1_SYSCALL_REG orig_gpr3
#define __PT_PARM2_SYSCALL_REG gpr[4]
#define __PT_PARM3_SYSCALL_REG gpr[5]
#define __PT_PARM4_SYSCALL_REG gpr[6]
#define __PT_PARM5_SYSCALL_REG gpr[7]
#define __PT_PARM6_SYSCALL_REG gpr[8]
#define __PT_PARM7_SYSCALL_REG gpr[9] /* 32-bit powerpc only */
#define __PT_RET_REG link
#define __PT_FP_REG __unsupported__
#define __PT_RC_REG gpr[3]
#define __PT_SP_REG gpr[1]
#define __PT_IP_REG nip
#define ___bpfxx_ret_in_reg 1

#elif defined(bpf_target_sparc)

/* %i0..%i5 (UREG_I0.. from the kernel's asm/ptrace.h) carry arguments. */
#define __PT_PARM1_REG u_regs[UREG_I0]
#define __PT_PARM2_REG u_regs[UREG_I1]
#define __PT_PARM3_REG u_regs[UREG_I2]
#define __PT_PARM4_REG u_regs[UREG_I3]
#define __PT_PARM5_REG u_regs[UREG_I4]
#define __PT_PARM6_REG u_regs[UREG_I5]
#define __PT_PARM1_SYSCALL_REG u_regs[UREG_I0]
#define __PT_PARM2_SYSCALL_REG u_regs[UREG_I1]
#define __PT_PARM3_SYSCALL_REG u_regs[UREG_I2]
#define __PT_PARM4_SYSCALL_REG u_regs[UREG_I3]
#define __PT_PARM5_SYSCALL_REG u_regs[UREG_I4]
#define __PT_PARM6_SYSCALL_REG u_regs[UREG_I5]
#define __PT_RET_REG u_regs[UREG_I7]
#define __PT_FP_REG __unsupported__
#define __PT_RC_REG u_regs[UREG_I0]
#define __PT_SP_REG u_regs[UREG_FP]
/* sparc64 (the only sparc with a BPF JIT) unless compiling natively for sparc32 */
#if defined(__sparc__) && !defined(__arch64__)
#define __PT_IP_REG pc
#else
#define __PT_IP_REG tpc
#endif
#define ___bpfxx_ret_in_reg 1

#elif defined(bpf_target_riscv)

/*
 * a0..a7 carry arguments. User space sees struct user_regs_struct; the
 * syscall's original a0 is pt_regs.orig_a0.
 */
struct pt_regs___riscv {
	unsigned long orig_a0;
} __attribute__((preserve_access_index));

#define __PT_REGS_CAST(x) ((const struct user_regs_struct *)(x))
#define __PT_PARM1_REG a0
#define __PT_PARM2_REG a1
#define __PT_PARM3_REG a2
#define __PT_PARM4_REG a3
#define __PT_PARM5_REG a4
#define __PT_PARM6_REG a5
#define __PT_PARM7_REG a6
#define __PT_PARM8_REG a7
#define __PT_PARM1_SYSCALL_REG orig_a0
#define __PT_PARM2_SYSCALL_REG a1
#define __PT_PARM3_SYSCALL_REG a2
#define __PT_PARM4_SYSCALL_REG a3
#define __PT_PARM5_SYSCALL_REG a4
#define __PT_PARM6_SYSCALL_REG a5
#define PT_REGS_PARM1_SYSCALL(x) (((const struct pt_regs___riscv *)(x))->orig_a0)
#define PT_REGS_PARM1_CORE_SYSCALL(x) BPF_CORE_READ((const struct pt_regs___riscv *)(x), orig_a0)
#define __PT_RET_REG ra
#define __PT_FP_REG s0
#define __PT_RC_REG a0
#define __PT_SP_REG sp
#define __PT_IP_REG pc
#define ___bpfxx_ret_in_reg 1

#elif defined(bpf_target_arc)

/* r0..r7 carry arguments; user space sees struct user_regs_struct. */
#define __PT_REGS_CAST(x) ((const struct user_regs_struct *)(x))
#define __PT_PARM1_REG scratch.r0
#define __PT_PARM2_REG scratch.r1
#define __PT_PARM3_REG scratch.r2
#define __PT_PARM4_REG scratch.r3
#define __PT_PARM5_REG scratch.r4
#define __PT_PARM6_REG scratch.r5
#define __PT_PARM7_REG scratch.r6
#define __PT_PARM8_REG scratch.r7
#define PT_REGS_SYSCALL_REGS(ctx) ctx
#define __PT_PARM1_SYSCALL_REG scratch.r0
#define __PT_PARM2_SYSCALL_REG scratch.r1
#define __PT_PARM3_SYSCALL_REG scratch.r2
#define __PT_PARM4_SYSCALL_REG scratch.r3
#define __PT_PARM5_SYSCALL_REG scratch.r4
#define __PT_PARM6_SYSCALL_REG scratch.r5
#define __PT_RET_REG scratch.blink
#define __PT_FP_REG scratch.fp
#define __PT_RC_REG scratch.r0
#define __PT_SP_REG scratch.sp
#define __PT_IP_REG scratch.ret
#define ___bpfxx_ret_in_reg 1

#elif defined(bpf_target_loongarch)

/* a0..a7 are $r4..$r11; user space sees struct user_pt_regs. */
#define __PT_REGS_CAST(x) ((const struct user_pt_regs *)(x))
#define __PT_PARM1_REG regs[4]
#define __PT_PARM2_REG regs[5]
#define __PT_PARM3_REG regs[6]
#define __PT_PARM4_REG regs[7]
#define __PT_PARM5_REG regs[8]
#define __PT_PARM6_REG regs[9]
#define __PT_PARM7_REG regs[10]
#define __PT_PARM8_REG regs[11]
#define PT_REGS_SYSCALL_REGS(ctx) ctx
#define __PT_PARM1_SYSCALL_REG regs[4]
#define __PT_PARM2_SYSCALL_REG regs[5]
#define __PT_PARM3_SYSCALL_REG regs[6]
#define __PT_PARM4_SYSCALL_REG regs[7]
#define __PT_PARM5_SYSCALL_REG regs[8]
#define __PT_PARM6_SYSCALL_REG regs[9]
#define __PT_RET_REG regs[1] /* ra */
#define __PT_FP_REG regs[22]
#define __PT_RC_REG regs[4]
#define __PT_SP_REG regs[3]
#define __PT_IP_REG csr_era
#define ___bpfxx_ret_in_reg 1

#endif

/* ------------------------------------------------------------------------
 * Generic accessors
 * ------------------------------------------------------------------------ */

#if defined(bpf_target_defined)

struct pt_regs;

#ifndef __PT_REGS_CAST
#define __PT_REGS_CAST(x) (x)
#endif

/* Arguments an architecture does not pass in registers fail to compile. */
#ifndef __PT_PARM4_REG
#define __PT_PARM4_REG __unsupported__
#endif
#ifndef __PT_PARM5_REG
#define __PT_PARM5_REG __unsupported__
#endif
#ifndef __PT_PARM6_REG
#define __PT_PARM6_REG __unsupported__
#endif
#ifndef __PT_PARM7_REG
#define __PT_PARM7_REG __unsupported__
#endif
#ifndef __PT_PARM8_REG
#define __PT_PARM8_REG __unsupported__
#endif
#ifndef __PT_PARM7_SYSCALL_REG
#define __PT_PARM7_SYSCALL_REG __unsupported__
#endif
#ifndef __PT_NREGS_EMPTY_OBJ
#define __PT_NREGS_EMPTY_OBJ 0
#endif

#define PT_REGS_PARM1(x) (__PT_REGS_CAST(x)->__PT_PARM1_REG)
#define PT_REGS_PARM2(x) (__PT_REGS_CAST(x)->__PT_PARM2_REG)
#define PT_REGS_PARM3(x) (__PT_REGS_CAST(x)->__PT_PARM3_REG)
#define PT_REGS_PARM4(x) (__PT_REGS_CAST(x)->__PT_PARM4_REG)
#define PT_REGS_PARM5(x) (__PT_REGS_CAST(x)->__PT_PARM5_REG)
#define PT_REGS_PARM6(x) (__PT_REGS_CAST(x)->__PT_PARM6_REG)
#define PT_REGS_PARM7(x) (__PT_REGS_CAST(x)->__PT_PARM7_REG)
#define PT_REGS_PARM8(x) (__PT_REGS_CAST(x)->__PT_PARM8_REG)
#define PT_REGS_RET(x) (__PT_REGS_CAST(x)->__PT_RET_REG)
#define PT_REGS_FP(x) (__PT_REGS_CAST(x)->__PT_FP_REG)
#define PT_REGS_RC(x) (__PT_REGS_CAST(x)->__PT_RC_REG)
#define PT_REGS_SP(x) (__PT_REGS_CAST(x)->__PT_SP_REG)
#define PT_REGS_IP(x) (__PT_REGS_CAST(x)->__PT_IP_REG)

#define PT_REGS_PARM1_CORE(x) BPF_CORE_READ(__PT_REGS_CAST(x), __PT_PARM1_REG)
#define PT_REGS_PARM2_CORE(x) BPF_CORE_READ(__PT_REGS_CAST(x), __PT_PARM2_REG)
#define PT_REGS_PARM3_CORE(x) BPF_CORE_READ(__PT_REGS_CAST(x), __PT_PARM3_REG)
#define PT_REGS_PARM4_CORE(x) BPF_CORE_READ(__PT_REGS_CAST(x), __PT_PARM4_REG)
#define PT_REGS_PARM5_CORE(x) BPF_CORE_READ(__PT_REGS_CAST(x), __PT_PARM5_REG)
#define PT_REGS_PARM6_CORE(x) BPF_CORE_READ(__PT_REGS_CAST(x), __PT_PARM6_REG)
#define PT_REGS_PARM7_CORE(x) BPF_CORE_READ(__PT_REGS_CAST(x), __PT_PARM7_REG)
#define PT_REGS_PARM8_CORE(x) BPF_CORE_READ(__PT_REGS_CAST(x), __PT_PARM8_REG)
#define PT_REGS_RET_CORE(x) BPF_CORE_READ(__PT_REGS_CAST(x), __PT_RET_REG)
#define PT_REGS_FP_CORE(x) BPF_CORE_READ(__PT_REGS_CAST(x), __PT_FP_REG)
#define PT_REGS_RC_CORE(x) BPF_CORE_READ(__PT_REGS_CAST(x), __PT_RC_REG)
#define PT_REGS_SP_CORE(x) BPF_CORE_READ(__PT_REGS_CAST(x), __PT_SP_REG)
#define PT_REGS_IP_CORE(x) BPF_CORE_READ(__PT_REGS_CAST(x), __PT_IP_REG)

/*
 * BPF_KPROBE_READ_RET_IP(ip, ctx): the return address of the probed function
 * at its entry. BPF_KRETPROBE_READ_RET_IP(ip, ctx): the same in a return
 * probe. Where the return address lives in a link register it is read
 * directly; on x86 it is loaded from the stack (entry) or from just above the
 * saved frame pointer (return).
 */
#if ___bpfxx_ret_in_reg
#define BPF_KPROBE_READ_RET_IP(ip, ctx) ({ (ip) = PT_REGS_RET(ctx); })
#define BPF_KRETPROBE_READ_RET_IP BPF_KPROBE_READ_RET_IP
#else
#define BPF_KPROBE_READ_RET_IP(ip, ctx) \
	({ bpf_probe_read_kernel(&(ip), sizeof(ip), (void *)PT_REGS_RET(ctx)); })
#define BPF_KRETPROBE_READ_RET_IP(ip, ctx) \
	({ bpf_probe_read_kernel(&(ip), sizeof(ip), (void *)(PT_REGS_FP(ctx) + sizeof(ip))); })
#endif

#ifndef PT_REGS_PARM1_SYSCALL
#define PT_REGS_PARM1_SYSCALL(x) (__PT_REGS_CAST(x)->__PT_PARM1_SYSCALL_REG)
#define PT_REGS_PARM1_CORE_SYSCALL(x) BPF_CORE_READ(__PT_REGS_CAST(x), __PT_PARM1_SYSCALL_REG)
#endif
#define PT_REGS_PARM2_SYSCALL(x) (__PT_REGS_CAST(x)->__PT_PARM2_SYSCALL_REG)
#define PT_REGS_PARM2_CORE_SYSCALL(x) BPF_CORE_READ(__PT_REGS_CAST(x), __PT_PARM2_SYSCALL_REG)
#define PT_REGS_PARM3_SYSCALL(x) (__PT_REGS_CAST(x)->__PT_PARM3_SYSCALL_REG)
#define PT_REGS_PARM3_CORE_SYSCALL(x) BPF_CORE_READ(__PT_REGS_CAST(x), __PT_PARM3_SYSCALL_REG)
#define PT_REGS_PARM4_SYSCALL(x) (__PT_REGS_CAST(x)->__PT_PARM4_SYSCALL_REG)
#define PT_REGS_PARM4_CORE_SYSCALL(x) BPF_CORE_READ(__PT_REGS_CAST(x), __PT_PARM4_SYSCALL_REG)
#define PT_REGS_PARM5_SYSCALL(x) (__PT_REGS_CAST(x)->__PT_PARM5_SYSCALL_REG)
#define PT_REGS_PARM5_CORE_SYSCALL(x) BPF_CORE_READ(__PT_REGS_CAST(x), __PT_PARM5_SYSCALL_REG)
#define PT_REGS_PARM6_SYSCALL(x) (__PT_REGS_CAST(x)->__PT_PARM6_SYSCALL_REG)
#define PT_REGS_PARM6_CORE_SYSCALL(x) BPF_CORE_READ(__PT_REGS_CAST(x), __PT_PARM6_SYSCALL_REG)
#define PT_REGS_PARM7_SYSCALL(x) (__PT_REGS_CAST(x)->__PT_PARM7_SYSCALL_REG)
#define PT_REGS_PARM7_CORE_SYSCALL(x) BPF_CORE_READ(__PT_REGS_CAST(x), __PT_PARM7_SYSCALL_REG)

#else /* no target architecture: every use is a compile error */

#define ___bpfxx_no_target(x) ({ _Pragma(__BPF_TARGET_MISSING); 0l; })
#define PT_REGS_PARM1(x) ___bpfxx_no_target(x)
#define PT_REGS_PARM2(x) ___bpfxx_no_target(x)
#define PT_REGS_PARM3(x) ___bpfxx_no_target(x)
#define PT_REGS_PARM4(x) ___bpfxx_no_target(x)
#define PT_REGS_PARM5(x) ___bpfxx_no_target(x)
#define PT_REGS_PARM6(x) ___bpfxx_no_target(x)
#define PT_REGS_PARM7(x) ___bpfxx_no_target(x)
#define PT_REGS_PARM8(x) ___bpfxx_no_target(x)
#define PT_REGS_RET(x) ___bpfxx_no_target(x)
#define PT_REGS_FP(x) ___bpfxx_no_target(x)
#define PT_REGS_RC(x) ___bpfxx_no_target(x)
#define PT_REGS_SP(x) ___bpfxx_no_target(x)
#define PT_REGS_IP(x) ___bpfxx_no_target(x)
#define PT_REGS_PARM1_CORE(x) ___bpfxx_no_target(x)
#define PT_REGS_PARM2_CORE(x) ___bpfxx_no_target(x)
#define PT_REGS_PARM3_CORE(x) ___bpfxx_no_target(x)
#define PT_REGS_PARM4_CORE(x) ___bpfxx_no_target(x)
#define PT_REGS_PARM5_CORE(x) ___bpfxx_no_target(x)
#define PT_REGS_PARM6_CORE(x) ___bpfxx_no_target(x)
#define PT_REGS_PARM7_CORE(x) ___bpfxx_no_target(x)
#define PT_REGS_PARM8_CORE(x) ___bpfxx_no_target(x)
#define PT_REGS_RET_CORE(x) ___bpfxx_no_target(x)
#define PT_REGS_FP_CORE(x) ___bpfxx_no_target(x)
#define PT_REGS_RC_CORE(x) ___bpfxx_no_target(x)
#define PT_REGS_SP_CORE(x) ___bpfxx_no_target(x)
#define PT_REGS_IP_CORE(x) ___bpfxx_no_target(x)
#define BPF_KPROBE_READ_RET_IP(ip, ctx) ___bpfxx_no_target(ctx)
#define BPF_KRETPROBE_READ_RET_IP(ip, ctx) ___bpfxx_no_target(ctx)
#define PT_REGS_PARM1_SYSCALL(x) ___bpfxx_no_target(x)
#define PT_REGS_PARM2_SYSCALL(x) ___bpfxx_no_target(x)
#define PT_REGS_PARM3_SYSCALL(x) ___bpfxx_no_target(x)
#define PT_REGS_PARM4_SYSCALL(x) ___bpfxx_no_target(x)
#define PT_REGS_PARM5_SYSCALL(x) ___bpfxx_no_target(x)
#define PT_REGS_PARM6_SYSCALL(x) ___bpfxx_no_target(x)
#define PT_REGS_PARM7_SYSCALL(x) ___bpfxx_no_target(x)
#define PT_REGS_PARM1_CORE_SYSCALL(x) ___bpfxx_no_target(x)
#define PT_REGS_PARM2_CORE_SYSCALL(x) ___bpfxx_no_target(x)
#define PT_REGS_PARM3_CORE_SYSCALL(x) ___bpfxx_no_target(x)
#define PT_REGS_PARM4_CORE_SYSCALL(x) ___bpfxx_no_target(x)
#define PT_REGS_PARM5_CORE_SYSCALL(x) ___bpfxx_no_target(x)
#define PT_REGS_PARM6_CORE_SYSCALL(x) ___bpfxx_no_target(x)
#define PT_REGS_PARM7_CORE_SYSCALL(x) ___bpfxx_no_target(x)

#endif /* bpf_target_defined */

/*
 * PT_REGS_SYSCALL_REGS(ctx): in a kprobe on a syscall entry point, the
 * struct pt_regs * holding the syscall's arguments. Most architectures use
 * syscall wrappers that receive the user registers as their only argument.
 */
#ifndef PT_REGS_SYSCALL_REGS
#define PT_REGS_SYSCALL_REGS(ctx) ((struct pt_regs *)PT_REGS_PARM1(ctx))
#endif

/* ------------------------------------------------------------------------
 * Program wrappers. Each expands to
 *     <type> name(<context> ctx);                    the program itself
 *     static inline <type> ____name(ctx, args...);   the user's body
 * where the program fetches the arguments and calls the body, so the user
 * writes the body as a function with typed, named parameters.
 * ------------------------------------------------------------------------ */

/* BPF_PROG: context is an array of u64, one per argument. */
#define ___bpf_ctx_cast0() ctx
#define ___bpf_ctx_cast1(x) ___bpf_ctx_cast0(), ctx[0]
#define ___bpf_ctx_cast2(x, args...) ___bpf_ctx_cast1(args), ctx[1]
#define ___bpf_ctx_cast3(x, args...) ___bpf_ctx_cast2(args), ctx[2]
#define ___bpf_ctx_cast4(x, args...) ___bpf_ctx_cast3(args), ctx[3]
#define ___bpf_ctx_cast5(x, args...) ___bpf_ctx_cast4(args), ctx[4]
#define ___bpf_ctx_cast6(x, args...) ___bpf_ctx_cast5(args), ctx[5]
#define ___bpf_ctx_cast7(x, args...) ___bpf_ctx_cast6(args), ctx[6]
#define ___bpf_ctx_cast8(x, args...) ___bpf_ctx_cast7(args), ctx[7]
#define ___bpf_ctx_cast9(x, args...) ___bpf_ctx_cast8(args), ctx[8]
#define ___bpf_ctx_cast10(x, args...) ___bpf_ctx_cast9(args), ctx[9]
#define ___bpf_ctx_cast11(x, args...) ___bpf_ctx_cast10(args), ctx[10]
#define ___bpf_ctx_cast12(x, args...) ___bpf_ctx_cast11(args), ctx[11]
#define ___bpf_ctx_cast(args...) ___bpf_apply(___bpf_ctx_cast, ___bpf_narg(args))(args)

/*
 * ___bpfxx_wrapper(name, ctx_type, fetch, params...) declares the program and
 * the body; fetch is the argument list the program passes to the body. The
 * -Wint-conversion pragma lets a u64 value initialise a pointer parameter.
 * In the ___..._argsN(x, rest...) helpers the names only count the
 * parameters: argsN yields the first N-1 values, then the N-th.
 */
#define ___bpfxx_wrapper(name, ctx_type, fetch, args...)                    \
	name(ctx_type ctx);                                                 \
	static __always_inline __typeof__(name(0)) ____##name(ctx_type ctx, ##args); \
	__typeof__(name(0)) name(ctx_type ctx)                              \
	{                                                                   \
		_Pragma("GCC diagnostic push")                              \
		_Pragma("GCC diagnostic ignored \"-Wint-conversion\"")      \
		return ____##name(fetch);                                   \
		_Pragma("GCC diagnostic pop")                               \
	}                                                                   \
	static __always_inline __typeof__(name(0)) ____##name(ctx_type ctx, ##args)

/*
 * BPF_PROG(name, args...): for tp_btf, fentry/fexit, fmod_ret, lsm, iter,
 * struct_ops ... programs whose context is an array of u64 arguments.
 * Arguments wider than 8 bytes need BPF_PROG2.
 */
#define BPF_PROG(name, args...) \
	___bpfxx_wrapper(name, unsigned long long *, ___bpf_ctx_cast(args), ##args)

/*
 * BPF_PROG2(name, type1, arg1, type2, arg2, ...): like BPF_PROG but types
 * and names are separate, so a struct argument of up to 16 bytes (which
 * occupies one or two u64 slots) is rebuilt from its slots.
 */

/* number of (type, name) pairs, up to 12 */
#define ___bpfxx_nth24(_, _1, _2, _3, _4, _5, _6, _7, _8, _9, _10, _11, _12, _13, _14, _15, \
		       _16, _17, _18, _19, _20, _21, _22, _23, _24, N, ...) N
#define ___bpfxx_npairs(...)                                                \
	___bpfxx_nth24(_, ##__VA_ARGS__, 12, x, 11, x, 10, x, 9, x, 8, x, 7, x, 6, x, \
		       5, x, 4, x, 3, x, 2, x, 1, x, 0)

/* u64 slots taken by a value of type t; other sizes fail to compile */
#define ___bpfxx_nslots(t)                                                  \
	__builtin_choose_expr(sizeof(t) == 0, __PT_NREGS_EMPTY_OBJ,         \
	__builtin_choose_expr(sizeof(t) == 1 || sizeof(t) == 2 ||           \
			      sizeof(t) == 4 || sizeof(t) == 8, 1,          \
	__builtin_choose_expr(sizeof(t) == 16, 2, (void)0)))

/* value of type t rebuilt from slot n (and n + 1) */
#define ___bpfxx_slot_as(t, zt, cnt, ...)                                   \
	({                                                                  \
		union {                                                     \
			zt __bpfxx_raw[cnt];                                \
			t __bpfxx_val;                                      \
		} __bpfxx_u = { .__bpfxx_raw = { __VA_ARGS__ } };           \
		__bpfxx_u.__bpfxx_val;                                      \
	})
#define ___bpfxx_from_slots(t, n)                                           \
	__builtin_choose_expr(sizeof(t) == 0, ({ t __bpfxx_e; __builtin_memset(&__bpfxx_e, 0, sizeof(__bpfxx_e)); __bpfxx_e; }), \
	__builtin_choose_expr(sizeof(t) == 1, ___bpfxx_slot_as(t, __u8, 1, (__u8)ctx[n]), \
	__builtin_choose_expr(sizeof(t) == 2, ___bpfxx_slot_as(t, __u16, 1, (__u16)ctx[n]), \
	__builtin_choose_expr(sizeof(t) == 4, ___bpfxx_slot_as(t, __u32, 1, (__u32)ctx[n]), \
	__builtin_choose_expr(sizeof(t) == 8, ___bpfxx_slot_as(t, __u64, 1, ctx[n]), \
	__builtin_choose_expr(sizeof(t) == 16, ___bpfxx_slot_as(t, __u64, 2, ctx[n], ctx[(n) + 1]), \
			      (void)0))))))

/* ", value1, value2 ..." with each value starting where the previous ended */
#define ___bpfxx_p2_arg0(n)
#define ___bpfxx_p2_arg1(n, t, x) , ___bpfxx_from_slots(t, n)
#define ___bpfxx_p2_arg2(n, t, x, args...) , ___bpfxx_from_slots(t, n) ___bpfxx_p2_arg1(n + ___bpfxx_nslots(t), args)
#define ___bpfxx_p2_arg3(n, t, x, args...) , ___bpfxx_from_slots(t, n) ___bpfxx_p2_arg2(n + ___bpfxx_nslots(t), args)
#define ___bpfxx_p2_arg4(n, t, x, args...) , ___bpfxx_from_slots(t, n) ___bpfxx_p2_arg3(n + ___bpfxx_nslots(t), args)
#define ___bpfxx_p2_arg5(n, t, x, args...) , ___bpfxx_from_slots(t, n) ___bpfxx_p2_arg4(n + ___bpfxx_nslots(t), args)
#define ___bpfxx_p2_arg6(n, t, x, args...) , ___bpfxx_from_slots(t, n) ___bpfxx_p2_arg5(n + ___bpfxx_nslots(t), args)
#define ___bpfxx_p2_arg7(n, t, x, args...) , ___bpfxx_from_slots(t, n) ___bpfxx_p2_arg6(n + ___bpfxx_nslots(t), args)
#define ___bpfxx_p2_arg8(n, t, x, args...) , ___bpfxx_from_slots(t, n) ___bpfxx_p2_arg7(n + ___bpfxx_nslots(t), args)
#define ___bpfxx_p2_arg9(n, t, x, args...) , ___bpfxx_from_slots(t, n) ___bpfxx_p2_arg8(n + ___bpfxx_nslots(t), args)
#define ___bpfxx_p2_arg10(n, t, x, args...) , ___bpfxx_from_slots(t, n) ___bpfxx_p2_arg9(n + ___bpfxx_nslots(t), args)
#define ___bpfxx_p2_arg11(n, t, x, args...) , ___bpfxx_from_slots(t, n) ___bpfxx_p2_arg10(n + ___bpfxx_nslots(t), args)
#define ___bpfxx_p2_arg12(n, t, x, args...) , ___bpfxx_from_slots(t, n) ___bpfxx_p2_arg11(n + ___bpfxx_nslots(t), args)
#define ___bpfxx_p2_args(args...) \
	___bpf_apply(___bpfxx_p2_arg, ___bpfxx_npairs(args))(0, ##args)

/* ", type1 name1, type2 name2 ..." */
#define ___bpfxx_p2_decl0()
#define ___bpfxx_p2_decl1(t, x) , t x
#define ___bpfxx_p2_decl2(t, x, args...) , t x ___bpfxx_p2_decl1(args)
#define ___bpfxx_p2_decl3(t, x, args...) , t x ___bpfxx_p2_decl2(args)
#define ___bpfxx_p2_decl4(t, x, args...) , t x ___bpfxx_p2_decl3(args)
#define ___bpfxx_p2_decl5(t, x, args...) , t x ___bpfxx_p2_decl4(args)
#define ___bpfxx_p2_decl6(t, x, args...) , t x ___bpfxx_p2_decl5(args)
#define ___bpfxx_p2_decl7(t, x, args...) , t x ___bpfxx_p2_decl6(args)
#define ___bpfxx_p2_decl8(t, x, args...) , t x ___bpfxx_p2_decl7(args)
#define ___bpfxx_p2_decl9(t, x, args...) , t x ___bpfxx_p2_decl8(args)
#define ___bpfxx_p2_decl10(t, x, args...) , t x ___bpfxx_p2_decl9(args)
#define ___bpfxx_p2_decl11(t, x, args...) , t x ___bpfxx_p2_decl10(args)
#define ___bpfxx_p2_decl12(t, x, args...) , t x ___bpfxx_p2_decl11(args)
#define ___bpfxx_p2_decls(args...) ___bpf_apply(___bpfxx_p2_decl, ___bpfxx_npairs(args))(args)

#define BPF_PROG2(name, args...)                                            \
	name(unsigned long long *ctx);                                      \
	static __always_inline __typeof__(name(0))                          \
		____##name(unsigned long long *ctx ___bpfxx_p2_decls(args)); \
	__typeof__(name(0)) name(unsigned long long *ctx)                   \
	{                                                                   \
		return ____##name(ctx ___bpfxx_p2_args(args));              \
	}                                                                   \
	static __always_inline __typeof__(name(0))                          \
		____##name(unsigned long long *ctx ___bpfxx_p2_decls(args))

struct pt_regs;

/* BPF_KPROBE / BPF_UPROBE: arguments from the argument registers. */
#define ___bpf_kprobe_args0() ctx
#define ___bpf_kprobe_args1(x) ___bpf_kprobe_args0(), (unsigned long long)PT_REGS_PARM1(ctx)
#define ___bpf_kprobe_args2(x, args...) ___bpf_kprobe_args1(args), (unsigned long long)PT_REGS_PARM2(ctx)
#define ___bpf_kprobe_args3(x, args...) ___bpf_kprobe_args2(args), (unsigned long long)PT_REGS_PARM3(ctx)
#define ___bpf_kprobe_args4(x, args...) ___bpf_kprobe_args3(args), (unsigned long long)PT_REGS_PARM4(ctx)
#define ___bpf_kprobe_args5(x, args...) ___bpf_kprobe_args4(args), (unsigned long long)PT_REGS_PARM5(ctx)
#define ___bpf_kprobe_args6(x, args...) ___bpf_kprobe_args5(args), (unsigned long long)PT_REGS_PARM6(ctx)
#define ___bpf_kprobe_args7(x, args...) ___bpf_kprobe_args6(args), (unsigned long long)PT_REGS_PARM7(ctx)
#define ___bpf_kprobe_args8(x, args...) ___bpf_kprobe_args7(args), (unsigned long long)PT_REGS_PARM8(ctx)
#define ___bpf_kprobe_args(args...) ___bpf_apply(___bpf_kprobe_args, ___bpf_narg(args))(args)

/*
 * BPF_KPROBE(name, args...): a kprobe whose body sees the probed function's
 * arguments, typed and named; ctx stays available.
 */
#define BPF_KPROBE(name, args...) \
	___bpfxx_wrapper(name, struct pt_regs *, ___bpf_kprobe_args(args), ##args)

/* BPF_KRETPROBE(name, [ret]): a return probe; its one optional argument is
 * the return value (the input arguments are gone by then). */
#define ___bpf_kretprobe_args0() ctx
#define ___bpf_kretprobe_args1(x) ___bpf_kretprobe_args0(), (unsigned long long)PT_REGS_RC(ctx)
#define ___bpf_kretprobe_args(args...) ___bpf_apply(___bpf_kretprobe_args, ___bpf_narg(args))(args)

#define BPF_KRETPROBE(name, args...) \
	___bpfxx_wrapper(name, struct pt_regs *, ___bpf_kretprobe_args(args), ##args)

/* syscall arguments straight from regs */
#define ___bpf_syscall_args0() ctx
#define ___bpf_syscall_args1(x) ___bpf_syscall_args0(), (unsigned long long)PT_REGS_PARM1_SYSCALL(regs)
#define ___bpf_syscall_args2(x, args...) ___bpf_syscall_args1(args), (unsigned long long)PT_REGS_PARM2_SYSCALL(regs)
#define ___bpf_syscall_args3(x, args...) ___bpf_syscall_args2(args), (unsigned long long)PT_REGS_PARM3_SYSCALL(regs)
#define ___bpf_syscall_args4(x, args...) ___bpf_syscall_args3(args), (unsigned long long)PT_REGS_PARM4_SYSCALL(regs)
#define ___bpf_syscall_args5(x, args...) ___bpf_syscall_args4(args), (unsigned long long)PT_REGS_PARM5_SYSCALL(regs)
#define ___bpf_syscall_args6(x, args...) ___bpf_syscall_args5(args), (unsigned long long)PT_REGS_PARM6_SYSCALL(regs)
#define ___bpf_syscall_args7(x, args...) ___bpf_syscall_args6(args), (unsigned long long)PT_REGS_PARM7_SYSCALL(regs)
#define ___bpf_syscall_args(args...) ___bpf_apply(___bpf_syscall_args, ___bpf_narg(args))(args)

/* syscall arguments probe-read from the user pt_regs a wrapper received */
#define ___bpf_syswrap_args0() ctx
#define ___bpf_syswrap_args1(x) ___bpf_syswrap_args0(), (unsigned long long)PT_REGS_PARM1_CORE_SYSCALL(regs)
#define ___bpf_syswrap_args2(x, args...) ___bpf_syswrap_args1(args), (unsigned long long)PT_REGS_PARM2_CORE_SYSCALL(regs)
#define ___bpf_syswrap_args3(x, args...) ___bpf_syswrap_args2(args), (unsigned long long)PT_REGS_PARM3_CORE_SYSCALL(regs)
#define ___bpf_syswrap_args4(x, args...) ___bpf_syswrap_args3(args), (unsigned long long)PT_REGS_PARM4_CORE_SYSCALL(regs)
#define ___bpf_syswrap_args5(x, args...) ___bpf_syswrap_args4(args), (unsigned long long)PT_REGS_PARM5_CORE_SYSCALL(regs)
#define ___bpf_syswrap_args6(x, args...) ___bpf_syswrap_args5(args), (unsigned long long)PT_REGS_PARM6_CORE_SYSCALL(regs)
#define ___bpf_syswrap_args7(x, args...) ___bpf_syswrap_args6(args), (unsigned long long)PT_REGS_PARM7_CORE_SYSCALL(regs)
#define ___bpf_syswrap_args(args...) ___bpf_apply(___bpf_syswrap_args, ___bpf_narg(args))(args)

/*
 * BPF_KSYSCALL(name, args...): a kprobe on a syscall entry point
 * (SEC("ksyscall/<syscall>")) whose body sees the syscall's arguments. With
 * syscall wrappers (LINUX_HAS_SYSCALL_WRAPPER, filled in by the loader) the
 * arguments are probe-read from the user pt_regs passed to the wrapper,
 * otherwise they are the probed registers. Quirky calling conventions (old
 * mmap, clone variants, socketcall, compat syscalls) are not translated.
 */
#define BPF_KSYSCALL(name, args...)                                         \
	name(struct pt_regs *ctx);                                          \
	extern _Bool LINUX_HAS_SYSCALL_WRAPPER __kconfig;                   \
	static __always_inline __typeof__(name(0)) ____##name(struct pt_regs *ctx, ##args); \
	__typeof__(name(0)) name(struct pt_regs *ctx)                       \
	{                                                                   \
		struct pt_regs *regs = LINUX_HAS_SYSCALL_WRAPPER            \
					       ? (struct pt_regs *)PT_REGS_PARM1(ctx) \
					       : ctx;                       \
		(void)regs; /* unused when there are no arguments */        \
		_Pragma("GCC diagnostic push")                              \
		_Pragma("GCC diagnostic ignored \"-Wint-conversion\"")      \
		if (LINUX_HAS_SYSCALL_WRAPPER)                              \
			return ____##name(___bpf_syswrap_args(args));       \
		else                                                        \
			return ____##name(___bpf_syscall_args(args));       \
		_Pragma("GCC diagnostic pop")                               \
	}                                                                   \
	static __always_inline __typeof__(name(0)) ____##name(struct pt_regs *ctx, ##args)

#define BPF_KPROBE_SYSCALL BPF_KSYSCALL

/* User-space probes: the same wrappers under the names that fit them. */
#define BPF_UPROBE(name, args...) BPF_KPROBE(name, ##args)
#define BPF_URETPROBE(name, args...) BPF_KRETPROBE(name, ##args)

#endif /* __BPF_TRACING_H__ */
