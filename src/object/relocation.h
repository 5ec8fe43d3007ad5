// Instruction relocations recorded at open, applied by the load phase.
//
// Opening an object classifies every relocation record of a program section
// (what the instruction refers to) and keeps it with the program it belongs
// to; nothing is patched yet. The load phase resolves each record against
// the final layout: map fds or fd_array indices, global-data offsets,
// appended subprograms, resolved externs.
#pragma once

#include <cstdint>
#include <string>

namespace bpfxx::object {

enum class RelocKind : uint8_t {
  // ld_imm64 of a BTF-defined map (a variable of .maps): becomes the map's
  // fd (BPF_PSEUDO_MAP_FD) or fd_array index.
  kMap,
  // ld_imm64 of a global variable in a data section (.data, .rodata, .bss,
  // custom .data.* / .rodata.*): becomes BPF_PSEUDO_MAP_VALUE of the
  // section's internal map, at sym_off plus the instruction's own imm.
  kData,
  // ld_imm64 of a variable of the arena section (.addr_space.1).
  kArena,
  // bpf-to-bpf call (BPF_PSEUDO_CALL) of a subprogram.
  kCall,
  // ld_imm64 of a function's address (callbacks: bpf_loop, timers ...):
  // becomes BPF_PSEUDO_FUNC.
  kSubprogAddr,
  // ld_imm64 of an extern variable (__kconfig or __ksym).
  kExternVar,
  // call of an extern function (a kfunc declared __ksym).
  kExternCall,
};

// Printable name of a kind, for messages and tests.
const char* reloc_kind_name(RelocKind kind) noexcept;

struct Relocation {
  RelocKind kind = RelocKind::kMap;
  // Instruction index inside the program (not the section).
  uint32_t insn_idx = 0;
  // kMap, kData, kArena: index of the map in the object's map list.
  int map_idx = -1;
  // kData, kArena: symbol value (offset in the section; the instruction's
  // imm adds to it for section symbols). kCall, kSubprogAddr: byte offset
  // of the target symbol in its section.
  int64_t sym_off = 0;
  // kCall, kSubprogAddr: ELF index of the target's section.
  uint32_t target_sec = 0;
  // Index of the referenced symbol in the symbol table.
  uint32_t sym_idx = 0;
  // kExternVar, kExternCall: the extern's name (the symbol name).
  std::string sym_name;
  // kExternVar, kExternCall: index into the object's extern list.
  int ext_idx = -1;
};

}  // namespace bpfxx::object
