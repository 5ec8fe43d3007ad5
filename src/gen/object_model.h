// What a skeleton describes, collected once from an opened object: the
// maps, programs and data sections with the C identifiers the generated
// header gives them. Both generators (skeleton, subskeleton) read this.
#pragma once

#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <bpfxx/result.hpp>

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace bpfxx::gen {

struct MapEntry {
  const bpf_map* map = nullptr;
  std::string name;   // bpf_map__name(): what the runtime looks up
  std::string ident;  // member of `maps` (and of `links` for struct_ops)
  bool struct_ops = false;
  // Memory-mapped data (.bss, .data*, .rodata*, .kconfig, arena globals):
  // the member that points at it, its C type tag and its BTF DATASEC.
  bool mmaped = false;
  std::string data_ident;  // "bss", "data_foo", "arena"
  uint32_t datasec_id = 0;  // 0: no DATASEC (e.g. string constants only)
  bool kconfig = false;     // keeps const/volatile on members
  std::string shadow_ident;  // struct_ops: member of `struct_ops`
  std::string link_ident;    // struct_ops: member of `links`
};

struct ProgEntry {
  std::string name;        // bpf_program__name()
  std::string ident;       // member of `progs`
  std::string link_ident;  // member of `links`
};

struct ObjectModel {
  struct Closer {
    void operator()(bpf_object* o) const { bpf_object__close(o); }
  };
  std::unique_ptr<bpf_object, Closer> obj;
  const ::btf* types = nullptr;  // the object's BTF, may be null
  std::vector<MapEntry> maps;
  std::vector<ProgEntry> progs;
};

// Opens elf (without loading) under object_name and names everything.
// The object name becomes the prefix of internal map names, as it does
// when the skeleton later opens the same bytes. With section_names, an
// internal map is named by its section (".bss", ".data.foo"): the name a
// subskeleton finds it by in whatever object the library was linked into.
Result<ObjectModel> build_model(std::span<const uint8_t> elf, const std::string& object_name,
                                bool section_names = false);

// The skeleton's name for a file: its base name without ".o" (and without
// ".bpf" before it is kept, as bpftool does), made an identifier.
std::string object_name_from_path(std::string_view path);

}  // namespace bpfxx::gen
