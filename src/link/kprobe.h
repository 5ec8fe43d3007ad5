// Kernel probes: kprobe/kretprobe on a function (+offset), ksyscall on a
// syscall's entry point, and kprobe.multi links on many functions at once.
//
// A single kprobe is a perf event: from the kprobe PMU where the kernel has
// one (4.17+), else a legacy probe written to tracefs kprobe_events under a
// name unique to this process, removed again on detach.
#pragma once

#include "link/perf_event.h"

#include <linux/types.h>

#include <string>
#include <string_view>
#include <vector>

namespace bpfxx::link {

enum class ProbeMode { kDefault, kLegacy, kPerf, kLink };

struct KprobeOptions {
  uint64_t cookie = 0;
  uint64_t offset = 0;
  bool retprobe = false;
  ProbeMode mode = ProbeMode::kDefault;
};

Result<LinkPtr> attach_kprobe(const bpf_program& prog, std::string_view func, const KprobeOptions& opts);

Result<LinkPtr> attach_ksyscall(const bpf_program& prog, std::string_view syscall, uint64_t cookie, bool retprobe);

struct KprobeMultiOptions {
  const char* pattern = nullptr;  // glob over available_filter_functions
  const char** syms = nullptr;
  const unsigned long* addrs = nullptr;
  const __u64* cookies = nullptr;
  size_t cnt = 0;
  bool retprobe = false;
  bool session = false;
  bool unique_match = false;
};

Result<LinkPtr> attach_kprobe_multi(const bpf_program& prog, const KprobeMultiOptions& opts);

// Shell-style glob (only '*' and '?'), as kprobe.multi and uprobe.multi
// patterns use.
bool glob_match(std::string_view pattern, std::string_view text) noexcept;

// A name for a legacy tracefs probe, unique in this process and valid as a
// tracefs event name: "<prefix>_<pid>_<n>_<sanitized target>".
std::string legacy_probe_name(std::string_view prefix, std::string_view target);

}  // namespace bpfxx::link
