// The `sz` convention of libbpf's opts structs.
//
// A caller compiled against an older header passes a smaller struct: fields
// beyond its sz read as their defaults. A caller compiled against a newer
// header passes a larger one: that is fine as long as every byte we do not
// know is zero; a non-zero unknown byte means it asked for something we
// cannot do, and the call fails with -EINVAL.
#pragma once

#include <cstddef>
#include <type_traits>

namespace bpfxx::capi {

// Checks opts (may be NULL) against the size this library knows for its
// type; warns through the print callback naming type_name on failure.
bool opts_valid(const void* opts, size_t known_size, const char* type_name) noexcept;

}  // namespace bpfxx::capi

// Size this library knows of `struct type`: up to the end of the field
// named by libbpf's `type##__last_field` macro.
#define BPFXX_OPTS_KNOWN_SIZE(type) \
  (offsetof(struct type, type##__last_field) + sizeof(((struct type*)nullptr)->type##__last_field))

#define BPFXX_OPTS_VALID(opts, type) \
  ::bpfxx::capi::opts_valid((opts), BPFXX_OPTS_KNOWN_SIZE(type), #type)

// Whether the caller's struct is large enough to hold field.
#define BPFXX_OPTS_HAS(opts, field)                                                     \
  ((opts) != nullptr &&                                                                 \
   (opts)->sz >= offsetof(std::remove_cvref_t<decltype(*(opts))>, field) + sizeof((opts)->field))

// The field's value, or fallback when opts is NULL or too small to hold it.
#define BPFXX_OPTS_GET(opts, field, fallback) \
  (BPFXX_OPTS_HAS(opts, field) ? (opts)->field : (fallback))

namespace bpfxx::capi {

// Whether every byte of the caller's opts from offset `from` to its sz is
// zero (true for NULL opts or a struct that ends before `from`).
bool opts_zeroed_from(const void* opts, size_t from) noexcept;

}  // namespace bpfxx::capi

// True when the caller set nothing in opts past the end of field: unions in
// opts (bpf_link_create_opts) hold one attach type's settings, and values
// meant for another type are a mistake to report, not to ignore.
#define BPFXX_OPTS_ZEROED_AFTER(opts, field) \
  ::bpfxx::capi::opts_zeroed_from(           \
      (opts), offsetof(std::remove_cvref_t<decltype(*(opts))>, field) + sizeof((opts)->field))
