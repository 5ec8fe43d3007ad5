// The object's BPF token: created at prepare from a BPF file system mounted
// with delegation, so an unprivileged container can load what the mount
// allows. A path given in the options (or LIBBPF_BPF_TOKEN_PATH) must work;
// the default /sys/fs/bpf is tried quietly and simply skipped without
// delegation. An empty path turns tokens off.
#include "base/log.h"
#include "object/load.h"
#include "sys/kernel.h"

#include <bpf/bpf.h>

#include <fcntl.h>

#include <cstring>

namespace bpfxx::object {

Result<void> prepare_token(bpf_object& obj) {
  // A path from the options or LIBBPF_BPF_TOKEN_PATH (taken at open) must
  // work; without one the default bpffs is tried quietly.
  std::string path;
  const bool mandatory = obj.opts.has_token_path;
  if (mandatory) path = obj.opts.bpf_token_path;
  if (mandatory && path.empty()) {
    BPFXX_DEBUG("object '%s': BPF token disabled by an empty token path\n", obj.name.c_str());
    return {};
  }
  if (!mandatory) path = "/sys/fs/bpf";
  sys::Kernel& k = sys::kernel();
  const int dir = k.open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir < 0) {
    if (!mandatory) return {};
    BPFXX_WARN("object '%s': cannot open the BPF file system at '%s' for a token: %s\n", obj.name.c_str(),
               path.c_str(), std::strerror(-dir));
    return fail(-dir, obj.name + ": token path " + path);
  }
  const int token = bpf_token_create(dir, nullptr);
  k.close(dir);
  if (token < 0) {
    if (!mandatory) {
      BPFXX_DEBUG("object '%s': no BPF token from '%s' (%d); loading without one\n", obj.name.c_str(),
                  path.c_str(), token);
      return {};
    }
    BPFXX_WARN("object '%s': creating a BPF token from '%s' failed: %s\n", obj.name.c_str(), path.c_str(),
               std::strerror(-token));
    return fail(-token, obj.name + ": token from " + path);
  }
  obj.token_fd = token;
  return {};
}

}  // namespace bpfxx::object
