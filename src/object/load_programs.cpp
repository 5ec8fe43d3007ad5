// Loading the linked programs: BPF_PROG_LOAD with everything the section,
// the setters and the object say, attach targets resolved, and a verifier
// rejection reported in full.
//
// The log: a load first runs with what the user asked for (their buffer and
// level, or none). If it fails, or the user's buffer was too small for the
// log, it is repeated with a buffer of the size the kernel says the whole
// log needs (log_true_size; grown step by step on kernels that do not say),
// so the verifier's last words -- the actual error -- are never cut off.
// Their tail is printed with the failing instruction's source line.
#include "base/log.h"
#include "object/attach_target.h"
#include "object/externs.h"
#include "object/load.h"
#include "relo/core_kind.h"
#include "sys/features.h"
#include "sys/kernel.h"

#include <bpf/bpf.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string_view>
#include <vector>

namespace bpfxx::object {
namespace {

constexpr size_t kObjNameLen = 16;  // BPF_OBJ_NAME_LEN
// First size tried for the log when the kernel does not report the size it
// needs, and the largest the kernel accepts (UINT32_MAX >> 2).
constexpr size_t kFirstLogSize = 1u << 20;
constexpr size_t kMaxLogSize = UINT32_MAX >> 2;
// Lines of the log printed on failure.
constexpr size_t kTailLines = 60;

std::string errno_text(int err) {
  char buf[128];
  libbpf_strerror(err, buf, sizeof buf);
  return buf;
}

std::vector<std::string_view> split_lines(std::string_view log) {
  std::vector<std::string_view> lines;
  while (!log.empty()) {
    const size_t nl = log.find('\n');
    lines.push_back(log.substr(0, nl));
    if (nl == std::string_view::npos) break;
    log.remove_prefix(nl + 1);
  }
  while (!lines.empty() && lines.back().empty()) lines.pop_back();
  return lines;
}

// The index of the last instruction the verifier printed ("123: (85) ..."):
// where it stopped. -1 when the log shows none.
int64_t failing_insn(const std::vector<std::string_view>& lines) {
  for (size_t i = lines.size(); i-- > 0;) {
    const std::string_view l = lines[i];
    size_t d = 0;
    while (d < l.size() && d < 10 && l[d] >= '0' && l[d] <= '9') d++;
    if (d == 0 || d + 2 >= l.size() || l[d] != ':' || l[d + 1] != ' ' || l[d + 2] != '(') continue;
    return std::strtoll(std::string(l.substr(0, d)).c_str(), nullptr, 10);
  }
  return -1;
}

class ProgramLoader {
 public:
  ProgramLoader(bpf_object& obj, bpf_program& prog) : obj_(obj), prog_(prog) {}

  Result<void> run() {
    if (prog_.type == BPF_PROG_TYPE_UNSPEC) {
      return bad(EINVAL, "missing BPF program type: section '" + prog_.sec_name +
                             "' is not a known program type; name the section after one or call "
                             "bpf_program__set_type()");
    }
    LIBBPF_OPTS(bpf_prog_load_opts, o);
    if (auto r = fill_opts(o); !r) return r;
    if (prog_.sec_def != nullptr && prog_.sec_def->prog_prepare_load_fn != nullptr) {
      const int e = prog_.sec_def->prog_prepare_load_fn(&prog_, &o, prog_.sec_def->cookie);
      if (e < 0) return bad(-e, "the custom section handler refused the load (" + errno_text(e) + ")");
    }
    const int fd = load_with_log(o);
    // A module's BTF named as the attach target is only needed by the
    // load: a loaded program holds its own reference.
    if (prog_.attach_btf_obj_fd >= 0) sys::kernel().close(prog_.attach_btf_obj_fd);
    prog_.attach_btf_obj_fd = -1;
    if (fd < 0) return report_failure(fd);
    prog_.fd = fd;
    bind_rodata();
    return {};
  }

 private:
  Failure bad(int err, const std::string& what) {
    BPFXX_WARN("prog '%s': %s\n", prog_.name.c_str(), what.c_str());
    return fail(err, obj_.name + ": prog '" + prog_.name + "': " + what);
  }

  Result<void> fill_opts(bpf_prog_load_opts& o) {
    const SectionDef* def = prog_.sec_def;
    // USDT programs attach through one uprobe.multi link where the kernel
    // has them (libbpf's choice); the link type is fixed at load.
    if (def != nullptr && def->has(kUsdt) && prog_.expected_attach_type == 0 &&
        sys::has_feature(sys::Feature::UprobeMultiLink))
      prog_.expected_attach_type = BPF_TRACE_UPROBE_MULTI;
    o.expected_attach_type = static_cast<bpf_attach_type>(prog_.expected_attach_type);
    if (def != nullptr && def->has(kExpAttachOpt) && !sys::has_feature(sys::Feature::ExpAttachType))
      o.expected_attach_type = static_cast<bpf_attach_type>(0);
    o.prog_flags = prog_.prog_flags;
    if (prog_.sleepable) o.prog_flags |= BPF_F_SLEEPABLE;
    if (def != nullptr && def->has(kXdpFrags)) o.prog_flags |= BPF_F_XDP_HAS_FRAGS;
    o.prog_ifindex = prog_.ifindex;
    o.kern_version = obj_.kversion;
    if (obj_.token_fd > 0) {
      o.token_fd = static_cast<__u32>(obj_.token_fd);
      o.prog_flags |= BPF_F_TOKEN_FD;
    }
    const int btf_fd = obj_.btf_data ? btf__fd(obj_.btf_data.get()) : -1;
    if (btf_fd >= 0 && !prog_.func_info.empty()) {
      o.prog_btf_fd = static_cast<__u32>(btf_fd);
      o.func_info = prog_.func_info.data();
      o.func_info_cnt = static_cast<__u32>(prog_.func_info.size());
      o.func_info_rec_size = sizeof(bpf_func_info);
      if (!prog_.line_info.empty()) {
        o.line_info = prog_.line_info.data();
        o.line_info_cnt = static_cast<__u32>(prog_.line_info.size());
        o.line_info_rec_size = sizeof(bpf_line_info);
      }
    }
    // Module kfuncs name their BTF by index into this array.
    fd_array_ = extern_fd_array(obj_);
    if (!fd_array_.empty()) o.fd_array = fd_array_.data();
    if (prog_.type == BPF_PROG_TYPE_STRUCT_OPS) {
      // prepare_struct_ops() chose the kernel struct (attach_btf_id) and
      // the member (expected_attach_type) from the map that uses it.
      o.attach_btf_id = prog_.attach_btf_id;
      if (prog_.attach_btf_obj_fd >= 0) o.attach_btf_obj_fd = static_cast<__u32>(prog_.attach_btf_obj_fd);
      return {};
    }
    const bool btf_target = (def != nullptr && (def->has(kAttachBtf) || def->has(kAttachBtfMulti))) ||
                            !prog_.attach_func_name.empty() ||
                            prog_.attach_prog_fd > 0;
    // Multi-function tracing names its targets at attach time; a name in
    // the section is only checked when there is one.
    const bool multi_without_name = def != nullptr && def->has(kAttachBtfMulti) &&
                                    section_extras(prog_.sec_name).empty() && prog_.attach_func_name.empty();
    if (btf_target && !multi_without_name) {
      if (prog_.attach_func_name.empty() && prog_.attach_prog_fd <= 0 && section_extras(prog_.sec_name).empty())
        return bad(EINVAL, "no BTF attach target: name it in the section (\"" + prog_.sec_name +
                               "/<function>\") or call bpf_program__set_attach_target()");
      Result<AttachTarget> t = resolve_attach_target(prog_);
      if (!t) return t.failure();
      prog_.attach_btf_id = t->btf_id;
      if (prog_.attach_btf_obj_fd >= 0) sys::kernel().close(prog_.attach_btf_obj_fd);
      prog_.attach_btf_obj_fd = t->btf_obj_fd;
      o.attach_btf_id = t->btf_id;
      if (t->attach_prog_fd > 0)
        o.attach_prog_fd = static_cast<__u32>(t->attach_prog_fd);
      else if (t->btf_obj_fd >= 0)
        o.attach_btf_obj_fd = static_cast<__u32>(t->btf_obj_fd);
    }
    return {};
  }

  std::string kernel_name() const {
    if (!sys::has_feature(sys::Feature::ProgName)) return {};
    return prog_.name.substr(0, kObjNameLen - 1);
  }

  int load_once(bpf_prog_load_opts& o) {
    const std::string name = kernel_name();
    return bpf_prog_load(static_cast<bpf_prog_type>(prog_.type), name.empty() ? nullptr : name.c_str(),
                         obj_.license.c_str(), prog_.insns.data(), prog_.insns.size(), &o);
  }

  int load_with_log(bpf_prog_load_opts& o) {
    char* user_buf = prog_.log_buf != nullptr ? prog_.log_buf : obj_.opts.kernel_log_buf;
    const size_t user_size = prog_.log_buf != nullptr ? prog_.log_size : obj_.opts.kernel_log_size;
    uint32_t level = prog_.log_level != 0 ? prog_.log_level : obj_.opts.kernel_log_level;
    if (user_buf != nullptr) {
      o.log_buf = user_buf;
      o.log_size = static_cast<__u32>(user_size);
      o.log_level = level;
    } else if (level != 0) {
      // A level without a buffer: the log goes to the print callback, in a
      // buffer of our own.
      own_log_.assign(kFirstLogSize, '\0');
      o.log_buf = own_log_.data();
      o.log_size = static_cast<__u32>(own_log_.size());
      o.log_level = level;
    }
    // What a buffer holds from before (another program's log) is not
    // this load's: a load refused before the verifier writes nothing.
    if (o.log_buf != nullptr && o.log_size > 0) o.log_buf[0] = '\0';
    int fd = load_once(o);
    const bool own = o.log_buf != nullptr && o.log_buf == own_log_.data();
    if (fd >= 0 && !own) return fd;
    const size_t used = o.log_buf != nullptr ? strnlen(o.log_buf, o.log_size) : 0;
    const bool cut = o.log_buf != nullptr && log_cut(fd, o, used);
    if (fd >= 0 || (o.log_buf != nullptr && used > 0 && !cut)) {
      // Loaded with a complete log, or refused with one: nothing to repeat.
      log_text_.assign(o.log_buf, used);
      if (fd >= 0) print_log(log_text_);
      return fd;
    }
    // Refused without a (whole) log, or loaded but the caller's buffer was
    // too small for the log (ENOSPC): again, with room for all of it.
    return reload_with_full_log(o, level != 0 ? level : 1, user_buf, user_size);
  }

  // Whether the kernel had more log than the buffer took. Kernels since 6.4
  // say how much they had (log_true_size, NUL included); older ones only
  // show a full buffer.
  static bool log_cut(int fd, const bpf_prog_load_opts& o, size_t used) {
    if (fd == -ENOSPC) return true;
    if (o.log_true_size != 0) return o.log_true_size > o.log_size;
    return used + 1 >= o.log_size;
  }

  // Repeats the load with an own buffer large enough for the whole log;
  // copies the log's tail into the caller's buffer, if any.
  int reload_with_full_log(bpf_prog_load_opts& o, uint32_t level, char* user_buf, size_t user_size) {
    size_t size = std::max<size_t>(o.log_true_size + 1, kFirstLogSize);
    int fd;
    for (;;) {
      size = std::min(size, kMaxLogSize);
      own_log_.assign(size, '\0');
      o.log_buf = own_log_.data();
      o.log_size = static_cast<__u32>(size);
      o.log_level = level;
      o.log_true_size = 0;
      fd = load_once(o);
      const size_t used = strnlen(own_log_.data(), size);
      if (!log_cut(fd, o, used) || size == kMaxLogSize) break;
      if (fd >= 0) {
        // Loaded, yet the log did not fit: keep the program, not the log.
        break;
      }
      size = o.log_true_size > size ? o.log_true_size : size * 4;
    }
    log_text_.assign(own_log_.data(), strnlen(own_log_.data(), own_log_.size()));
    if (user_buf != nullptr && user_size > 0) {
      // The caller sees the end of the log, where the error is.
      const size_t n = std::min(log_text_.size(), user_size - 1);
      std::memcpy(user_buf, log_text_.data() + log_text_.size() - n, n);
      user_buf[n] = '\0';
    }
    if (fd >= 0 && user_buf == nullptr) print_log(log_text_);
    return fd;
  }

  // The log of a successful load the user asked for by level only.
  void print_log(std::string_view log) {
    if (log.empty()) return;
    BPFXX_INFO("prog '%s': -- BEGIN PROG LOAD LOG --\n", prog_.name.c_str());
    for (std::string_view l : split_lines(log)) BPFXX_INFO("%.*s\n", static_cast<int>(l.size()), l.data());
    BPFXX_INFO("-- END PROG LOAD LOG --\n");
  }

  Failure report_failure(int fd) {
    const std::vector<std::string_view> lines = split_lines(log_text_);
    BPFXX_WARN("prog '%s': BPF program load failed: %s\n", prog_.name.c_str(), errno_text(fd).c_str());
    if (!lines.empty()) {
      const size_t first = lines.size() > kTailLines ? lines.size() - kTailLines : 0;
      if (first == 0)
        BPFXX_WARN("prog '%s': -- BEGIN PROG LOAD LOG --\n", prog_.name.c_str());
      else
        BPFXX_WARN("prog '%s': -- BEGIN PROG LOAD LOG (last %zu of %zu lines) --\n", prog_.name.c_str(),
                   lines.size() - first, lines.size());
      for (size_t i = first; i < lines.size(); i++)
        BPFXX_WARN("%.*s\n", static_cast<int>(lines[i].size()), lines[i].data());
      BPFXX_WARN("-- END PROG LOAD LOG --\n");
    }
    std::string why = explain_poisoned_map();
    if (why.empty()) why = explain_core_poison(lines);
    std::string where = source_of(failing_insn(lines));
    // A known cause (a poisoned map or CO-RE relocation) and where it was
    // reached, in one line.
    if (!why.empty())
      BPFXX_WARN("prog '%s': %s%s%s\n", prog_.name.c_str(), why.c_str(), where.empty() ? "" : "; at ",
                 where.c_str());
    else if (!where.empty())
      BPFXX_WARN("prog '%s': failed at %s\n", prog_.name.c_str(), where.c_str());
    std::string msg = obj_.name + ": prog '" + prog_.name + "': load failed: " + errno_text(fd);
    if (!why.empty()) msg += ": " + why;
    if (!where.empty()) msg += (why.empty() ? " at " : "; at ") + where;
    return fail(-fd, msg);
  }

  // A call of a poisoned map reference (link_programs) in the log: name the
  // map whose creation was turned off.
  std::string explain_poisoned_map() const {
    static constexpr std::string_view kUnknown = "invalid func unknown#";
    size_t pos = log_text_.rfind(kUnknown);
    if (pos == std::string::npos) return {};
    const long long id = std::strtoll(log_text_.c_str() + pos + kUnknown.size(), nullptr, 10);
    const long long idx = id - kPoisonedMapCall;
    if (idx < 0 || static_cast<size_t>(idx) >= obj_.maps.size()) return {};
    return "map '" + obj_.maps[static_cast<size_t>(idx)]->name +
           "' is referenced but was not created (autocreate is off)";
  }

  // A reached CO-RE poison (core_relocate.cpp) in the log: the verifier
  // shows "N: (85) call unknown#195896080"; N is traced back to the
  // function that holds it and the relocation recorded there.
  std::string explain_core_poison(const std::vector<std::string_view>& lines) const {
    static const std::string kCall = "call unknown#" + std::to_string(relo::kPoisonHelperId);
    for (size_t i = lines.size(); i-- > 0;) {
      const std::string_view l = lines[i];
      if (l.find(kCall) == std::string_view::npos) continue;
      const int64_t insn = failing_insn({l});
      if (insn < 0) continue;
      const Function f = function_at(insn);
      for (const bpf_program::CorePoison& p : f.fn->core_poisons) {
        if (p.insn != insn - f.start) continue;
        return "bad CO-RE relocation reached: relo #" + std::to_string(p.relo_idx) + " of '" + f.fn->name +
               "' (its insn #" + std::to_string(p.insn) + ") failed to resolve " + p.what;
      }
      return {};
    }
    return {};
  }

  // The function (the program or an appended subprogram) holding final
  // instruction insn, and where it starts.
  struct Function {
    const bpf_program* fn;
    uint32_t start;
  };
  Function function_at(int64_t insn) const {
    Function f{&prog_, 0};
    for (const auto& a : prog_.appended) {
      if (a.insn_off <= insn && a.insn_off >= f.start) f = {a.subprog, a.insn_off};
    }
    return f;
  }

  // "insn #N (subprogram 'f'), file.c:12: <source text>" from line_info.
  std::string source_of(int64_t insn) const {
    if (insn < 0) return {};
    std::string out = "instruction #" + std::to_string(insn);
    const bpf_program* fn = function_at(insn).fn;
    if (fn != &prog_) out += " (in '" + fn->name + "')";
    const bpf_line_info* best = nullptr;
    for (const bpf_line_info& li : prog_.line_info)
      if (li.insn_off <= insn && (best == nullptr || li.insn_off >= best->insn_off)) best = &li;
    if (best == nullptr || !obj_.btf_data) return out;
    const ::btf* b = obj_.btf_data.get();
    const char* file = btf__name_by_offset(b, best->file_name_off);
    const char* text = btf__name_by_offset(b, best->line_off);
    if (file != nullptr) {
      const char* base = std::strrchr(file, '/');
      out += ", ";
      out += base != nullptr ? base + 1 : file;
      out += ':';
      out += std::to_string(BPF_LINE_INFO_LINE_NUM(best->line_col));
    }
    if (text != nullptr && *text != '\0') {
      std::string_view t(text);
      while (!t.empty() && (t.front() == ' ' || t.front() == '\t')) t.remove_prefix(1);
      out += ": ";
      out += t;
    }
    return out;
  }

  // .rodata stays alive with the program (metadata readers such as bpftool
  // find it there) even if no instruction refers to it. A program that does
  // refer to it holds it already: no system call for those.
  bool uses_map_fd(int fd) const {
    for (size_t i = 0; i + 1 < prog_.insns.size(); i++) {
      const bpf_insn& in = prog_.insns[i];
      if (in.code == (BPF_LD | BPF_IMM | BPF_DW) &&
          (in.src_reg == BPF_PSEUDO_MAP_FD || in.src_reg == BPF_PSEUDO_MAP_VALUE) && in.imm == fd)
        return true;
    }
    return false;
  }

  void bind_rodata() {
    if (!sys::has_feature(sys::Feature::ProgBindMap)) return;
    for (const auto& m : obj_.maps) {
      if (m->kind != MapKind::kRodata || m->real_name != ".rodata" || !m->created()) continue;
      if (uses_map_fd(m->fd)) continue;
      if (bpf_prog_bind_map(prog_.fd, m->fd, nullptr) < 0)
        BPFXX_DEBUG("prog '%s': could not bind map '%s': %d\n", prog_.name.c_str(), m->name.c_str(), -errno);
    }
  }

  bpf_object& obj_;
  bpf_program& prog_;
  std::vector<char> own_log_;
  std::vector<int> fd_array_;
  std::string log_text_;
};

}  // namespace

Result<void> load_programs(bpf_object& obj) {
  for (auto& p : obj.programs) {
    if (p->is_subprog) continue;
    if (!p->autoload) {
      BPFXX_DEBUG("prog '%s': skipped (autoload off)\n", p->name.c_str());
      continue;
    }
    ProgramLoader l(obj, *p);
    if (auto r = l.run(); !r) return r;
  }
  // Module BTF fds of kfuncs and typed ksyms were only needed by the loads.
  close_extern_btf_fds(obj);
  return {};
}

}  // namespace bpfxx::object
