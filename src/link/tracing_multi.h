// Multi-function BTF tracing: one fentry.multi, fexit.multi or
// fsession.multi program on many kernel functions through a single
// BPF_LINK_TYPE_TRACING_MULTI link (BPF_LINK_CREATE with the program's
// expected attach type and a list of vmlinux BTF function ids, with an
// optional BPF cookie per function).
#pragma once

#include "link/attach.h"

#include <linux/types.h>

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace bpfxx::link {

struct TracingMultiOptions {
  const char* pattern = nullptr;  // glob over vmlinux BTF function names
  const __u32* ids = nullptr;  // or the BTF ids themselves
  const __u64* cookies = nullptr;
  size_t cnt = 0;
};

Result<LinkPtr> attach_tracing_multi(const bpf_program& prog, const TracingMultiOptions& opts);

// The vmlinux BTF ids of the functions whose names match the glob pattern,
// in id order (possibly none).
Result<std::vector<__u32>> tracing_multi_ids(std::string_view pattern);

// fentry.multi/<pattern> and friends; a null link when the section names
// no pattern.
Result<LinkPtr> auto_attach_tracing_multi(const bpf_program& prog);

}  // namespace bpfxx::link
