#include "link/attach.h"

#include "base/log.h"
#include "object/program.h"

#include <array>
#include <cerrno>
#include <cstring>

namespace bpfxx::link {
namespace {

constexpr size_t kKinds = static_cast<size_t>(object::AttachKind::kTracingMulti) + 1;

std::array<AutoAttachFn, kKinds>& methods() {
  static std::array<AutoAttachFn, kKinds> table{};
  return table;
}

// The built-in families register here on first use (their attach_* entry
// points live in this library, so a static registration order problem
// cannot arise).
void register_builtin_methods();

}  // namespace

// Defined by the family files.
Result<LinkPtr> auto_attach_tracepoint(const bpf_program& prog);
Result<LinkPtr> auto_attach_raw_tracepoint(const bpf_program& prog);
Result<LinkPtr> auto_attach_trace(const bpf_program& prog);
Result<LinkPtr> auto_attach_lsm(const bpf_program& prog);
Result<LinkPtr> auto_attach_iter(const bpf_program& prog);
Result<LinkPtr> auto_attach_kprobe(const bpf_program& prog);
Result<LinkPtr> auto_attach_ksyscall(const bpf_program& prog);
Result<LinkPtr> auto_attach_kprobe_multi(const bpf_program& prog);
Result<LinkPtr> auto_attach_uprobe(const bpf_program& prog);
Result<LinkPtr> auto_attach_uprobe_multi(const bpf_program& prog);
Result<LinkPtr> auto_attach_usdt(const bpf_program& prog);
Result<LinkPtr> auto_attach_tracing_multi(const bpf_program& prog);

namespace {

void register_builtin_methods() {
  static const bool done = [] {
    auto& m = methods();
    auto set = [&](object::AttachKind k, AutoAttachFn fn) {
      if (m[static_cast<size_t>(k)] == nullptr) m[static_cast<size_t>(k)] = fn;
    };
    set(object::AttachKind::kTracepoint, auto_attach_tracepoint);
    set(object::AttachKind::kRawTracepoint, auto_attach_raw_tracepoint);
    set(object::AttachKind::kTrace, auto_attach_trace);
    set(object::AttachKind::kLsm, auto_attach_lsm);
    set(object::AttachKind::kIter, auto_attach_iter);
    set(object::AttachKind::kKprobe, auto_attach_kprobe);
    set(object::AttachKind::kKsyscall, auto_attach_ksyscall);
    set(object::AttachKind::kKprobeMulti, auto_attach_kprobe_multi);
    set(object::AttachKind::kKprobeSession, auto_attach_kprobe_multi);
    set(object::AttachKind::kUprobe, auto_attach_uprobe);
    set(object::AttachKind::kUprobeMulti, auto_attach_uprobe_multi);
    set(object::AttachKind::kUprobeSession, auto_attach_uprobe_multi);
    set(object::AttachKind::kUsdt, auto_attach_usdt);
    set(object::AttachKind::kTracingMulti, auto_attach_tracing_multi);
    return true;
  }();
  static_cast<void>(done);
}

}  // namespace

Result<int> loaded_prog_fd(const bpf_program& prog, const std::string& what) {
  if (prog.fd < 0) {
    return prog_failure(prog, EINVAL, "cannot attach to " + what + ": the program is not loaded");
  }
  return prog.fd;
}

Failure prog_failure(const bpf_program& prog, int errnum, const std::string& message) {
  BPFXX_WARN("prog '%s': %s\n", prog.name.c_str(), message.c_str());
  return fail(errnum, "prog '" + prog.name + "': " + message);
}

void register_auto_attach(object::AttachKind kind, AutoAttachFn fn) noexcept {
  const auto i = static_cast<size_t>(kind);
  if (i < kKinds) methods()[i] = fn;
}

Result<LinkPtr> try_auto_attach(const bpf_program& prog) {
  const object::SectionDef* def = prog.sec_def;
  if (def == nullptr) return LinkPtr{};
  if (def->is_custom()) {
    if (def->prog_attach_fn == nullptr) return LinkPtr{};
    bpf_link* raw = nullptr;
    const int rc = def->prog_attach_fn(&prog, def->cookie, &raw);
    if (rc < 0) {
      delete raw;
      return prog_failure(prog, -rc,
                          "the custom handler of section '" + prog.sec_name + "' failed to attach it: " +
                              std::strerror(-rc));
    }
    return LinkPtr(raw);
  }
  register_builtin_methods();
  const auto i = static_cast<size_t>(def->attach);
  AutoAttachFn fn = i < kKinds ? methods()[i] : nullptr;
  if (fn == nullptr) return LinkPtr{};
  if (prog.fd < 0) return loaded_prog_fd(prog, "section '" + prog.sec_name + "'").failure();
  return fn(prog);
}

Result<LinkPtr> auto_attach(const bpf_program& prog) {
  if (prog.fd < 0) return loaded_prog_fd(prog, "the target of section '" + prog.sec_name + "'").failure();
  auto r = try_auto_attach(prog);
  if (!r) return r;
  if (*r == nullptr) {
    return prog_failure(prog, EOPNOTSUPP,
                        "section '" + prog.sec_name +
                            "' names no target bpf_program__attach() can attach to; use an explicit "
                            "bpf_program__attach_*() function");
  }
  return r;
}

}  // namespace bpfxx::link
