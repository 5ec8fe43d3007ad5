#include "link/raw_tracepoint.h"

#include "object/program.h"
#include "sys/bpf_syscall.h"
#include "sys/features.h"

#include <cstring>

namespace bpfxx::link {

Result<LinkPtr> attach_raw_tracepoint(const bpf_program& prog, std::string_view name, uint64_t cookie) {
  const std::string tp(name);
  const std::string what = "raw tracepoint '" + tp + "'";
  auto prog_fd = loaded_prog_fd(prog, what);
  if (!prog_fd) return prog_fd.failure();
  if (tp.empty()) return prog_failure(prog, EINVAL, "cannot attach to a raw tracepoint without a name");
  if (cookie != 0 && !sys::has_feature(sys::Feature::RawTpCookie)) {
    return prog_failure(prog, EOPNOTSUPP,
                        "cannot attach to " + what + " with a BPF cookie: this kernel takes none on raw "
                        "tracepoints (6.10+)");
  }
  union bpf_attr attr;
  std::memset(&attr, 0, sizeof attr);
  attr.raw_tracepoint.name = reinterpret_cast<uint64_t>(tp.c_str());
  attr.raw_tracepoint.prog_fd = static_cast<uint32_t>(*prog_fd);
  attr.raw_tracepoint.cookie = cookie;
  // Without a cookie, the smaller attr works on kernels that predate it.
  const unsigned size = cookie != 0 ? BPFXX_ATTR_SIZE(raw_tracepoint.cookie) : BPFXX_ATTR_SIZE(raw_tracepoint.prog_fd);
  const int fd = sys::bpf_fd(BPF_RAW_TRACEPOINT_OPEN, &attr, size);
  if (fd < 0) return prog_failure(prog, -fd, "cannot attach to " + what + ": " + std::strerror(-fd));
  return std::make_unique<bpf_link>(fd);
}

Result<LinkPtr> auto_attach_raw_tracepoint(const bpf_program& prog) {
  std::string_view extras = object::section_extras(prog.sec_name);
  if (extras.empty()) return LinkPtr{};  // SEC("raw_tp"): the name comes at attach time
  return attach_raw_tracepoint(prog, extras, 0);
}

}  // namespace bpfxx::link
