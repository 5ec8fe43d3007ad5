// BPF iterators (SEC("iter/<target>")): a BPF_TRACE_ITER link, optionally
// narrowed to one map, cgroup or task (union bpf_iter_link_info). Reading
// happens through bpf_iter_create() on the link's fd.
#pragma once

#include "link/attach.h"

union bpf_iter_link_info;

namespace bpfxx::link {

Result<LinkPtr> attach_iter(const bpf_program& prog, const union bpf_iter_link_info* info, uint32_t info_len);

}  // namespace bpfxx::link
