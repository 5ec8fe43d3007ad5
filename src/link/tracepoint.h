// Tracepoints (SEC("tp/<category>/<name>"), "tracepoint/..."): a perf
// event of type PERF_TYPE_TRACEPOINT for the tracepoint's tracefs id.
#pragma once

#include "link/perf_event.h"

#include <string_view>

namespace bpfxx::link {

Result<LinkPtr> attach_tracepoint(const bpf_program& prog, std::string_view category, std::string_view name,
                                  uint64_t cookie);

// Opens a perf event on a tracepoint (for every process, on CPU 0, as the
// kernel runs tracepoint programs on whichever CPU hits them); the fd or
// the failure. `who` prefixes messages.
Result<int> open_tracepoint_event(std::string_view category, std::string_view name);

}  // namespace bpfxx::link
