// Internal maps of global data: one array map per data section.
#pragma once

#include "elf/elf_reader.h"
#include "object/object.h"

#include <bpfxx/result.hpp>

namespace bpfxx::object {

// What kind of data section `s` is (kNone for anything else).
DataSecKind classify_data_section(const elf::Section& s) noexcept;

// Appends one internal map per non-empty data section (.data, .rodata,
// .bss and their dotted variants), in section order, with the section's
// bytes as initial value.
Result<void> add_data_maps(bpf_object& obj, const elf::Reader& elf);

// Once the BTF is finalized: the .kconfig map (when the object has kconfig
// externs), each data map's DATASEC as its BTF value type (unless its size
// disagrees), and BPF_F_MMAPABLE when a variable is global (libbpf's rule:
// user space reaches globals, not statics).
void settle_data_maps(bpf_object& obj);

}  // namespace bpfxx::object
