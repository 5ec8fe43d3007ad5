// Owners of the kernel resources a buffer holds: a shared mapping of a map
// or perf event fd, and the small pieces every buffer kind needs (the page
// size, a map's identity, the epoll set).
#pragma once

#include <bpfxx/result.hpp>
#include <bpfxx/unique_fd.hpp>

#include <bpf/uapi/linux/bpf.h>

#include <sys/epoll.h>

#include <cstddef>
#include <cstdint>

namespace bpfxx::buffers {

// One mmap(2) region, unmapped through the syscall seam when destroyed.
class Mapping {
 public:
  Mapping() noexcept = default;
  ~Mapping() { reset(); }
  Mapping(Mapping&& other) noexcept : addr_(other.addr_), len_(other.len_) {
    other.addr_ = nullptr;
    other.len_ = 0;
  }
  Mapping& operator=(Mapping&& other) noexcept;
  Mapping(const Mapping&) = delete;
  Mapping& operator=(const Mapping&) = delete;

  // Maps len bytes of fd at offset with prot, MAP_SHARED. what names the
  // mapping in the error message.
  static Result<Mapping> map_shared(int fd, size_t len, int prot, off_t offset, const char* what);

  void* get() const noexcept { return addr_; }
  size_t size() const noexcept { return len_; }
  void reset() noexcept;

 private:
  void* addr_ = nullptr;
  size_t len_ = 0;
};

// The system page size, read once.
size_t page_size() noexcept;

// BPF_OBJ_GET_INFO_BY_FD of a map fd.
Result<bpf_map_info> map_info(int map_fd);

// An epoll instance (close-on-exec).
Result<UniqueFd> new_epoll();

// A close-on-exec duplicate of map_fd; what names the map kind in the
// error message.
Result<UniqueFd> dup_map_fd(int map_fd, const char* what);

// epoll_wait through the syscall seam: the number of ready events, or
// -errno.
int epoll_wait(int epoll_fd, struct epoll_event* events, int max_events, int timeout_ms) noexcept;

// Adds fd to the epoll set with events, tagging it with tag. Returns 0 or
// -errno.
int epoll_add(int epoll_fd, int fd, uint32_t events, uint64_t tag) noexcept;

}  // namespace bpfxx::buffers
