// RLIMIT_MEMLOCK: kernels before 5.11 charge BPF memory to it, so the
// loader raises it (once) on those kernels; libbpf_set_memlock_rlim()
// chooses the value beforehand.
#pragma once

#include <cstddef>

namespace bpfxx::sys {

// Sets the limit the loader will apply; -EBUSY once it has been applied.
int set_memlock_limit(size_t bytes) noexcept;

// The limit the loader will apply (default RLIM_INFINITY, like libbpf; 0 disables raising it).
size_t memlock_limit() noexcept;

// Applies the limit with setrlimit() the first time it is called (later
// calls do nothing and return the first result). Returns 0 or -errno.
int apply_memlock_limit() noexcept;

// What every map, program and BTF creation calls first: on kernels that
// still charge BPF memory to RLIMIT_MEMLOCK (before 5.11), applies the
// limit once; on newer kernels does nothing (and the limit stays settable).
int bump_memlock_rlimit() noexcept;

}  // namespace bpfxx::sys
