// The BPF arena of an object (BPF_MAP_TYPE_ARENA, kernel 6.9+).
//
// An arena is a sparse region of up to 4 GiB shared by the programs and
// user space. Variables the C code places in the arena (`.addr_space.1`,
// `int __arena x = 42;`) belong to the object's single arena map:
//
//   open    the arena map is found (exactly one when the section is used),
//           the section must fit in the arena, and its ELF bytes become the
//           map's private initial value (bpf_map__initial_value());
//   create  right after BPF_MAP_CREATE the whole arena is mmapped shared --
//           at map_extra when set (MAP_FIXED), else where the kernel puts
//           it, which fixes the arena's user_vm_start -- and the globals
//           are copied to their place in it. This must precede program
//           load: the kernel turns arena addresses into user addresses;
//   link    an ld_imm64 of an arena variable becomes BPF_PSEUDO_MAP_VALUE
//           of the arena map at the variable's offset in the arena;
//   release the mapping goes away (RAII) with the map.
//
// Where the globals sit: libbpf 1.8 puts them in the LAST pages of the
// arena (offset = arena size - globals rounded up to pages), so that page
// 0 stays free and NULL-like arena pointers can be caught with guard
// pages -- but only where the verifier takes ld_imm64 map-value offsets
// of 512 MiB and more (Feature::Ldimm64FullRangeOff, kernels after 6.18);
// elsewhere, like releases before 1.8, at offset 0, so a 4 GiB arena
// still loads. Also as in 1.8, bpf_map__initial_value() of the arena map
// is the private copy of the globals before load and the START of the
// live mapping after it (globals at arena_globals_offset() from there),
// with the globals' size.
#pragma once

#include "elf/elf_reader.h"
#include "object/object.h"

#include <bpfxx/result.hpp>

#include <cstddef>
#include <cstdint>

namespace bpfxx::object {

// Open: ties `.addr_space.1` to the arena map. Errors name the object and
// say what is wrong: no arena map or several while the section is used, a
// section larger than the arena. Run once maps and relocations are known.
Result<void> setup_arena(bpf_object& obj, const elf::Reader& elf);

// The object's arena map (the one `.addr_space.1` belongs to); NULL if
// none.
bpf_map* arena_map(const bpf_object& obj) noexcept;

// Bytes the arena spans: max_entries pages.
uint64_t arena_size(const bpf_map& map) noexcept;

// Size of the arena globals (the `.addr_space.1` section); 0 without any.
size_t arena_globals_size(const bpf_map& map) noexcept;

// Byte offset of the globals inside the arena for the map's current
// max_entries (the last pages, or 0: see above). Fails if they do not fit.
Result<uint64_t> arena_globals_offset(const bpf_map& map);

// Create: mmaps the created arena map and copies the globals into it.
Result<void> map_arena(bpf_map& map);

}  // namespace bpfxx::object
