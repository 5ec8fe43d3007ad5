#include "link/tracing_multi.h"

#include "link/kprobe.h"
#include "object/program.h"
#include "object/section_table.h"
#include "sys/bpf_syscall.h"

#include <bpf/btf.h>

#include <cstring>
#include <memory>
#include <vector>

namespace bpfxx::link {
namespace {

bool is_multi_type(uint32_t t) {
  return t == BPF_TRACE_FENTRY_MULTI || t == BPF_TRACE_FEXIT_MULTI || t == BPF_TRACE_FSESSION_MULTI;
}

struct BtfFree {
  void operator()(::btf* b) const noexcept { btf__free(b); }
};

}  // namespace

Result<std::vector<__u32>> tracing_multi_ids(std::string_view pattern_view) {
  const std::string pattern(pattern_view);
  std::unique_ptr<::btf, BtfFree> vmlinux(btf__load_vmlinux_btf());
  if (!vmlinux) return fail(errno != 0 ? errno : ENOENT, "cannot load the kernel's BTF to match '" + pattern + "'");
  std::vector<__u32> ids;
  const uint32_t n = btf__type_cnt(vmlinux.get());
  for (uint32_t id = 1; id < n; id++) {
    const btf_type* t = btf__type_by_id(vmlinux.get(), id);
    if (t == nullptr || !btf_is_func(t)) continue;
    const char* name = btf__name_by_offset(vmlinux.get(), t->name_off);
    if (name != nullptr && glob_match(pattern, name)) ids.push_back(id);
  }
  return ids;
}

Result<LinkPtr> attach_tracing_multi(const bpf_program& prog, const TracingMultiOptions& opts) {
  const std::string what =
      "tracing multi link on " + (opts.pattern != nullptr ? "'" + std::string(opts.pattern) + "'"
                                                          : std::to_string(opts.cnt) + " BTF ids");
  auto prog_fd = loaded_prog_fd(prog, what);
  if (!prog_fd) return prog_fd.failure();
  if (opts.pattern != nullptr ? (opts.ids != nullptr || opts.cookies != nullptr || opts.cnt != 0)
                              : (opts.ids == nullptr || opts.cnt == 0)) {
    return prog_failure(prog, EINVAL,
                        "cannot attach " + what + ": give either a pattern, or ids (with optional cookies) and cnt");
  }
  if (prog.type != BPF_PROG_TYPE_TRACING || !is_multi_type(prog.expected_attach_type)) {
    return prog_failure(prog, EINVAL,
                        "cannot attach " + what + ": the program is not a fentry.multi, fexit.multi or "
                        "fsession.multi program");
  }
  std::vector<__u32> found;
  const __u32* ids = opts.ids;
  size_t cnt = opts.cnt;
  if (opts.pattern != nullptr) {
    const std::string pattern(opts.pattern);
    if (pattern.empty()) return prog_failure(prog, EINVAL, "cannot attach " + what + ": empty pattern");
    if (pattern.find(':') != std::string::npos) {
      return prog_failure(prog, EOPNOTSUPP, "cannot attach " + what + ": module functions are not supported");
    }
    auto m = tracing_multi_ids(pattern);
    if (!m) return prog_failure(prog, m.error(), "cannot attach " + what + ": " + m.message());
    if (m->empty()) return prog_failure(prog, ENOENT, "cannot attach " + what + ": no kernel function matches");
    found = std::move(*m);
    ids = found.data();
    cnt = found.size();
  }
  if (cnt > UINT32_MAX) return prog_failure(prog, E2BIG, "cannot attach " + what + ": too many functions");
  union bpf_attr attr;
  std::memset(&attr, 0, sizeof attr);
  attr.link_create.prog_fd = static_cast<uint32_t>(*prog_fd);
  attr.link_create.attach_type = prog.expected_attach_type;
  attr.link_create.tracing_multi.ids = reinterpret_cast<uint64_t>(ids);
  attr.link_create.tracing_multi.cookies = reinterpret_cast<uint64_t>(opts.cookies);
  attr.link_create.tracing_multi.cnt = static_cast<uint32_t>(cnt);
  const int fd = sys::bpf_fd(BPF_LINK_CREATE, &attr, BPFXX_ATTR_SIZE(link_create.tracing_multi));
  if (fd < 0) {
    std::string why = std::strerror(-fd);
    if (fd == -EINVAL || fd == -EOPNOTSUPP) why += " (this kernel may lack tracing multi links)";
    return prog_failure(prog, -fd, "cannot attach " + what + ": BPF_LINK_CREATE: " + why);
  }
  return std::make_unique<bpf_link>(fd);
}

Result<LinkPtr> auto_attach_tracing_multi(const bpf_program& prog) {
  const std::string_view extras = object::section_extras(prog.sec_name);
  if (extras.empty()) return LinkPtr{};
  const std::string pattern(extras);
  TracingMultiOptions o;
  o.pattern = pattern.c_str();
  return attach_tracing_multi(prog, o);
}

}  // namespace bpfxx::link
