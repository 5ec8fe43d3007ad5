// Type compatibility between a program's local BTF and a target BTF, in the
// three strengths CO-RE uses:
//  - fields_compat: a member reached by a field relocation may be read as
//    the local type says (composites always, same-kind scalars, enums by
//    essential name, arrays by element);
//  - types_compat: type_exists / type_size / type_id_target (kinds agree
//    along the chain, pointers and arrays followed, prototypes compared);
//  - types_match: type_matches, the strict form (names, sizes, signedness,
//    every local member and enumerator present in the target).
// Each returns 1 (yes), 0 (no) or a negative errno (malformed BTF, too
// deep).
#pragma once

#include <cstdint>
#include <string_view>

#include "btf/btf.h"

namespace bpfxx::relo {

// Follows typedefs, modifiers and type tags; *id becomes the id reached.
// nullptr for a bad id or a chain that does not end.
const btf_type* skip_mods_and_typedefs(const ::btf& b, uint32_t id, uint32_t* out_id = nullptr);

// The name at off ("" for none or a bad offset).
inline std::string_view name_of(const ::btf& b, uint32_t off) {
  const char* s = b.str_by_offset(off);
  return s != nullptr ? std::string_view(s) : std::string_view();
}

// Same kind, or both enums (ENUM and ENUM64 stand for each other).
bool kinds_compat(const btf_type* a, const btf_type* b) noexcept;

int fields_compat(const ::btf& local, uint32_t local_id, const ::btf& targ, uint32_t targ_id);
int types_compat(const ::btf& local, uint32_t local_id, const ::btf& targ, uint32_t targ_id);
int types_match(const ::btf& local, uint32_t local_id, const ::btf& targ, uint32_t targ_id);

}  // namespace bpfxx::relo
