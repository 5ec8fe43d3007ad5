// The typed parts of a skeleton: one C struct per data section laid out
// from its BTF DATASEC, the struct_ops shadow types, and the layout
// asserts. Types are printed with the library's own BTF C dumper.
#pragma once

#include "gen/object_model.h"

#include <bpfxx/result.hpp>

#include <string>

namespace bpfxx::gen {

// Appends "\tstruct NAME__IDENT {...} *IDENT;\n" for every memory-mapped
// map (subskel: members are pointers, "} IDENT;" with no '*').
Result<void> emit_datasec_structs(const ObjectModel& m, const std::string& obj_name, bool subskel,
                                  std::string& out);

// Appends "\tstruct { ... } struct_ops;\n" when the object has struct_ops maps.
Result<void> emit_struct_ops_shadows(const ObjectModel& m, const std::string& obj_name, std::string& out);

// Appends the NAME__assert() function: size and offset of every variable.
void emit_asserts(const ObjectModel& m, const std::string& obj_name, std::string& out);

// The identifiers of a data section's variables, in the order emitted
// (static variables are not part of the skeleton): name in BTF, member.
struct VarEntry {
  std::string name;
  std::string ident;
  uint32_t type_id = 0;  // the VAR's type
  uint32_t offset = 0;
  uint32_t size = 0;
};
std::vector<VarEntry> datasec_vars(const ObjectModel& m, const MapEntry& e);

}  // namespace bpfxx::gen
