#include "link/uprobe.h"

#include "base/log.h"
#include "elf/func_offset.h"
#include "link/tracepoint.h"
#include "object/program.h"
#include "sys/bpf_syscall.h"
#include "sys/features.h"
#include "sys/files.h"
#include "sys/kernel.h"
#include "sys/mapped_file.h"
#include "sys/tracefs.h"

#include <fcntl.h>
#include <linux/perf_event.h>

#include <cstdlib>
#include <cstring>
#include <span>

namespace bpfxx::link {
namespace {

// The uprobe PMU's config bits 32..63 carry the reference counter offset.
constexpr int kRefCtrShift = 32;

bool file_exists(const std::string& path) {
  const int fd = sys::kernel().open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  sys::kernel().close(fd);
  return true;
}

std::vector<std::string> split_paths(const char* list) {
  std::vector<std::string> out;
  if (list == nullptr) return out;
  std::string_view rest(list);
  while (!rest.empty()) {
    const size_t colon = rest.find(':');
    std::string_view dir = rest.substr(0, colon);
    if (!dir.empty()) out.emplace_back(dir);
    if (colon == std::string_view::npos) break;
    rest.remove_prefix(colon + 1);
  }
  return out;
}

// The offset of `func` in the file at path.
Result<uint64_t> resolve_func(const std::string& path, const std::string& func) {
  // Mapped, not read: only the symbol tables and a few headers are touched.
  auto file = sys::MappedFile::open(path.c_str());
  if (!file) return file.failure();
  auto elf = elf::Reader::open(file->bytes(), path);
  if (!elf) return elf.failure();
  return elf::func_file_offset(*elf, func);
}

std::string describe_uprobe(const std::string& path, const char* func, uint64_t off, bool ret) {
  std::string s = ret ? "uretprobe '" : "uprobe '";
  s += path + ":";
  if (func != nullptr) {
    s += func;
    if (off != 0) s += "+" + std::to_string(off);
  } else {
    char buf[32];
    std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(off));
    s += buf;
  }
  return s + "'";
}

}  // namespace

Result<std::string> resolve_binary_path(std::string_view name) {
  if (name.empty()) return fail(EINVAL, "empty binary path");
  const std::string n(name);
  if (n.find('/') != std::string::npos) return n;
  if (n.find(".so") != std::string::npos) {
    for (const auto& dir : split_paths(std::getenv("LD_LIBRARY_PATH"))) {
      if (file_exists(dir + "/" + n)) return dir + "/" + n;
    }
    if (auto cache = sys::read_file("/etc/ld.so.cache", 64u << 20); cache) {
      auto hit = elf::ld_so_cache_lookup(
          std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(cache->data()), cache->size()), n);
      if (hit && file_exists(*hit)) return *hit;
    }
    for (const char* dir : {"/lib64", "/usr/lib64", "/lib", "/usr/lib",
#if defined(__x86_64__)
                            "/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu"
#elif defined(__aarch64__)
                            "/lib/aarch64-linux-gnu", "/usr/lib/aarch64-linux-gnu"
#endif
         }) {
      if (file_exists(std::string(dir) + "/" + n)) return std::string(dir) + "/" + n;
    }
    return fail(ENOENT, "library '" + n + "' not found (LD_LIBRARY_PATH, /etc/ld.so.cache, default directories)");
  }
  for (const auto& dir : split_paths(std::getenv("PATH"))) {
    if (file_exists(dir + "/" + n)) return dir + "/" + n;
  }
  return fail(ENOENT, "program '" + n + "' not found on PATH");
}

Result<LinkPtr> attach_uprobe(const bpf_program& prog, pid_t pid, const char* binary_path, uint64_t func_offset,
                              const UprobeOptions& opts) {
  const std::string given = binary_path != nullptr ? binary_path : "";
  std::string what = describe_uprobe(given, opts.func_name, func_offset, opts.retprobe);
  auto prog_fd = loaded_prog_fd(prog, what);
  if (!prog_fd) return prog_fd.failure();
  auto path = resolve_binary_path(given);
  if (!path) return prog_failure(prog, path.error(), "cannot attach " + what + ": " + path.message());
  uint64_t offset = func_offset;
  if (opts.func_name != nullptr && opts.func_name[0] != '\0') {
    auto base = resolve_func(*path, opts.func_name);
    if (!base) return prog_failure(prog, base.error(), "cannot attach " + what + ": " + base.message());
    offset += *base;
  }
  what = describe_uprobe(*path, opts.func_name, func_offset, opts.retprobe);

  auto type = sys::pmu_type("uprobe");
  const bool have_legacy = !type && sys::tracefs_has("uprobe_events");
  bool legacy = opts.mode == ProbeMode::kLegacy || (opts.mode == ProbeMode::kDefault && !type);
  if (!legacy && !type) {
    return prog_failure(prog, EOPNOTSUPP, "cannot attach " + what + ": this kernel has no uprobe PMU");
  }
  if (legacy && opts.mode == ProbeMode::kDefault && !have_legacy) {
    return prog_failure(prog, EOPNOTSUPP,
                        "cannot attach " + what + ": this kernel has no uprobes (no uprobe PMU, no uprobe_events)");
  }
  if (opts.mode == ProbeMode::kLink && !sys::has_feature(sys::Feature::PerfLink)) {
    return prog_failure(prog, EOPNOTSUPP, "cannot attach " + what + ": no BPF links for perf events here");
  }
  const PerfAttachOptions popts{opts.cookie, opts.mode == ProbeMode::kPerf || opts.mode == ProbeMode::kLegacy};

  if (!legacy) {
    struct perf_event_attr attr;
    std::memset(&attr, 0, sizeof attr);
    attr.size = sizeof attr;
    attr.type = static_cast<uint32_t>(*type);
    if (opts.retprobe) {
      auto bit = sys::pmu_retprobe_bit("uprobe");
      if (!bit) return prog_failure(prog, bit.error(), "cannot attach " + what + ": " + bit.message());
      attr.config |= 1ull << *bit;
    }
    attr.config |= opts.ref_ctr_offset << kRefCtrShift;
    attr.config1 = reinterpret_cast<uint64_t>(path->c_str());  // uprobe_path
    attr.config2 = offset;                                      // probe_offset
    const int pfd = sys::kernel().perf_event_open(&attr, pid < 0 ? -1 : pid, pid == -1 ? 0 : -1, -1,
                                                  PERF_FLAG_FD_CLOEXEC);
    if (pfd < 0) {
      return prog_failure(prog, -pfd, "cannot attach " + what + ": perf_event_open: " + std::strerror(-pfd));
    }
    auto link = attach_owned_perf_event(prog, pfd, popts);
    if (!link) return link.failure();
    (*link)->set_what(what);
    return LinkPtr(link->release());
  }

  if (opts.ref_ctr_offset != 0) {
    return prog_failure(prog, EOPNOTSUPP, "cannot attach " + what + ": legacy uprobes take no reference counter");
  }
  const std::string name = legacy_probe_name("bpfxx", std::string(std::string_view(*path).substr(path->rfind('/') + 1)));
  char off_text[32];
  std::snprintf(off_text, sizeof off_text, "0x%llx", static_cast<unsigned long long>(offset));
  const std::string cmd = std::string(opts.retprobe ? "r" : "p") + ":uprobes/" + name + " " + *path + ":" + off_text;
  if (auto r = sys::tracefs_append("uprobe_events", cmd); !r) {
    return prog_failure(prog, r.error(), "cannot attach legacy " + what + ": " + r.message());
  }
  const std::string event = "uprobes/" + name;
  auto remove = [event] {
    if (auto r = sys::tracefs_append("uprobe_events", "-:" + event); !r) {
      BPFXX_WARN("removing the legacy uprobe %s failed: %s\n", event.c_str(), r.message().c_str());
    }
  };
  auto pfd = open_tracepoint_event("uprobes", name);
  if (!pfd) {
    remove();
    return prog_failure(prog, pfd.error(), "cannot attach legacy " + what + ": " + pfd.message());
  }
  auto link = attach_perf_event(prog, *pfd, popts);
  if (!link) {
    sys::kernel().close(*pfd);
    remove();
    return link.failure();
  }
  (*link)->set_what("legacy " + what);
  (*link)->set_cleanup(remove);
  return LinkPtr(link->release());
}

Result<LinkPtr> attach_uprobe_multi(const bpf_program& prog, pid_t pid, const char* binary_path,
                                    const char* func_pattern, const UprobeMultiOptions& opts) {
  const std::string given = binary_path != nullptr ? binary_path : "";
  const std::string what = std::string(opts.retprobe ? "uretprobe.multi '" : "uprobe.multi '") + given + ":" +
                           (func_pattern != nullptr ? func_pattern : "") + "'";
  auto prog_fd = loaded_prog_fd(prog, what);
  if (!prog_fd) return prog_fd.failure();
  const bool listed = opts.syms != nullptr || opts.offsets != nullptr;
  if (func_pattern != nullptr ? (listed || opts.cnt != 0 || opts.cookies != nullptr || opts.ref_ctr_offsets != nullptr)
                              : (!listed || opts.cnt == 0 || (opts.syms != nullptr && opts.offsets != nullptr))) {
    return prog_failure(prog, EINVAL,
                        "cannot attach " + what + ": give either a pattern, or cnt with exactly one of syms "
                        "and offsets");
  }
  if (opts.session && opts.retprobe) {
    return prog_failure(prog, EINVAL, "cannot attach " + what + ": a session probe is not a return probe");
  }
  auto path = resolve_binary_path(given);
  if (!path) return prog_failure(prog, path.error(), "cannot attach " + what + ": " + path.message());
  std::vector<unsigned long> offsets;
  const unsigned long* offs = opts.offsets;
  size_t cnt = opts.cnt;
  if (func_pattern != nullptr || opts.syms != nullptr) {
    auto file = sys::MappedFile::open(path->c_str());
    if (!file) return prog_failure(prog, file.error(), "cannot attach " + what + ": " + file.message());
    auto elf = elf::Reader::open(file->bytes(), *path);
    if (!elf) return prog_failure(prog, elf.error(), "cannot attach " + what + ": " + elf.message());
    if (func_pattern != nullptr) {
      auto found = elf::func_file_offsets_matching(*elf, func_pattern);
      if (!found) return prog_failure(prog, found.error(), "cannot attach " + what + ": " + found.message());
      if (found->empty()) return prog_failure(prog, ENOENT, "cannot attach " + what + ": no function matches");
      for (const auto& f : *found) offsets.push_back(static_cast<unsigned long>(f.offset));
    } else {
      for (size_t i = 0; i < opts.cnt; i++) {
        auto off = elf::func_file_offset(*elf, opts.syms[i] != nullptr ? opts.syms[i] : "");
        if (!off) return prog_failure(prog, off.error(), "cannot attach " + what + ": " + off.message());
        offsets.push_back(static_cast<unsigned long>(*off));
      }
    }
    offs = offsets.data();
    cnt = offsets.size();
  }
  if (cnt > UINT32_MAX) return prog_failure(prog, E2BIG, "cannot attach " + what + ": too many probes");
  union bpf_attr attr;
  std::memset(&attr, 0, sizeof attr);
  attr.link_create.prog_fd = static_cast<uint32_t>(*prog_fd);
  attr.link_create.attach_type = opts.session ? BPF_TRACE_UPROBE_SESSION : BPF_TRACE_UPROBE_MULTI;
  attr.link_create.uprobe_multi.path = reinterpret_cast<uint64_t>(path->c_str());
  attr.link_create.uprobe_multi.offsets = reinterpret_cast<uint64_t>(offs);
  attr.link_create.uprobe_multi.ref_ctr_offsets = reinterpret_cast<uint64_t>(opts.ref_ctr_offsets);
  attr.link_create.uprobe_multi.cookies = reinterpret_cast<uint64_t>(opts.cookies);
  attr.link_create.uprobe_multi.cnt = static_cast<uint32_t>(cnt);
  attr.link_create.uprobe_multi.flags = opts.retprobe ? BPF_F_UPROBE_MULTI_RETURN : 0;
  attr.link_create.uprobe_multi.pid = pid > 0 ? static_cast<uint32_t>(pid) : 0;
  const int fd = sys::bpf_fd(BPF_LINK_CREATE, &attr, BPFXX_ATTR_SIZE(link_create.uprobe_multi));
  if (fd < 0) return prog_failure(prog, -fd, "cannot attach " + what + ": " + std::strerror(-fd));
  return std::make_unique<bpf_link>(fd);
}

namespace {

bool starts_with(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

}  // namespace

Result<LinkPtr> auto_attach_uprobe(const bpf_program& prog) {
  // uprobe[.s]/<path>:<func>[+<offset>] (or a raw offset for <func>).
  std::string_view extras = object::section_extras(prog.sec_name);
  if (extras.empty()) return LinkPtr{};
  const size_t colon = extras.rfind(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 == extras.size()) {
    return prog_failure(prog, EINVAL,
                        "section '" + prog.sec_name + "' is not of the form uprobe/<path>:<function>[+<offset>]");
  }
  const std::string path(extras.substr(0, colon));
  std::string func(extras.substr(colon + 1));
  uint64_t off = 0;
  if (const size_t plus = func.find('+'); plus != std::string::npos) {
    char* end = nullptr;
    const std::string num = func.substr(plus + 1);
    off = std::strtoull(num.c_str(), &end, 0);
    if (num.empty() || *end != '\0') {
      return prog_failure(prog, EINVAL, "section '" + prog.sec_name + "': bad offset '" + num + "'");
    }
    func.resize(plus);
  }
  UprobeOptions opts;
  opts.retprobe = starts_with(prog.sec_name, "uretprobe");
  if (!func.empty() && (func[0] >= '0' && func[0] <= '9')) {
    char* end = nullptr;
    const uint64_t abs = std::strtoull(func.c_str(), &end, 0);
    if (*end == '\0') return attach_uprobe(prog, -1, path.c_str(), abs + off, opts);
  }
  opts.func_name = func.c_str();
  return attach_uprobe(prog, -1, path.c_str(), off, opts);
}

Result<LinkPtr> auto_attach_uprobe_multi(const bpf_program& prog) {
  // uprobe.multi/<path>:<pattern>
  std::string_view extras = object::section_extras(prog.sec_name);
  if (extras.empty()) return LinkPtr{};
  const size_t colon = extras.rfind(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 == extras.size()) {
    return prog_failure(prog, EINVAL, "section '" + prog.sec_name + "' is not of the form uprobe.multi/<path>:<pattern>");
  }
  const std::string path(extras.substr(0, colon));
  const std::string pattern(extras.substr(colon + 1));
  UprobeMultiOptions opts;
  opts.retprobe = starts_with(prog.sec_name, "uretprobe");
  opts.session = starts_with(prog.sec_name, "uprobe.session");
  return attach_uprobe_multi(prog, -1, path.c_str(), pattern.c_str(), opts);
}

}  // namespace bpfxx::link
