// Raw tracepoints (SEC("raw_tp/<name>"), "raw_tracepoint[.w]/<name>"):
// BPF_RAW_TRACEPOINT_OPEN by name, with a BPF cookie where the kernel
// takes one (6.10+).
#pragma once

#include "link/attach.h"

#include <string_view>

namespace bpfxx::link {

Result<LinkPtr> attach_raw_tracepoint(const bpf_program& prog, std::string_view name, uint64_t cookie);

}  // namespace bpfxx::link
