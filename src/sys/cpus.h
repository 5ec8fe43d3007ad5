// CPU lists as the kernel prints them in sysfs ("0-3,5,7-8").
#pragma once

#include <bpfxx/result.hpp>

#include <string_view>
#include <vector>

namespace bpfxx::sys {

// Largest CPU number accepted; a list naming more is treated as malformed.
inline constexpr int kMaxCpus = 1 << 16;

// Parses a cpu list into a mask: mask[i] is true when CPU i is listed.
// Ranges must ascend ("3-1" is rejected); a trailing newline is allowed.
Result<std::vector<bool>> parse_cpu_list(std::string_view text);

// The possible CPUs (/sys/devices/system/cpu/possible), counted once per
// process: the number of per-CPU slots the kernel fills in map lookups.
Result<int> num_possible_cpus();

// The online CPUs (/sys/devices/system/cpu/online), read fresh each call.
Result<std::vector<bool>> online_cpus();

}  // namespace bpfxx::sys
