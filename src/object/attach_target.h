// BTF attach targets of tracing programs: which kernel (vmlinux or module)
// function, tracepoint, LSM hook or iterator, or which function of another
// BPF program, a program hooks, as the BTF type id BPF_PROG_LOAD needs.
//
// The target name is the program's attach_func_name (set with
// bpf_program__set_attach_target()) or else what follows the first '/' of
// its section ("fentry/do_unlinkat" -> "do_unlinkat"). By expected attach
// type it names, in kernel BTF:
//   BPF_TRACE_RAW_TP (tp_btf)         TYPEDEF btf_trace_<name>
//   BPF_LSM_MAC, BPF_LSM_CGROUP       FUNC    bpf_lsm_<name>
//   BPF_TRACE_ITER                    FUNC    bpf_iter_<name>
//   anything else (fentry, fexit...)  FUNC    <name>
// "module:name" restricts the search to that module's BTF ("vmlinux:name"
// to the kernel's). Without a module, vmlinux is searched first, then the
// BTF of every loaded module. In a multi-function section (fentry.multi
// and friends) the name may be a glob pattern: the first matching FUNC is
// the target the load is checked against. With an attach_prog_fd
// (freplace, or fentry on a BPF program) the name is a FUNC of that
// program's BTF instead.
#pragma once

#include <bpfxx/result.hpp>

#include <cstdint>
#include <string>

struct bpf_program;

namespace bpfxx::object {

struct AttachTarget {
  uint32_t btf_id = 0;
  // A module's BTF fd, owned by the caller from now on (close it once the
  // program is loaded or replaced); -1 for vmlinux and BPF program targets.
  int btf_obj_fd = -1;
  // The target program's fd (not owned: the program's attach_prog_fd); 0
  // for kernel targets.
  int attach_prog_fd = 0;
};

// Resolves prog's attach target. Fails with
//   EINVAL  no target name (or a program fd without one), freplace without
//           attach_prog_fd, a target program without BTF;
//   ESRCH   a kernel target that is in neither vmlinux nor any module;
//   ENOENT  a function the target program's BTF does not have;
// and an errno of the kernel calls it makes; each failure prints a message
// naming the program, the target and where it was looked for.
//
// Module BTFs come from the process's shared cache (btf/module_cache.h);
// they are only listed when vmlinux lacks the target.
Result<AttachTarget> resolve_attach_target(const bpf_program& prog);

// The kernel BTF name and kind a target name stands for with this expected
// attach type ("sched_switch", BPF_TRACE_RAW_TP -> "btf_trace_sched_switch",
// BTF_KIND_TYPEDEF).
struct KernelTargetName {
  std::string name;
  uint32_t kind = 0;
};
KernelTargetName kernel_target_name(const std::string& target, uint32_t expected_attach_type);

}  // namespace bpfxx::object
