// The bpf_link base: fd ownership, detach by closing, destruction.
#include "link/link.h"

#include "base/log.h"
#include "sys/bpf_syscall.h"
#include "sys/kernel.h"

#include <cstring>

bpf_link::~bpf_link() {
  // A disconnected link's attachment outlives the link object: its fd
  // stays open (the kernel would end a BPF link when its last fd closes).
  if (!disconnected_) static_cast<void>(close_fd());
}

bpfxx::Result<void> bpf_link::close_fd() {
  if (fd_ < 0) return {};
  const int fd = fd_;
  fd_ = -1;
  const int rc = bpfxx::sys::kernel().close(fd);
  if (rc < 0) return bpfxx::fail(-rc, describe() + ": close");
  return {};
}

bpfxx::Result<void> bpf_link::detach() { return close_fd(); }

bpfxx::Result<void> bpf_link::update_map(const struct bpf_map&) {
  BPFXX_WARN("%s: only struct_ops links can be switched to another map\n", describe().c_str());
  return bpfxx::fail(EINVAL, describe() + ": update_map");
}

bpfxx::Result<void> bpf_link::update_program(int prog_fd, const std::string& prog_name) {
  union bpf_attr attr;
  std::memset(&attr, 0, sizeof attr);
  attr.link_update.link_fd = static_cast<__u32>(fd());
  attr.link_update.new_prog_fd = static_cast<__u32>(prog_fd);
  const int rc = static_cast<int>(bpfxx::sys::bpf(BPF_LINK_UPDATE, &attr, BPFXX_ATTR_SIZE(link_update)));
  if (rc < 0) {
    BPFXX_WARN("%s: cannot switch to prog '%s' (BPF_LINK_UPDATE): %s\n", describe().c_str(), prog_name.c_str(),
               std::strerror(-rc));
    return bpfxx::fail(-rc, describe() + ": update_program");
  }
  return {};
}

bpfxx::Result<void> bpf_link::detach_in_kernel() {
  union bpf_attr attr;
  std::memset(&attr, 0, sizeof attr);
  attr.link_detach.link_fd = static_cast<__u32>(fd());
  const int rc = static_cast<int>(bpfxx::sys::bpf(BPF_LINK_DETACH, &attr, BPFXX_ATTR_SIZE(link_detach)));
  if (rc < 0) {
    BPFXX_WARN("%s: cannot detach (BPF_LINK_DETACH): %s\n", describe().c_str(), std::strerror(-rc));
    return bpfxx::fail(-rc, describe() + ": detach");
  }
  return {};
}

bpfxx::Result<void> bpf_link::destroy() {
  if (disconnected_) return {};
  return detach();
}

std::string bpf_link::describe() const { return "link (fd " + std::to_string(fd_) + ")"; }
