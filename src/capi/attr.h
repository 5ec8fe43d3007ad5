// Building union bpf_attr for the C API's commands.
#pragma once

#include <bpf/uapi/linux/bpf.h>

#include <cstdint>
#include <cstring>

namespace bpfxx::capi {

// The kernel's attr fields carry user pointers as __u64.
inline __u64 ptr_to_u64(const void* p) { return static_cast<__u64>(reinterpret_cast<uintptr_t>(p)); }

// An attr for a command that uses its first `size` bytes (BPFXX_ATTR_SIZE):
// those are zeroed, padding included, as the kernel requires; the kernel
// reads nothing beyond them, so the rest is left alone (clearing all of the
// union on every map lookup would cost more than the call's own work).
inline union bpf_attr zeroed_attr(unsigned int size) {
  union bpf_attr attr;
  std::memset(&attr, 0, size);
  return attr;
}

}  // namespace bpfxx::capi
