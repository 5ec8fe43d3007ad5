// /proc/kallsyms: the addresses of kernel symbols, for typeless __ksym
// externs ("extern const void sym __ksym;").
//
// Each line is "<hex address> <type letter> <name>[\t[<module>]]". Without
// CONFIG_KALLSYMS_ALL only functions are listed; without the privilege to
// see addresses every address reads 0.
#pragma once

#include <bpfxx/result.hpp>

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace bpfxx::sys {

struct Kallsym {
  uint64_t addr = 0;
  char type = 0;
  std::string_view name;
  std::string_view module;  // empty for vmlinux
};

// Calls each() for every well-formed line of text, in order; a malformed
// line (no address, no type, no name) fails with EINVAL naming its number.
// each() returning false stops the walk early.
Result<void> for_each_kallsym(std::string_view text, const std::function<bool(const Kallsym&)>& each);

// The name s is matched by against extern names: a local data symbol ('d')
// renamed by clang's LTO ("foo.llvm.123456789") matches the plain "foo",
// as libbpf does; any other symbol its whole name.
std::string_view kallsym_match_name(const Kallsym& s) noexcept;

// The content of /proc/kallsyms (EFBIG past 256 MiB).
Result<std::string> read_kallsyms();

}  // namespace bpfxx::sys
