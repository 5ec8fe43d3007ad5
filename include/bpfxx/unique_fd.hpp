// bpfxx::UniqueFd: sole owner of a file descriptor.
//
// Closes the descriptor when destroyed; movable, not copyable. Every fd the
// library and the C++ API hand around lives in one of these, so no error
// path can leak one.
#pragma once

#include <bpfxx/result.hpp>

#include <cerrno>
#include <fcntl.h>
#include <unistd.h>

namespace bpfxx {

class UniqueFd {
 public:
  UniqueFd() noexcept = default;
  explicit UniqueFd(int fd) noexcept : fd_(fd) {}
  ~UniqueFd() { reset(); }

  UniqueFd(UniqueFd&& other) noexcept : fd_(other.release()) {}
  UniqueFd& operator=(UniqueFd&& other) noexcept {
    if (this != &other) reset(other.release());
    return *this;
  }
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;

  int get() const noexcept { return fd_; }
  bool valid() const noexcept { return fd_ >= 0; }
  explicit operator bool() const noexcept { return valid(); }

  // Gives up ownership without closing.
  [[nodiscard]] int release() noexcept {
    int fd = fd_;
    fd_ = -1;
    return fd;
  }

  // Closes the held descriptor (if any) and takes fd.
  void reset(int fd = -1) noexcept {
    if (fd_ >= 0) ::close(fd_);
    fd_ = fd;
  }

  // A second, independent descriptor for the same object (close-on-exec).
  Result<UniqueFd> dup() const {
    int fd = ::fcntl(fd_, F_DUPFD_CLOEXEC, 3);
    if (fd < 0) return fail(errno, "dup of fd " + std::to_string(fd_) + " failed");
    return UniqueFd(fd);
  }

 private:
  int fd_ = -1;
};

}  // namespace bpfxx
