// cgroup v2 helpers for the kernel tests: a directory under the cgroup2
// mount that the test creates and removes, and a scoped move of this
// process into it.
#pragma once

#include <gtest/gtest.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <string>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

namespace bpfxx::test {

inline constexpr const char* kCgroup2Root = "/sys/fs/cgroup/unified";

// A fresh, empty cgroup v2 directory, open as an O_DIRECTORY fd (the target
// of cgroup attach calls). Removed, with its fd closed, on destruction.
class TempCgroup {
 public:
  TempCgroup() {
    static std::atomic<int> counter{0};
    struct statfs st{};
    if (::statfs(kCgroup2Root, &st) != 0 || static_cast<unsigned long>(st.f_type) != 0x63677270UL) {
      error_ = std::string("no cgroup2 mount at ") + kCgroup2Root;
      return;
    }
    path_ = std::string(kCgroup2Root) + "/bpfxx-test-" + std::to_string(::getpid()) + "-" +
            std::to_string(counter++);
    if (::mkdir(path_.c_str(), 0755) != 0) {
      error_ = "mkdir " + path_ + " failed: " + std::strerror(errno);
      path_.clear();
      return;
    }
    fd_ = ::open(path_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd_ < 0) error_ = "open " + path_ + " failed: " + std::strerror(errno);
  }

  ~TempCgroup() {
    if (fd_ >= 0) ::close(fd_);
    if (!path_.empty() && ::rmdir(path_.c_str()) != 0) {
      ADD_FAILURE() << "expected to remove the test cgroup " << path_ << ": " << std::strerror(errno);
    }
  }

  TempCgroup(const TempCgroup&) = delete;
  TempCgroup& operator=(const TempCgroup&) = delete;

  bool ok() const { return fd_ >= 0; }
  const std::string& error() const { return error_; }
  int fd() const { return fd_; }
  const std::string& path() const { return path_; }

  // The cgroup id the kernel reports (the directory's inode number).
  unsigned long long id() const {
    struct stat st{};
    return ::fstat(fd_, &st) == 0 ? static_cast<unsigned long long>(st.st_ino) : 0;
  }

 private:
  std::string path_;
  std::string error_;
  int fd_ = -1;
};

// This process's cgroup v2 path relative to the cgroup2 root ("0::/x").
inline std::string current_cgroup2_path() {
  std::ifstream in("/proc/self/cgroup");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("0::", 0) == 0) return line.substr(3);
  }
  return "/";
}

inline bool write_pid_to(const std::string& cgroup_dir) {
  int fd = ::open((cgroup_dir + "/cgroup.procs").c_str(), O_WRONLY | O_CLOEXEC);
  if (fd < 0) return false;
  std::string pid = std::to_string(::getpid());
  bool ok = ::write(fd, pid.data(), pid.size()) == static_cast<ssize_t>(pid.size());
  ::close(fd);
  return ok;
}

// Moves the whole process into a cgroup for the scope's duration, then back
// to where it was (so the cgroup can be removed).
class ScopedCgroupMove {
 public:
  explicit ScopedCgroupMove(const TempCgroup& cg) : original_(current_cgroup2_path()) {
    moved_ = write_pid_to(cg.path());
    if (!moved_) error_ = "could not move pid into " + cg.path() + ": " + std::strerror(errno);
  }
  ~ScopedCgroupMove() {
    if (moved_ && !write_pid_to(std::string(kCgroup2Root) + original_)) {
      ADD_FAILURE() << "expected to move the test process back to cgroup " << original_ << ": "
                    << std::strerror(errno);
    }
  }
  ScopedCgroupMove(const ScopedCgroupMove&) = delete;
  ScopedCgroupMove& operator=(const ScopedCgroupMove&) = delete;

  bool ok() const { return moved_; }
  const std::string& error() const { return error_; }

 private:
  std::string original_;
  std::string error_;
  bool moved_ = false;
};

}  // namespace bpfxx::test

#define BPFXX_TEMP_CGROUP(var)      \
  ::bpfxx::test::TempCgroup var;    \
  ASSERT_TRUE(var.ok()) << "expected a test cgroup v2 directory: " << var.error()

// This process in cgroup cg until the end of the scope.
#define BPFXX_MOVE_INTO_CGROUP(var, cg)     \
  ::bpfxx::test::ScopedCgroupMove var(cg);  \
  ASSERT_TRUE(var.ok()) << var.error()
