// Externs of an object (kconfig values and kernel symbols), recorded at open
// and resolved by the load phase.
#pragma once

#include <cstdint>
#include <string>

namespace bpfxx::object {

enum class ExternKind : uint8_t {
  kKconfig,  // variable of the BTF data section .kconfig (CONFIG_* values)
  kKsymVar,  // variable of .ksyms (a kernel variable, typed or typeless)
  kKsymFunc, // function of .ksyms (a kfunc)
  kUnknown,  // undefined symbol with no BTF description
};

struct Extern {
  std::string name;
  ExternKind kind = ExternKind::kUnknown;
  uint32_t sym_idx = 0;      // ELF symbol index
  uint32_t btf_id = 0;       // BTF VAR or FUNC describing it; 0 if none
  bool is_weak = false;      // declared __weak: may stay unresolved
};

}  // namespace bpfxx::object
