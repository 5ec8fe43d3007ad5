// Reading small kernel-provided files (procfs, sysfs, tracefs) through the seam.
#pragma once

#include <bpfxx/result.hpp>

#include <string>

namespace bpfxx::sys {

// The whole content of a small file such as /sys/devices/system/cpu/possible.
// Fails with the open/read errno; reads at most max_bytes.
Result<std::string> read_file(const char* path, size_t max_bytes = 1 << 20);

}  // namespace bpfxx::sys
