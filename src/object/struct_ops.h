// struct_ops maps: the variables of .struct_ops and .struct_ops.link that
// implement a kernel "ops" structure (tcp_congestion_ops, sched_ext_ops...)
// with BPF programs.
//
// Life cycle:
//   open     parse_struct_ops(): each variable of the sections' DATASEC
//            becomes a BPF_MAP_TYPE_STRUCT_OPS map named after it; its
//            bytes are kept as the "shadow" (the object's own layout of the
//            struct), and the ELF relocations of its function-pointer
//            members put the referenced programs' `struct bpf_program *`
//            into the shadow's pointer slots. bpf_map__initial_value()
//            hands the shadow out, so callers (and skeletons) can change
//            data members or swap programs until load.
//   prepare  prepare_struct_ops(): the kernel type is found in vmlinux BTF
//            (struct <name>, flavor suffix dropped, and its value wrapper
//            struct bpf_struct_ops_<name>), the kernel value is built
//            member by member by name, each referenced program gets
//            attach_btf_id = the kernel struct and expected_attach_type =
//            the member's index, and struct_ops programs' autoload follows
//            the maps that use them (libbpf's rule).
//   load     fill_struct_ops_values(): the loaded programs' fds go into the
//            kernel value's function-pointer slots.
//   attach   bpf_map__attach_struct_ops() writes the value into the map
//            (src/link/struct_ops_link.cpp).
#pragma once

#include "elf/elf_reader.h"

#include <bpfxx/result.hpp>

#include <cstdint>
#include <span>
#include <string>
#include <vector>

struct bpf_object;
struct bpf_map;
struct bpf_program;

namespace bpfxx::object {

struct StructOps {
  // The local struct in the object's BTF (after typedefs and modifiers),
  // and its name as written ("tcp_congestion_ops___v2").
  uint32_t local_type_id = 0;
  std::string type_name;
  // The shadow: the variable's bytes in the local layout; function-pointer
  // members hold a `struct bpf_program *` (or NULL). Its address never
  // changes between open and close.
  std::vector<uint8_t> shadow;
  // Per local member: the program the source assigned (ELF relocation),
  // whatever the shadow holds now; NULL for other members.
  std::vector<bpf_program*> declared;

  // Set by prepare_struct_ops().
  uint32_t kern_type_id = 0;        // struct <name> in vmlinux BTF
  uint32_t kern_value_type_id = 0;  // struct bpf_struct_ops_<name>
  std::vector<uint8_t> kern_value;  // the value the map is updated with
  struct FuncSlot {
    uint32_t kern_off = 0;  // byte offset in kern_value
    bpf_program* prog = nullptr;
  };
  std::vector<FuncSlot> func_slots;
};

// Open: one map per variable of every struct_ops section (sections:
// .struct_ops, .struct_ops.link and their '?'-prefixed forms, which start
// with autocreate off); relos are the relocation sections that target
// them. Programs must have been added already.
Result<void> parse_struct_ops(bpf_object& obj, const elf::Reader& elf,
                              std::span<const elf::Section* const> relos);

// Whether a section name is one of the struct_ops sections.
bool is_struct_ops_section(std::string_view name) noexcept;

// Prepare (before the BTF upload and map creation): the kernel types and
// the kernel value of every struct_ops map that will be created, and the
// struct_ops programs' attach targets and autoload.
Result<void> prepare_struct_ops(bpf_object& obj);

// Load (after load_programs): program fds into the kernel values.
Result<void> fill_struct_ops_values(bpf_object& obj);

// The program in shadow slot bytes (a host pointer), or NULL.
bpf_program* shadow_prog(const StructOps& st, uint32_t off) noexcept;

}  // namespace bpfxx::object
