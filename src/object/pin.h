// Pinning maps and programs in a BPF file system, with libbpf's rules:
// the parent directory is created (mode 0700) and must be on a bpffs;
// a map remembers its pin path and whether it is pinned.
#pragma once

#include "object/object.h"

#include <bpfxx/result.hpp>

#include <string>
#include <string_view>

namespace bpfxx::object {

// <dir>/<name>, with the dots of name turned into '_' (bpffs refuses dots
// in file names: ".rodata" maps pin as "_rodata"). ENAMETOOLONG when the
// result does not fit PATH_MAX.
Result<std::string> pin_path_in(std::string_view dir, std::string_view name);

// Pins fd at path. what names the object in messages ("map 'counts'").
// warn_exists false: a path that is taken (EEXIST) fails quietly, for a
// caller that handles it (the load's pin race).
Result<void> pin_fd(int fd, const std::string& path, const std::string& what, bool warn_exists = true);

// Removes the pin at path (any file there, as unlink(2) does).
Result<void> unpin_path(const std::string& path);

// bpf_map__pin(): at path, or at the map's pin path when path is NULL.
// Pinning again at the same path is a no-op; a path other than the map's
// pin path is refused with EINVAL. warn_exists: as for pin_fd().
Result<void> pin_map(bpf_map& map, const char* path, bool warn_exists = true);

// bpf_map__unpin(): removes the pin at path or the map's pin path.
Result<void> unpin_map(bpf_map& map, const char* path);

}  // namespace bpfxx::object
