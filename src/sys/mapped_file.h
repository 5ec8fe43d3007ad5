// A whole regular file mapped privately (copy-on-write, read only by us), owned: unmapped when the
// owner goes. For reading large files briefly without copying them, such as
// the symbol tables of an executable a uprobe targets.
#pragma once

#include <bpfxx/result.hpp>

#include <cstddef>
#include <cstdint>
#include <span>

namespace bpfxx::sys {

class MappedFile {
 public:
  // Maps the file at path through the seam. An empty file gives an empty
  // span (nothing mapped); a non-regular file is EINVAL.
  static Result<MappedFile> open(const char* path);

  MappedFile() noexcept = default;
  ~MappedFile() { reset(); }
  MappedFile(MappedFile&& other) noexcept : addr_(other.addr_), len_(other.len_) {
    other.addr_ = nullptr;
    other.len_ = 0;
  }
  MappedFile& operator=(MappedFile&& other) noexcept;
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;

  // Valid while this object lives. A file truncated meanwhile by someone
  // else makes access fault (SIGBUS): hold the mapping only briefly.
  std::span<const uint8_t> bytes() const noexcept { return {static_cast<const uint8_t*>(addr_), len_}; }

 private:
  MappedFile(void* addr, size_t len) noexcept : addr_(addr), len_(len) {}
  void reset() noexcept;

  void* addr_ = nullptr;
  size_t len_ = 0;
};

}  // namespace bpfxx::sys
