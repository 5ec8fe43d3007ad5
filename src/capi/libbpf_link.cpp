// The C API of struct bpf_link: fds, pins, reopening a pinned link,
// updating, detaching and destroying (src/link/link.h).
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "base/log.h"
#include "capi/errors.h"
#include "link/link.h"
#include "object/object.h"
#include "object/pin.h"

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>

#include <unistd.h>

using bpfxx::capi::err;
using bpfxx::capi::err_ptr;
using bpfxx::capi::guard;
using bpfxx::capi::guard_ptr;

namespace {

// libbpf's legacy mode returned error codes as pointers (-4095..-1): such
// a "link" is tolerated wherever NULL is.
bool is_err_or_null(const void* p) {
  return p == nullptr || reinterpret_cast<uintptr_t>(p) >= static_cast<uintptr_t>(-4095);
}

// What /proc says an fd is ("anon_inode:bpf-link"); "" if unknown.
std::string fd_kind(int fd) {
  char buf[64];
  const std::string proc = "/proc/self/fd/" + std::to_string(fd);
  const ssize_t n = readlink(proc.c_str(), buf, sizeof buf - 1);
  return n > 0 ? std::string(buf, static_cast<size_t>(n)) : std::string();
}

int from(const bpfxx::Result<void>& r) { return r ? 0 : err(-r.error()); }

}  // namespace

extern "C" {

int bpf_link__fd(const struct bpf_link* link) {
  if (is_err_or_null(link)) return err(-EINVAL);
  return link->fd();
}

const char* bpf_link__pin_path(const struct bpf_link* link) {
  if (is_err_or_null(link) || link->pin_path().empty()) return nullptr;
  return link->pin_path().c_str();
}

int bpf_link__pin(struct bpf_link* link, const char* path) {
  return guard([&]() -> int {
    if (is_err_or_null(link) || path == nullptr) return err(-EINVAL);
    if (!link->pin_path().empty()) {
      BPFXX_WARN("%s: already pinned at '%s'\n", link->describe().c_str(), link->pin_path().c_str());
      return err(-EBUSY);
    }
    if (link->fd() < 0) {
      BPFXX_WARN("%s: has no fd to pin\n", link->describe().c_str());
      return err(-EINVAL);
    }
    if (auto r = bpfxx::object::pin_fd(link->fd(), path, link->describe()); !r) return err(-r.error());
    link->set_pin_path(path);
    BPFXX_DEBUG("%s: pinned at '%s'\n", link->describe().c_str(), path);
    return 0;
  });
}

int bpf_link__unpin(struct bpf_link* link) {
  return guard([&]() -> int {
    if (is_err_or_null(link) || link->pin_path().empty()) return err(-EINVAL);
    if (auto r = bpfxx::object::unpin_path(link->pin_path()); !r) {
      BPFXX_WARN("%s: removing the pin '%s' failed: %s\n", link->describe().c_str(), link->pin_path().c_str(),
                 r.message().c_str());
      return err(-r.error());
    }
    link->set_pin_path({});
    return 0;
  });
}

struct bpf_link* bpf_link__open(const char* path) {
  return guard_ptr<bpf_link>([&]() -> bpf_link* {
    if (path == nullptr) return err_ptr<bpf_link>(-EINVAL);
    const int fd = bpf_obj_get(path);
    if (fd < 0) {
      const int e = errno;
      BPFXX_WARN("link: cannot open the pin '%s': %s\n", path, std::strerror(e));
      return err_ptr<bpf_link>(-e);
    }
    struct bpf_link_info info;
    std::memset(&info, 0, sizeof info);
    __u32 len = sizeof info;
    auto link = std::make_unique<bpf_link>(fd);  // closes fd on any exit below
    if (bpf_link_get_info_by_fd(fd, &info, &len) < 0) {
      const int e = errno;
      BPFXX_WARN("link: '%s' is not a BPF link: %s\n", path, std::strerror(e));
      return err_ptr<bpf_link>(-e);
    }
    // Maps and programs answer the info query too: the fd's inode says
    // what the pin really holds.
    if (const std::string kind = fd_kind(fd); !kind.empty() && kind != "anon_inode:bpf-link") {
      BPFXX_WARN("link: '%s' holds %s, not a BPF link\n", path, kind.c_str());
      return err_ptr<bpf_link>(-EINVAL);
    }
    link->set_pin_path(path);
    return link.release();
  });
}

int bpf_link__update_program(struct bpf_link* link, struct bpf_program* prog) {
  if (is_err_or_null(link) || prog == nullptr) return err(-EINVAL);
  if (prog->fd < 0) {
    BPFXX_WARN("prog '%s': not loaded, so %s cannot be switched to it\n", prog->name.c_str(),
               link->describe().c_str());
    return err(-EINVAL);
  }
  return guard([&]() -> int { return from(link->update_program(prog->fd, prog->name)); });
}

int bpf_link__update_map(struct bpf_link* link, const struct bpf_map* map) {
  return guard([&]() -> int {
    if (is_err_or_null(link) || map == nullptr) return err(-EINVAL);
    return from(link->update_map(*map));
  });
}

int bpf_link__detach(struct bpf_link* link) {
  if (is_err_or_null(link)) return err(-EINVAL);
  return guard([&]() -> int { return from(link->detach_in_kernel()); });
}

void bpf_link__disconnect(struct bpf_link* link) {
  if (!is_err_or_null(link)) link->disconnect();
}

int bpf_link__destroy(struct bpf_link* link) {
  if (is_err_or_null(link)) return 0;
  int rc = 0;
  try {
    rc = from(link->destroy());
  } catch (...) {
    rc = err(-ENOMEM);
  }
  const int saved = errno;
  delete link;
  errno = saved;
  return rc;
}

}  // extern "C"
