// libFuzzer target: the sysfs cpu-list parser never crashes and what it
// accepts is a mask with at least one CPU and no more than kMaxCpus.
#include "sys/cpus.h"

#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto mask = bpfxx::sys::parse_cpu_list(std::string_view(reinterpret_cast<const char*>(data), size));
  if (mask && (mask->empty() || mask->size() > static_cast<size_t>(bpfxx::sys::kMaxCpus))) std::abort();
  return 0;
}
