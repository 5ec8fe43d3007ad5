// The bytes of a global data map (.data, .rodata, .bss ...), at an address
// that stays put.
//
// Skeletons and users take bpf_map__initial_value() before load and keep
// the pointer: libbpf 1.8 makes that same address the live map memory after
// load. So the bytes live in their own page-rounded anonymous mapping, which
// load replaces in place by a shared mapping of the map's fd (MAP_FIXED),
// and release turns back into private memory holding the last contents.
#pragma once

#include <bpfxx/result.hpp>

#include <cstddef>
#include <cstdint>

namespace bpfxx::object {

class MapData {
 public:
  MapData() noexcept = default;
  ~MapData();
  MapData(MapData&& other) noexcept;
  MapData& operator=(MapData&& other) noexcept;
  MapData(const MapData&) = delete;
  MapData& operator=(const MapData&) = delete;

  // A zero-filled region holding size bytes (size > 0).
  static Result<MapData> allocate(size_t size);

  uint8_t* data() const noexcept { return addr_; }
  // The value's size in bytes (the map's value_size).
  size_t size() const noexcept { return size_; }
  bool empty() const noexcept { return addr_ == nullptr; }
  // Bytes mapped: size rounded up to whole pages.
  size_t mapped_size() const noexcept { return mapped_; }
  // Whether the region currently is the kernel map's memory.
  bool kernel_mapped() const noexcept { return kernel_mapped_; }

  // Changes the value size, keeping the bytes that remain and zero-filling
  // growth. The address stays when the page count does not change; else
  // the bytes move to a new region (as in libbpf). Refused while mapped.
  Result<void> resize(size_t new_size);

  // Replaces the region, at the same address, by a shared mapping of the
  // map behind fd (read-only for a frozen map). The map must already hold
  // the bytes: from now on the region shows the map's memory. On failure
  // the region is private memory with the same bytes again.
  Result<void> map_kernel(int fd, bool read_only);

  // Turns a kernel mapping back into private, writable memory at the same
  // address holding the map's last contents (the mapping no longer keeps
  // the map alive). A no-op for private memory.
  Result<void> make_private();

 private:
  void reset() noexcept;

  uint8_t* addr_ = nullptr;
  size_t size_ = 0;
  size_t mapped_ = 0;
  bool kernel_mapped_ = false;
};

// The user-space mapping of a whole arena map (arena.h): shared, writable,
// and unmapped when destroyed or reset.
class ArenaMapping {
 public:
  ArenaMapping() noexcept = default;
  ~ArenaMapping() { reset(); }
  ArenaMapping(ArenaMapping&& other) noexcept;
  ArenaMapping& operator=(ArenaMapping&& other) noexcept;
  ArenaMapping(const ArenaMapping&) = delete;
  ArenaMapping& operator=(const ArenaMapping&) = delete;

  // Maps len bytes of the arena behind fd: at addr when it is not 0
  // (refusing to replace anything mapped there), else where the kernel
  // chooses.
  static Result<ArenaMapping> map(int fd, uint64_t addr, size_t len);

  uint8_t* data() const noexcept { return addr_; }
  size_t size() const noexcept { return len_; }
  bool empty() const noexcept { return addr_ == nullptr; }
  void reset() noexcept;

 private:
  uint8_t* addr_ = nullptr;
  size_t len_ = 0;
};

// The system page size.
size_t page_size() noexcept;

}  // namespace bpfxx::object
