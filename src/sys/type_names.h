// Names of the kernel's program, map, attach and link types, spelled as
// libbpf's libbpf_bpf_*_type_str() spell them (the enumerator without its
// prefix, in lower case), so tools and logs read the same with either library.
#pragma once

namespace bpfxx::sys {

// Each returns a static string, or nullptr for a value this library does not
// know (negative, past the end of the enum, or a gap in it).
const char* prog_type_name(int type) noexcept;
const char* map_type_name(int type) noexcept;
const char* attach_type_name(int type) noexcept;
const char* link_type_name(int type) noexcept;

// One past the largest value each table covers, for callers that list them.
int prog_type_limit() noexcept;
int map_type_limit() noexcept;
int attach_type_limit() noexcept;
int link_type_limit() noexcept;

}  // namespace bpfxx::sys
