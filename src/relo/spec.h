// Access specifications: what a CO-RE relocation names, in one BTF.
//
// The record's access string "0:1:2" is a path of indices: the first
// indexes the root type as an array (p[0]), each next one a member of a
// struct/union or an element of an array. The spec keeps the "high-level"
// accessors -- named members and array indices; anonymous members only
// count in the raw path and the bit offset -- which is what is looked for
// by name in a target type. For enum-value relocations the one index is an
// enumerator; type relocations have "0" and no accessor.
#pragma once

#include <cstdint>
#include <string>

#include "btf/btf.h"
#include "btf/ext.h"

namespace bpfxx::relo {

inline constexpr uint32_t kMaxSpecLen = 64;

struct Accessor {
  uint32_t type_id = 0;        // struct/union holding the member; element type for an index
  uint32_t idx = 0;            // member, element or enumerator index
  const char* name = nullptr;  // member or enumerator name; null for an array index
};

struct Spec {
  const ::btf* btf = nullptr;
  uint32_t root_type_id = 0;
  uint32_t kind = 0;
  Accessor acc[kMaxSpecLen];
  uint32_t len = 0;
  uint32_t raw[kMaxSpecLen];
  uint32_t raw_len = 0;
  uint64_t bit_offset = 0;  // of the field from the root pointer (field kinds)
};

// Parses rec's access string against local BTF. Fails with EINVAL (bad
// string, index out of range, a path through a non-composite) or E2BIG;
// *why says what was wrong.
int parse_spec(const ::btf& local, const btf::CoreRelo& rec, Spec& out, std::string* why);

// Looks for local's path in the target candidate targ_id: 1 and *out filled
// when the candidate has it (members found by name, anonymous members
// searched through, arrays long enough, field types compatible), 0 when
// not, negative errno on malformed BTF.
int match_spec(const Spec& local, const ::btf& targ, uint32_t targ_id, Spec& out);

// "struct task_struct.real_parent.pid" for messages, with the raw path
// ("0:57:12").
std::string describe_spec(const Spec& s);

}  // namespace bpfxx::relo
