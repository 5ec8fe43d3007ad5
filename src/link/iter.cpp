#include "link/iter.h"

#include "object/program.h"
#include "sys/bpf_syscall.h"

#include <cstring>

namespace bpfxx::link {

Result<LinkPtr> attach_iter(const bpf_program& prog, const union bpf_iter_link_info* info, uint32_t info_len) {
  const std::string what = "iterator '" + std::string(object::section_extras(prog.sec_name)) + "'";
  auto prog_fd = loaded_prog_fd(prog, what);
  if (!prog_fd) return prog_fd.failure();
  if ((info == nullptr) != (info_len == 0)) {
    return prog_failure(prog, EINVAL, "iterator link info and its length must be given together");
  }
  union bpf_attr attr;
  std::memset(&attr, 0, sizeof attr);
  attr.link_create.prog_fd = static_cast<uint32_t>(*prog_fd);
  attr.link_create.attach_type = BPF_TRACE_ITER;
  attr.link_create.iter_info = reinterpret_cast<uint64_t>(info);
  attr.link_create.iter_info_len = info_len;
  const int fd = sys::bpf_fd(BPF_LINK_CREATE, &attr, BPFXX_ATTR_SIZE(link_create.iter_info_len));
  if (fd < 0) return prog_failure(prog, -fd, "cannot attach to " + what + ": " + std::strerror(-fd));
  return std::make_unique<bpf_link>(fd);
}

Result<LinkPtr> auto_attach_iter(const bpf_program& prog) { return attach_iter(prog, nullptr, 0); }

}  // namespace bpfxx::link
