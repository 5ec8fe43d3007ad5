// Externs of an object (kconfig values and kernel symbols), recorded at open
// and resolved by the load phase (externs.cpp).
#pragma once

#include <cstdint>
#include <memory>
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

  // What resolve_externs() found; a weak extern may stay unresolved (its
  // uses then read 0, and bpf_ksym_exists() is false).
  bool resolved = false;
  // kKsymVar declared `const void`: only an address, from /proc/kallsyms.
  bool typeless = false;
  uint32_t kconfig_off = 0;    // kKconfig: offset in the .kconfig map
  uint64_t addr = 0;           // typeless kKsymVar: the kernel address
  uint32_t kernel_btf_id = 0;  // typed kKsymVar, kKsymFunc: id in kernel BTF
  // The module BTF that id belongs to: its fd (0 for vmlinux, as the
  // kernel expects in ld_imm64's second half) and, for kfunc calls, its
  // index in the fd_array of the program load (0 for vmlinux).
  int kernel_btf_fd = 0;
  int16_t fd_array_idx = 0;
  // Keeps kernel_btf_fd open, shared by the externs of one module: opened
  // when the first extern resolves into the module, closed once every
  // program is loaded (close_extern_btf_fds()) or the load fails.
  std::shared_ptr<const int> module_btf;
};

}  // namespace bpfxx::object
