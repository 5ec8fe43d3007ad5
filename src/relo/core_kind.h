// The kinds of CO-RE relocation records (.BTF.ext) and how they group.
//
// Values are the kernel's enum bpf_core_relo_kind; the engine treats them
// in three families: field-based (a member path through a struct, answered
// from where the member lies), type-based (a whole type) and enum-value
// based (one enumerator).
#pragma once

#include <cstdint>

namespace bpfxx::relo {

enum CoreKind : uint32_t {
  kFieldByteOffset = 0,
  kFieldByteSize = 1,
  kFieldExists = 2,
  kFieldSigned = 3,
  kFieldLshiftU64 = 4,
  kFieldRshiftU64 = 5,
  kTypeIdLocal = 6,
  kTypeIdTarget = 7,
  kTypeExists = 8,
  kTypeSize = 9,
  kEnumvalExists = 10,
  kEnumvalValue = 11,
  kTypeMatches = 12,
};

inline bool is_field_kind(uint32_t k) noexcept { return k <= kFieldRshiftU64; }
inline bool is_type_kind(uint32_t k) noexcept {
  return (k >= kTypeIdLocal && k <= kTypeSize) || k == kTypeMatches;
}
inline bool is_enumval_kind(uint32_t k) noexcept { return k == kEnumvalExists || k == kEnumvalValue; }
inline bool is_known_kind(uint32_t k) noexcept { return k <= kTypeMatches; }

// "byte_off", "type_exists", ... as libbpf's debug output spells them.
const char* kind_str(uint32_t k) noexcept;

// The helper id a relocation that cannot be satisfied is turned into
// ("call 0xbad2310"): the verifier only rejects it where it is reachable,
// with "invalid func unknown#195896080".
inline constexpr int32_t kPoisonHelperId = 0xbad2310;

}  // namespace bpfxx::relo
