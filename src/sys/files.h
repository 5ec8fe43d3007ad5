// Reading small kernel-provided files (procfs, sysfs, tracefs) through the seam.
#pragma once

#include <bpfxx/result.hpp>

#include <string>

namespace bpfxx::sys {

// The whole content of a small file such as /sys/devices/system/cpu/possible.
// Fails with the open/read errno, or EFBIG when the file holds more than
// max_bytes (never a silently cut content).
Result<std::string> read_file(const char* path, size_t max_bytes = 1 << 20);

}  // namespace bpfxx::sys
