// Bytes of a BTF type as a JSON value, for `bpfxx map dump -j`'s
// "formatted" member: structs become objects keyed by member name, arrays
// arrays (char arrays strings), enums their enumerator's name, integers
// numbers (128-bit ones and floats strings).
#pragma once

#include "json_writer.h"

#include <bpf/btf.h>

#include <cstddef>
#include <cstdint>

namespace bpfxx::tool {

// Writes data (size bytes) as type_id of btf. Returns 0, or -EINVAL when a
// type is unknown or its bytes would lie past data + size; on failure the
// writer holds a partial value (callers write to a scratch writer first).
int btf_value_json(const struct btf* btf, uint32_t type_id, const uint8_t* data, size_t size, JsonWriter& w);

}  // namespace bpfxx::tool
