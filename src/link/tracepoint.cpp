#include "link/tracepoint.h"

#include "object/program.h"
#include "sys/kernel.h"
#include "sys/tracefs.h"

#include <linux/perf_event.h>

#include <cstring>

namespace bpfxx::link {

Result<int> open_tracepoint_event(std::string_view category, std::string_view name) {
  auto id = sys::tracepoint_id(category, name);
  if (!id) return id.failure();
  struct perf_event_attr attr;
  std::memset(&attr, 0, sizeof attr);
  attr.type = PERF_TYPE_TRACEPOINT;
  attr.size = sizeof attr;
  attr.config = static_cast<uint64_t>(*id);
  const int fd = sys::kernel().perf_event_open(&attr, -1, 0, -1, PERF_FLAG_FD_CLOEXEC);
  if (fd < 0) return fail(-fd, std::string("perf_event_open of the tracepoint: ") + std::strerror(-fd));
  return fd;
}

Result<LinkPtr> attach_tracepoint(const bpf_program& prog, std::string_view category, std::string_view name,
                                  uint64_t cookie) {
  const std::string what = "tracepoint '" + std::string(category) + ":" + std::string(name) + "'";
  auto prog_fd = loaded_prog_fd(prog, what);
  if (!prog_fd) return prog_fd.failure();
  if (category.empty() || name.empty()) return prog_failure(prog, EINVAL, "cannot attach to " + what + ": empty name");
  auto pfd = open_tracepoint_event(category, name);
  if (!pfd) return prog_failure(prog, pfd.error(), "cannot attach to " + what + ": " + pfd.message());
  auto link = attach_owned_perf_event(prog, *pfd, PerfAttachOptions{cookie, false});
  if (!link) return link.failure();
  (*link)->set_what(what);
  return LinkPtr(std::move(*link).release());
}

Result<LinkPtr> auto_attach_tracepoint(const bpf_program& prog) {
  // tp/<category>/<name>: anything short of both names has no target.
  std::string_view extras = object::section_extras(prog.sec_name);
  const size_t slash = extras.find('/');
  if (extras.empty() || slash == std::string_view::npos || slash == 0 || slash + 1 == extras.size()) {
    if (extras.empty()) return LinkPtr{};
    return prog_failure(prog, EINVAL,
                        "section '" + prog.sec_name + "' is not of the form tp/<category>/<name>");
  }
  return attach_tracepoint(prog, extras.substr(0, slash), extras.substr(slash + 1), 0);
}

}  // namespace bpfxx::link
