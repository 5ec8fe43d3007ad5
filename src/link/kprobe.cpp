#include "link/kprobe.h"

#include "base/log.h"
#include "object/program.h"
#include "sys/bpf_syscall.h"
#include "sys/features.h"
#include "sys/files.h"
#include "sys/kernel.h"
#include "sys/tracefs.h"
#include "link/tracepoint.h"

#include <linux/perf_event.h>
#include <unistd.h>

#include <atomic>
#include <cctype>
#include <cstdlib>
#include <cstring>

namespace bpfxx::link {
namespace {

std::string describe_kprobe(std::string_view func, const KprobeOptions& opts) {
  std::string s = opts.retprobe ? "kretprobe '" : "kprobe '";
  s += func;
  if (opts.offset != 0) s += "+" + std::to_string(opts.offset);
  return s + "'";
}

Result<int> open_kprobe_pmu(const std::string& func, const KprobeOptions& opts) {
  auto type = sys::pmu_type("kprobe");
  if (!type) return type.failure();
  struct perf_event_attr attr;
  std::memset(&attr, 0, sizeof attr);
  attr.size = sizeof attr;
  attr.type = static_cast<uint32_t>(*type);
  if (opts.retprobe) {
    auto bit = sys::pmu_retprobe_bit("kprobe");
    if (!bit) return bit.failure();
    attr.config |= 1ull << *bit;
  }
  attr.config1 = reinterpret_cast<uint64_t>(func.c_str());  // kprobe_func
  attr.config2 = opts.offset;                               // probe_offset
  const int fd = sys::kernel().perf_event_open(&attr, -1, 0, -1, PERF_FLAG_FD_CLOEXEC);
  if (fd < 0) return fail(-fd, std::string("perf_event_open of the kprobe PMU: ") + std::strerror(-fd));
  return fd;
}

struct LegacyProbe {
  int perf_fd;
  std::string event;  // "kprobes/<name>"
};

Result<LegacyProbe> open_kprobe_legacy(const std::string& func, const KprobeOptions& opts) {
  const std::string name = legacy_probe_name("bpfxx", func);
  std::string cmd = std::string(opts.retprobe ? "r" : "p") + ":kprobes/" + name + " " + func;
  if (opts.offset != 0) cmd += "+" + std::to_string(opts.offset);
  if (auto r = sys::tracefs_append("kprobe_events", cmd); !r) return r.failure();
  auto pfd = open_tracepoint_event("kprobes", name);
  if (!pfd) {
    static_cast<void>(sys::tracefs_append("kprobe_events", "-:kprobes/" + name));
    return pfd.failure();
  }
  return LegacyProbe{*pfd, "kprobes/" + name};
}

}  // namespace

bool glob_match(std::string_view pattern, std::string_view text) noexcept {
  size_t p = 0, t = 0, star = std::string_view::npos, mark = 0;
  while (t < text.size()) {
    if (p < pattern.size() && (pattern[p] == '?' || pattern[p] == text[t])) {
      p++;
      t++;
    } else if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      mark = t;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      t = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') p++;
  return p == pattern.size();
}

std::string legacy_probe_name(std::string_view prefix, std::string_view target) {
  static std::atomic<unsigned> counter{0};
  std::string name = std::string(prefix) + "_" + std::to_string(::getpid()) + "_" +
                     std::to_string(counter.fetch_add(1)) + "_";
  for (char c : target) name += (std::isalnum(static_cast<unsigned char>(c)) || c == '_') ? c : '_';
  // tracefs limits event names (MAX_EVENT_NAME_LEN is 64).
  if (name.size() > 63) name.resize(63);
  return name;
}

Result<LinkPtr> attach_kprobe(const bpf_program& prog, std::string_view func_view, const KprobeOptions& opts) {
  const std::string func(func_view);
  const std::string what = describe_kprobe(func, opts);
  auto prog_fd = loaded_prog_fd(prog, what);
  if (!prog_fd) return prog_fd.failure();
  if (func.empty()) return prog_failure(prog, EINVAL, "cannot attach a kprobe without a function name");

  const bool have_pmu = static_cast<bool>(sys::pmu_type("kprobe"));
  const bool have_legacy = sys::tracefs_has("kprobe_events");
  if (!have_pmu && !have_legacy) {
    return prog_failure(prog, EOPNOTSUPP,
                        "cannot attach " + what +
                            ": this kernel has no kprobes (no kprobe PMU in /sys/bus/event_source/devices "
                            "and no kprobe_events in tracefs; CONFIG_KPROBES/CONFIG_KPROBE_EVENTS off)");
  }
  bool legacy = false;
  switch (opts.mode) {
    case ProbeMode::kLegacy:
      legacy = true;
      break;
    case ProbeMode::kPerf:
    case ProbeMode::kLink:
      if (!have_pmu) return prog_failure(prog, EOPNOTSUPP, "cannot attach " + what + ": no kprobe PMU in this kernel");
      if (opts.mode == ProbeMode::kLink && !sys::has_feature(sys::Feature::PerfLink)) {
        return prog_failure(prog, EOPNOTSUPP, "cannot attach " + what + ": no BPF links for perf events here");
      }
      break;
    case ProbeMode::kDefault:
      legacy = !have_pmu;
      break;
  }
  if (legacy && !have_legacy) {
    return prog_failure(prog, EOPNOTSUPP, "cannot attach " + what + ": tracefs has no kprobe_events");
  }
  // Explicit legacy and perf modes attach with the ioctls, as libbpf does.
  const PerfAttachOptions popts{opts.cookie, opts.mode == ProbeMode::kPerf || opts.mode == ProbeMode::kLegacy};
  if (!legacy) {
    auto pfd = open_kprobe_pmu(func, opts);
    if (!pfd) return prog_failure(prog, pfd.error(), "cannot attach " + what + ": " + pfd.message());
    auto link = attach_owned_perf_event(prog, *pfd, popts);
    if (!link) return link.failure();
    (*link)->set_what(what);
    return LinkPtr(link->release());
  }
  auto probe = open_kprobe_legacy(func, opts);
  if (!probe) return prog_failure(prog, probe.error(), "cannot attach legacy " + what + ": " + probe.message());
  auto link = attach_perf_event(prog, probe->perf_fd, popts);
  const std::string event = probe->event;
  auto remove = [event] {
    if (auto r = sys::tracefs_append("kprobe_events", "-:" + event); !r) {
      BPFXX_WARN("removing the legacy kprobe %s failed: %s\n", event.c_str(), r.message().c_str());
    }
  };
  if (!link) {
    sys::kernel().close(probe->perf_fd);
    remove();
    return link.failure();
  }
  (*link)->set_what("legacy " + what);
  (*link)->set_cleanup(remove);
  return LinkPtr(link->release());
}

Result<LinkPtr> attach_ksyscall(const bpf_program& prog, std::string_view syscall, uint64_t cookie, bool retprobe) {
  if (syscall.empty()) return prog_failure(prog, EINVAL, "cannot attach a ksyscall probe without a syscall name");
  // Kernels with syscall wrappers name the entry __<arch>_sys_<name>;
  // others __se_sys_<name>.
  const char* prefix = sys::syscall_prefix();
  const std::string func = (prefix != nullptr ? std::string(prefix) + "sys_" : std::string("__se_sys_")) +
                           std::string(syscall);
  KprobeOptions opts;
  opts.cookie = cookie;
  opts.retprobe = retprobe;
  return attach_kprobe(prog, func, opts);
}

Result<LinkPtr> attach_kprobe_multi(const bpf_program& prog, const KprobeMultiOptions& opts) {
  const std::string what = std::string(opts.retprobe ? "kretprobe.multi" : "kprobe.multi") +
                           (opts.pattern != nullptr ? std::string(" '") + opts.pattern + "'" : std::string());
  auto prog_fd = loaded_prog_fd(prog, what);
  if (!prog_fd) return prog_fd.failure();
  const bool have_list = opts.syms != nullptr || opts.addrs != nullptr;
  if (opts.pattern != nullptr ? (have_list || opts.cookies != nullptr || opts.cnt != 0)
                              : (!have_list || opts.cnt == 0 || (opts.syms != nullptr && opts.addrs != nullptr))) {
    return prog_failure(prog, EINVAL,
                        "cannot attach " + what +
                            ": give either a pattern, or cnt with exactly one of syms and addrs (cookies "
                            "optional)");
  }
  if (opts.session && opts.retprobe) {
    return prog_failure(prog, EINVAL, "cannot attach " + what + ": a session probe is not a return probe");
  }
  if (!sys::has_feature(sys::Feature::KprobeMultiLink)) {
    return prog_failure(prog, EOPNOTSUPP,
                        "cannot attach " + what + ": this kernel has no multi-kprobe links (needs fprobe, 5.18+)");
  }
  std::vector<std::string> names;
  std::vector<const char*> name_ptrs;
  const char** syms = opts.syms;
  size_t cnt = opts.cnt;
  if (opts.pattern != nullptr) {
    auto root = sys::tracefs_root();
    if (!root) return prog_failure(prog, root.error(), "cannot attach " + what + ": " + root.message());
    const std::string path = *root + "/available_filter_functions";
    auto text = sys::read_file(path.c_str(), 256u << 20);
    if (!text) {
      return prog_failure(prog, text.error() == ENOENT ? EOPNOTSUPP : text.error(),
                          "cannot attach " + what + ": cannot read the traceable functions: " + text.message());
    }
    size_t pos = 0;
    while (pos < text->size()) {
      size_t end = text->find('\n', pos);
      if (end == std::string::npos) end = text->size();
      std::string_view line(text->data() + pos, end - pos);
      pos = end + 1;
      // "name [module]" lines: the function name is the first word.
      line = line.substr(0, line.find_first_of(" \t"));
      if (line.empty() || line.find('.') != std::string_view::npos) continue;  // compiler clones
      if (!glob_match(opts.pattern, line)) continue;
      std::string n(line);
      bool dup = false;
      for (const auto& have : names) dup = dup || have == n;
      if (!dup) names.push_back(std::move(n));
    }
    if (names.empty()) return prog_failure(prog, ENOENT, "cannot attach " + what + ": no traceable function matches");
    if (opts.unique_match && names.size() != 1) {
      return prog_failure(prog, EINVAL,
                          "cannot attach " + what + ": " + std::to_string(names.size()) +
                              " functions match and a unique match was asked for");
    }
    for (const auto& n : names) name_ptrs.push_back(n.c_str());
    syms = name_ptrs.data();
    cnt = name_ptrs.size();
  }
  if (cnt > UINT32_MAX) return prog_failure(prog, E2BIG, "cannot attach " + what + ": too many functions");
  union bpf_attr attr;
  std::memset(&attr, 0, sizeof attr);
  attr.link_create.prog_fd = static_cast<uint32_t>(*prog_fd);
  attr.link_create.attach_type = opts.session ? BPF_TRACE_KPROBE_SESSION : BPF_TRACE_KPROBE_MULTI;
  attr.link_create.kprobe_multi.flags = opts.retprobe ? BPF_F_KPROBE_MULTI_RETURN : 0;
  attr.link_create.kprobe_multi.cnt = static_cast<uint32_t>(cnt);
  attr.link_create.kprobe_multi.syms = reinterpret_cast<uint64_t>(syms);
  attr.link_create.kprobe_multi.addrs = reinterpret_cast<uint64_t>(opts.addrs);
  attr.link_create.kprobe_multi.cookies = reinterpret_cast<uint64_t>(opts.cookies);
  const int fd = sys::bpf_fd(BPF_LINK_CREATE, &attr, BPFXX_ATTR_SIZE(link_create.kprobe_multi));
  if (fd < 0) {
    std::string why = std::strerror(-fd);
    if (fd == -EOPNOTSUPP || fd == -EINVAL) why += " (this kernel may lack multi-kprobe links: fprobe)";
    return prog_failure(prog, -fd, "cannot attach " + what + ": " + why);
  }
  return std::make_unique<bpf_link>(fd);
}

namespace {

// "<func>[+<offset>]" of a kprobe section.
Result<std::pair<std::string, uint64_t>> parse_func_offset(const bpf_program& prog, std::string_view spec) {
  const size_t plus = spec.find('+');
  if (plus == std::string_view::npos) return std::make_pair(std::string(spec), uint64_t{0});
  const std::string off(spec.substr(plus + 1));
  char* end = nullptr;
  errno = 0;
  const unsigned long long v = std::strtoull(off.c_str(), &end, 0);
  if (off.empty() || end == nullptr || *end != '\0' || errno != 0) {
    return prog_failure(prog, EINVAL, "section '" + prog.sec_name + "': bad offset '" + off + "'");
  }
  return std::make_pair(std::string(spec.substr(0, plus)), static_cast<uint64_t>(v));
}

bool is_return_section(const bpf_program& prog, std::string_view ret_prefix) {
  return std::string_view(prog.sec_name).substr(0, ret_prefix.size()) == ret_prefix;
}

}  // namespace

Result<LinkPtr> auto_attach_kprobe(const bpf_program& prog) {
  std::string_view extras = object::section_extras(prog.sec_name);
  if (extras.empty()) return LinkPtr{};
  auto spec = parse_func_offset(prog, extras);
  if (!spec) return spec.failure();
  KprobeOptions opts;
  opts.retprobe = is_return_section(prog, "kretprobe");
  opts.offset = spec->second;
  return attach_kprobe(prog, spec->first, opts);
}

Result<LinkPtr> auto_attach_ksyscall(const bpf_program& prog) {
  std::string_view extras = object::section_extras(prog.sec_name);
  if (extras.empty()) return LinkPtr{};
  return attach_ksyscall(prog, extras, 0, is_return_section(prog, "kretsyscall"));
}

Result<LinkPtr> auto_attach_kprobe_multi(const bpf_program& prog) {
  std::string_view extras = object::section_extras(prog.sec_name);
  if (extras.empty()) return LinkPtr{};
  const std::string pattern(extras);
  KprobeMultiOptions opts;
  opts.pattern = pattern.c_str();
  opts.retprobe = is_return_section(prog, "kretprobe");
  opts.session = is_return_section(prog, "kprobe.session");
  return attach_kprobe_multi(prog, opts);
}

}  // namespace bpfxx::link
