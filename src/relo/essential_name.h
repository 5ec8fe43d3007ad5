// Essential names: a type or field name without its "___flavor" suffix.
//
// BPF programs define several local variants of one kernel type
// ("task_struct___old", "task_struct___new"); each is matched against the
// kernel's "task_struct". The suffix starts at the last triple underscore
// that has a non-underscore character on both sides.
#pragma once

#include <cstddef>
#include <string_view>

namespace bpfxx::relo {

inline size_t essential_name_len(std::string_view name) noexcept {
  const size_t n = name.size();
  if (n < 5) return n;
  for (size_t i = n - 5 + 1; i-- > 0;) {
    if (name[i] != '_' && name[i + 1] == '_' && name[i + 2] == '_' && name[i + 3] == '_' &&
        name[i + 4] != '_')
      return i + 1;
  }
  return n;
}

inline std::string_view essential_name(std::string_view name) noexcept {
  return name.substr(0, essential_name_len(name));
}

}  // namespace bpfxx::relo
