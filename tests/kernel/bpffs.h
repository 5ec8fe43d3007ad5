// A private BPF filesystem for one test: a fresh temporary directory with a
// bpffs mounted on it. The destructor unmounts it (which drops every pin
// left inside) and removes the directory.
#pragma once

#include <gtest/gtest.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <string>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

namespace bpfxx::test {

class TempBpffs {
 public:
  // mount_options: the data string of mount(2), e.g. "delegate_cmds=any";
  // empty for none.
  explicit TempBpffs(const std::string& mount_options = {}) {
    char tmpl[] = "/tmp/bpfxx-bpffs-XXXXXX";
    if (::mkdtemp(tmpl) == nullptr) {
      error_ = std::string("mkdtemp failed: ") + std::strerror(errno);
      return;
    }
    dir_ = tmpl;
    const void* data = mount_options.empty() ? nullptr : mount_options.c_str();
    if (::mount("bpffs", dir_.c_str(), "bpf", 0, data) != 0) {
      error_ = "mount -t bpf on " + dir_ + " failed: " + std::strerror(errno);
      return;
    }
    mounted_ = true;
  }

  ~TempBpffs() {
    if (mounted_ && ::umount2(dir_.c_str(), MNT_DETACH) != 0) {
      ADD_FAILURE() << "expected to unmount the test bpffs at " << dir_ << ": "
                    << std::strerror(errno);
    }
    if (!dir_.empty() && ::rmdir(dir_.c_str()) != 0) {
      ADD_FAILURE() << "expected to remove the test directory " << dir_ << ": "
                    << std::strerror(errno);
    }
  }

  TempBpffs(const TempBpffs&) = delete;
  TempBpffs& operator=(const TempBpffs&) = delete;

  bool ok() const { return mounted_; }
  const std::string& error() const { return error_; }
  const std::string& dir() const { return dir_; }
  // dir()/name
  std::string path(const std::string& name) const { return dir_ + "/" + name; }

 private:
  std::string dir_;
  std::string error_;
  bool mounted_ = false;
};

// Whether path is on a bpffs (statfs magic 0xcafe4a11).
inline bool is_bpffs(const std::string& path) {
  struct statfs st{};
  return ::statfs(path.c_str(), &st) == 0 && static_cast<unsigned long>(st.f_type) == 0xcafe4a11UL;
}

}  // namespace bpfxx::test

// Mounts a TempBpffs named `var`; fails the test if that is impossible.
#define BPFXX_TEMP_BPFFS(var, ...)                                              \
  ::bpfxx::test::TempBpffs var{__VA_ARGS__};                                    \
  ASSERT_TRUE(var.ok()) << "expected a bpffs mounted in a temp dir: " << var.error()
