// The skeleton generator: `bpfxx gen skeleton` and `gen subskeleton`.
//
// Given the bytes of a BPF object, builds the text of NAME.skel.h in
// memory: the struct NAME with maps, programs, links, typed data sections
// and struct_ops shadows, the object's bytes, and the open/load/attach/
// detach/destroy functions over libbpf's skeleton runtime. The output
// depends only on the bytes and the name, never on paths or the host.
#pragma once

#include <bpfxx/result.hpp>

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace bpfxx::gen {

// NAME.skel.h for elf. name must be a C identifier (see
// object_name_from_path() in object_model.h for the default).
Result<std::string> generate_skeleton(std::span<const uint8_t> elf, const std::string& name);

// NAME.subskel.h: the variables, maps and programs of a library object
// found by name in whatever object it was linked into.
Result<std::string> generate_subskeleton(std::span<const uint8_t> elf, const std::string& name);

// The name a skeleton gets from a file path (base name without ".o").
std::string skeleton_name_for(std::string_view path);

// The header guard for name and kind ("SKEL_H", "SUBSKEL_H").
std::string header_guard(const std::string& name, std::string_view kind);

// Appends bytes as the body of a C string literal, split into
// backslash-continued lines of at most 78 characters.
void append_string_literal(std::span<const uint8_t> bytes, std::string& out);

}  // namespace bpfxx::gen
