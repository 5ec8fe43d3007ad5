// libbpf's type probes: does the running kernel support this program type,
// this map type, this helper in this program type. The logic behind
// libbpf_probe_bpf_{prog_type,map_type,helper}(); unlike the feature cache,
// nothing is cached (libbpf does not cache these either).
#pragma once

#include "sys/probe_support.h"

namespace bpfxx::sys {

// Each returns 1 (supported), 0 (not supported) or -errno when the question
// cannot be answered: -EOPNOTSUPP for a type this library cannot probe (an
// unknown value, or a helper with a program type that needs an attach
// target).
int probe_prog_type(int prog_type, const probe::Context& ctx = {}) noexcept;
int probe_map_type(int map_type, const probe::Context& ctx = {}) noexcept;
int probe_helper(int prog_type, int helper_id, const probe::Context& ctx = {}) noexcept;

}  // namespace bpfxx::sys
