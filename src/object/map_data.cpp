// The stable, page-backed bytes of a global data map (map_data.h).
//
// The private region is plain memory, allocated with anonymous mmap(2)
// directly like any allocation (opening an object makes no kernel call
// through the seam); mapping a map's fd over it, and unmapping that, go
// through the seam.
#include "object/map_data.h"

#include "sys/kernel.h"

#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <new>
#include <string>
#include <utility>
#include <vector>

namespace bpfxx::object {
namespace {

size_t round_to_pages(size_t n) {
  const size_t page = page_size();
  return (n + page - 1) / page * page;
}

// Private zeroed memory of len bytes; at `fixed` (replacing what is mapped
// there) when given.
void* map_private(void* fixed, size_t len) {
  int flags = MAP_PRIVATE | MAP_ANONYMOUS;
  if (fixed != nullptr) flags |= MAP_FIXED;
  return ::mmap(fixed, len, PROT_READ | PROT_WRITE, flags, -1, 0);
}

}  // namespace

size_t page_size() noexcept {
  static const size_t size = [] {
    const long p = ::sysconf(_SC_PAGESIZE);
    return p > 0 ? static_cast<size_t>(p) : size_t{4096};
  }();
  return size;
}

MapData::~MapData() { reset(); }

MapData::MapData(MapData&& other) noexcept
    : addr_(std::exchange(other.addr_, nullptr)),
      size_(std::exchange(other.size_, 0)),
      mapped_(std::exchange(other.mapped_, 0)),
      kernel_mapped_(std::exchange(other.kernel_mapped_, false)) {}

MapData& MapData::operator=(MapData&& other) noexcept {
  if (this != &other) {
    reset();
    addr_ = std::exchange(other.addr_, nullptr);
    size_ = std::exchange(other.size_, 0);
    mapped_ = std::exchange(other.mapped_, 0);
    kernel_mapped_ = std::exchange(other.kernel_mapped_, false);
  }
  return *this;
}

void MapData::reset() noexcept {
  if (addr_ != nullptr) {
    if (kernel_mapped_) sys::kernel().munmap(addr_, mapped_);
    else ::munmap(addr_, mapped_);
  }
  addr_ = nullptr;
  size_ = mapped_ = 0;
  kernel_mapped_ = false;
}

Result<MapData> MapData::allocate(size_t size) {
  if (size == 0) return fail(EINVAL, "global data of size 0");
  const size_t len = round_to_pages(size);
  void* p = map_private(nullptr, len);
  if (p == MAP_FAILED) return fail(ENOMEM, "cannot map " + std::to_string(len) + " bytes for global data");
  MapData d;
  d.addr_ = static_cast<uint8_t*>(p);
  d.size_ = size;
  d.mapped_ = len;
  return d;
}

Result<void> MapData::resize(size_t new_size) {
  if (new_size == 0) return fail(EINVAL, "global data of size 0");
  if (kernel_mapped_) return fail(EBUSY, "global data already in a map");
  if (addr_ == nullptr) {
    Result<MapData> d = allocate(new_size);
    if (!d) return d.failure();
    *this = std::move(*d);
    return {};
  }
  if (round_to_pages(new_size) == mapped_) {
    // Same pages: bytes past the value are kept zero, so growing later
    // shows zeroes.
    if (new_size < size_) std::memset(addr_ + new_size, 0, size_ - new_size);
    size_ = new_size;
    return {};
  }
  Result<MapData> d = allocate(new_size);
  if (!d) return d.failure();
  std::memcpy(d->addr_, addr_, std::min(size_, new_size));
  *this = std::move(*d);
  return {};
}

Result<void> MapData::map_kernel(int fd, bool read_only) {
  if (addr_ == nullptr) return fail(EINVAL, "no global data to map");
  if (kernel_mapped_) return fail(EBUSY, "global data already in a map");
  // A failed MAP_FIXED may already have dropped the old pages: keep the
  // bytes to put them back.
  std::vector<uint8_t> saved;
  try {
    saved.assign(addr_, addr_ + size_);
  } catch (const std::bad_alloc&) {
    return fail(ENOMEM, "out of memory");
  }
  const int prot = read_only ? PROT_READ : PROT_READ | PROT_WRITE;
  int err = 0;
  void* p = sys::kernel().mmap(addr_, mapped_, prot, MAP_SHARED | MAP_FIXED, fd, 0, &err);
  if (p == MAP_FAILED) {
    if (map_private(addr_, mapped_) != MAP_FAILED) std::memcpy(addr_, saved.data(), saved.size());
    return fail(err != 0 ? err : EINVAL, std::string("mmap of the map failed: ") + std::strerror(err));
  }
  kernel_mapped_ = true;
  return {};
}

Result<void> MapData::make_private() {
  if (!kernel_mapped_) return {};
  std::vector<uint8_t> saved;
  try {
    saved.assign(addr_, addr_ + size_);
  } catch (const std::bad_alloc&) {
    return fail(ENOMEM, "out of memory");
  }
  if (map_private(addr_, mapped_) == MAP_FAILED) {
    const int e = errno;
    return fail(e, std::string("cannot replace the map's memory: ") + std::strerror(e));
  }
  std::memcpy(addr_, saved.data(), saved.size());
  kernel_mapped_ = false;
  return {};
}

ArenaMapping::ArenaMapping(ArenaMapping&& other) noexcept
    : addr_(std::exchange(other.addr_, nullptr)), len_(std::exchange(other.len_, 0)) {}

ArenaMapping& ArenaMapping::operator=(ArenaMapping&& other) noexcept {
  if (this != &other) {
    reset();
    addr_ = std::exchange(other.addr_, nullptr);
    len_ = std::exchange(other.len_, 0);
  }
  return *this;
}

void ArenaMapping::reset() noexcept {
  if (addr_ != nullptr) sys::kernel().munmap(addr_, len_);
  addr_ = nullptr;
  len_ = 0;
}

Result<ArenaMapping> ArenaMapping::map(int fd, uint64_t addr, size_t len) {
  if (len == 0) return fail(EINVAL, "an arena of 0 pages cannot be mapped");
  int flags = MAP_SHARED;
  // libbpf passes MAP_FIXED here; NOREPLACE gives the same placement but
  // fails (EEXIST) instead of silently dropping memory the process already
  // has at that address.
  if (addr != 0) flags |= MAP_FIXED_NOREPLACE;
  int err = 0;
  void* p = sys::kernel().mmap(reinterpret_cast<void*>(static_cast<uintptr_t>(addr)), len,
                               PROT_READ | PROT_WRITE, flags, fd, 0, &err);
  if (p == MAP_FAILED) {
    if (err == 0) err = EINVAL;
    return fail(err, std::string("mmap of the arena failed: ") + std::strerror(err));
  }
  ArenaMapping m;
  m.addr_ = static_cast<uint8_t*>(p);
  m.len_ = len;
  if (addr != 0 && p != reinterpret_cast<void*>(static_cast<uintptr_t>(addr))) {
    // Kernels before 4.17 ignore NOREPLACE and treat the address as a hint.
    m.reset();
    return fail(EEXIST, "the arena's address (map_extra) is not free in this process");
  }
  return m;
}

}  // namespace bpfxx::object
