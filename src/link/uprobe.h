// User-space probes: uprobe/uretprobe on a function of an executable or
// shared library (by name or file offset), and uprobe.multi links.
//
// A function name is turned into a file offset from the file's symbol
// tables (src/elf/func_offset.h); a library given by bare name
// ("libc.so.6") is found like the dynamic loader finds it (LD_LIBRARY_PATH,
// /etc/ld.so.cache, the default directories), a program without '/' on
// PATH. The probe is a perf event of the uprobe PMU, or a legacy
// tracefs uprobe_events entry where the kernel lacks the PMU.
#pragma once

#include "link/kprobe.h"

#include <sys/types.h>

namespace bpfxx::link {

struct UprobeOptions {
  uint64_t ref_ctr_offset = 0;
  uint64_t cookie = 0;
  bool retprobe = false;
  const char* func_name = nullptr;  // func_offset is then relative to it
  ProbeMode mode = ProbeMode::kDefault;
};

Result<LinkPtr> attach_uprobe(const bpf_program& prog, pid_t pid, const char* binary_path, uint64_t func_offset,
                              const UprobeOptions& opts);

struct UprobeMultiOptions {
  const char** syms = nullptr;
  const unsigned long* offsets = nullptr;
  const unsigned long* ref_ctr_offsets = nullptr;
  const __u64* cookies = nullptr;
  size_t cnt = 0;
  bool retprobe = false;
  bool session = false;
};

Result<LinkPtr> attach_uprobe_multi(const bpf_program& prog, pid_t pid, const char* binary_path,
                                    const char* func_pattern, const UprobeMultiOptions& opts);

// The path a uprobe target names: itself when it has a '/', else a shared
// library (a name with ".so") or a program on PATH.
Result<std::string> resolve_binary_path(std::string_view name);

}  // namespace bpfxx::link
