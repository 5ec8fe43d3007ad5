// BTF-defined maps: the variables of the .maps section, described by BTF
// structs whose members encode the attributes (__uint, __type, __array).
#pragma once

#include "elf/elf_reader.h"
#include "object/object.h"

#include <bpfxx/result.hpp>

namespace bpfxx::object {

// Adds one user map per variable of the .maps DATASEC to obj->maps (with
// inner-map templates for __array(values, ...)). obj->btf must be set.
Result<void> parse_btf_maps(bpf_object& obj, const elf::Reader& elf);

// Records the static `values` initialisation of map-in-maps and program
// arrays from the relocations of the .maps section.
Result<void> parse_map_init_relos(bpf_object& obj, const elf::Reader& elf,
                                  const elf::Section& rel_sec);

}  // namespace bpfxx::object
