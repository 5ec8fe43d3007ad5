// BTF-targeted tracing programs: tp_btf, fentry, fexit, fmod_ret, LSM and
// freplace. Their target was fixed at load (attach_btf_id); attaching
// makes a BPF link of the program's expected attach type, with a BPF
// cookie if asked. freplace may also be attached to a function of another
// BPF program chosen at attach time.
#pragma once

#include "link/attach.h"

namespace bpfxx::link {

Result<LinkPtr> attach_trace(const bpf_program& prog, uint64_t cookie);

// target_fd and func_name both set: replace func_name of the BPF program
// target_fd; both unset: the target chosen at load.
Result<LinkPtr> attach_freplace(const bpf_program& prog, int target_fd, const char* func_name);

}  // namespace bpfxx::link
