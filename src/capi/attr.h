// Building union bpf_attr for the C API's commands.
#pragma once

#include <bpf/uapi/linux/bpf.h>

#include <cstdint>
#include <cstring>

namespace bpfxx::capi {

// The kernel's attr fields carry user pointers as __u64.
inline __u64 ptr_to_u64(const void* p) { return static_cast<__u64>(reinterpret_cast<uintptr_t>(p)); }

// Every byte a command does not use must be zero, padding included.
inline union bpf_attr zeroed_attr() {
  union bpf_attr attr;
  std::memset(&attr, 0, sizeof(attr));
  return attr;
}

}  // namespace bpfxx::capi
