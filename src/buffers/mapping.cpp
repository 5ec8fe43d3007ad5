#include "buffers/mapping.h"

#include "sys/bpf_syscall.h"
#include "sys/kernel.h"

#include <cerrno>
#include <cstring>
#include <string>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <unistd.h>

namespace bpfxx::buffers {

Mapping& Mapping::operator=(Mapping&& other) noexcept {
  if (this != &other) {
    reset();
    addr_ = other.addr_;
    len_ = other.len_;
    other.addr_ = nullptr;
    other.len_ = 0;
  }
  return *this;
}

Result<Mapping> Mapping::map_shared(int fd, size_t len, int prot, off_t offset, const char* what) {
  int err = 0;
  void* p = sys::kernel().mmap(nullptr, len, prot, MAP_SHARED, fd, offset, &err);
  if (p == MAP_FAILED) {
    if (err == 0) err = EINVAL;
    return fail(err, std::string("mmap of the ") + what + " (" + std::to_string(len) + " bytes at offset " +
                         std::to_string(offset) + ") failed: " + std::strerror(err));
  }
  Mapping m;
  m.addr_ = p;
  m.len_ = len;
  return m;
}

void Mapping::reset() noexcept {
  if (addr_ != nullptr) sys::kernel().munmap(addr_, len_);
  addr_ = nullptr;
  len_ = 0;
}

size_t page_size() noexcept {
  static const size_t size = [] {
    const long v = ::sysconf(_SC_PAGESIZE);
    return v > 0 ? static_cast<size_t>(v) : size_t{4096};
  }();
  return size;
}

Result<bpf_map_info> map_info(int map_fd) {
  if (map_fd < 0) return fail(EBADF, "map fd " + std::to_string(map_fd) + " is not a valid fd");
  bpf_map_info info{};
  union bpf_attr attr {};
  attr.info.bpf_fd = static_cast<__u32>(map_fd);
  attr.info.info_len = sizeof(info);
  attr.info.info = reinterpret_cast<uintptr_t>(&info);
  const long rc = sys::bpf(BPF_OBJ_GET_INFO_BY_FD, &attr, BPFXX_ATTR_SIZE(info));
  if (rc < 0)
    return fail(static_cast<int>(-rc), "map fd " + std::to_string(map_fd) +
                                           ": BPF_OBJ_GET_INFO_BY_FD failed: " + std::strerror(static_cast<int>(-rc)));
  return info;
}

Result<UniqueFd> new_epoll() {
  const int fd = sys::kernel().epoll_create();
  if (fd < 0) return fail(-fd, std::string("epoll_create1 failed: ") + std::strerror(-fd));
  return UniqueFd(fd);
}

Result<UniqueFd> dup_map_fd(int map_fd, const char* what) {
  const int fd = sys::kernel().dup_cloexec(map_fd, 3);
  if (fd < 0)
    return fail(-fd,
                std::string("dup of ") + what + " fd " + std::to_string(map_fd) + " failed: " + std::strerror(-fd));
  return UniqueFd(fd);
}

int epoll_add(int epoll_fd, int fd, uint32_t events, uint64_t tag) noexcept {
  epoll_event ev{};
  ev.events = events;
  ev.data.u64 = tag;
  return sys::kernel().epoll_ctl(epoll_fd, EPOLL_CTL_ADD, fd, &ev);
}

int epoll_wait(int epoll_fd, struct epoll_event* events, int max_events, int timeout_ms) noexcept {
  return sys::kernel().epoll_wait(epoll_fd, events, max_events, timeout_ms);
}

}  // namespace bpfxx::buffers
