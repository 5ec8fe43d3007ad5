// The program-type table: which program type, expected attach type, load
// flags and auto-attach method an ELF section name (the SEC("...") of a BPF
// program) stands for, plus the handlers users register at run time
// (libbpf_register_prog_handler).
//
// Section name rules, in the order a lookup applies them:
//   1. custom handlers, in registration order;
//   2. the built-in table, in its order (more specific rows come first);
//   3. the custom fallback handler (registered with a NULL name), if any.
// Inside each group the first row that matches wins. A row "name" matches
// exactly "name"; "name+" matches "name" and "name/<extras>"; "name/"
// matches any section that starts with "name/" (the extras are mandatory).
// Sleepable variants are rows of their own ("fentry.s+", "uprobe.s+", ...)
// flagged kSleepable.
//
// Thread safety: lookups may run concurrently with registration and
// unregistration (a reader-writer lock, skipped entirely while no custom
// handler is registered). A SectionDef pointer stays valid for the life of
// the process, even after its handler is unregistered: its row is then
// retired, never matched again, but not freed.
#pragma once

#include <bpf/libbpf.h>

#include <cstdint>
#include <span>
#include <string>
#include <string_view>


namespace bpfxx::object {

// Flags of a section definition.
enum SectionFlags : uint32_t {
  kNone = 0,
  // The expected attach type is optional at load: when the kernel rejects
  // the program with it, the load is retried without it (old kernels).
  kExpAttachOpt = 1u << 0,
  // Programs of this section are attached with bpf_prog_attach() using the
  // expected attach type: libbpf_attach_type_by_name() answers for them.
  kAttachable = 1u << 1,
  kAttachableOpt = kAttachable | kExpAttachOpt,
  // The attach target is a BTF id (fentry, fexit, fmod_ret, lsm, iter,
  // tp_btf, freplace, ...) resolved at load from the name after '/' or from
  // bpf_program__set_attach_target().
  kAttachBtf = 1u << 2,
  // Loaded with BPF_F_SLEEPABLE.
  kSleepable = 1u << 3,
  // Loaded with BPF_F_XDP_HAS_FRAGS.
  kXdpFrags = 1u << 4,
  // A USDT program (a uprobe that the USDT layer attaches; may be turned
  // into a uprobe.multi program at load when the kernel supports it).
  kUsdt = 1u << 5,
  // Multi-function tracing (fentry.multi, fexit.multi, fsession.multi): the
  // targets are chosen at attach time from a pattern or a list of BTF ids;
  // at load the program is checked against the first target named after
  // '/', if any.
  kAttachBtfMulti = 1u << 6,
};

// How a built-in section is auto-attached (bpf_program__attach() and
// skeleton attach); kNone means that auto-attach is not supported.
enum class AttachKind : uint8_t {
  kNone,
  kKprobe,          // kprobe/<func>[+<off>], kretprobe/...
  kUprobe,          // uprobe[.s]/<path>:<func>[+<off>], uretprobe...
  kKsyscall,        // ksyscall/<syscall>, kretsyscall/...
  kUsdt,            // usdt[.s]/<path>:<provider>:<name>
  kTracepoint,      // tp/<category>/<name>, tracepoint/...
  kRawTracepoint,   // raw_tp/<name>, raw_tracepoint[.w]/...
  kTrace,           // fentry/fexit/fmod_ret/fsession/tp_btf/freplace: BTF-id tracing
  kLsm,             // lsm[.s]/<hook>
  kIter,            // iter[.s]/<target>
  kKprobeMulti,     // kprobe.multi/<pattern>, kretprobe.multi/...
  kKprobeSession,   // kprobe.session/<pattern>
  kUprobeMulti,     // uprobe.multi/<path>:<pattern>, uretprobe.multi/...
  kUprobeSession,   // uprobe.session/<path>:<pattern>
  kTracingMulti,    // fentry.multi/fexit.multi/fsession.multi[.s]/<pattern>
};

// One row of the table, built-in or custom.
struct SectionDef {
  const char* sec;                       // pattern; NULL for the fallback handler
  bpf_prog_type prog_type;
  bpf_attach_type expected_attach_type;
  uint32_t flags;                        // SectionFlags (built-in rows only)
  AttachKind attach;                     // built-in auto-attach method
  // Custom handlers only (all zero for built-in rows).
  int handler_id;                        // > 0 for a custom handler
  long cookie;
  libbpf_prog_setup_fn_t prog_setup_fn;
  libbpf_prog_prepare_load_fn_t prog_prepare_load_fn;
  libbpf_prog_attach_fn_t prog_attach_fn;

  bool is_custom() const noexcept { return handler_id > 0; }
  // The fallback handler: program-type agnostic, so it stays attached to a
  // program whose type is changed with bpf_program__set_type().
  bool is_fallback() const noexcept { return handler_id > 0 && sec == nullptr; }
  bool has(uint32_t f) const noexcept { return (flags & f) == f; }
};

// True when pattern (a SectionDef::sec) matches sec_name by the rules above.
bool section_matches(std::string_view pattern, std::string_view sec_name) noexcept;

// The definition for a section name: custom handlers first, then the
// built-in table, then the fallback handler; NULL when nothing matches.
const SectionDef* find_section_def(std::string_view sec_name) noexcept;

// The built-in table only, in lookup order.
std::span<const SectionDef> builtin_section_defs() noexcept;

// What follows the first '/' of a section name ("" when there is none):
// the attach target spelled in SEC("type/extras").
std::string_view section_extras(std::string_view sec_name) noexcept;

// The built-in section names, space separated, for messages; with
// attachable_only, only those libbpf_attach_type_by_name() accepts.
std::string supported_section_names(bool attachable_only);

// Custom handler registry (behind libbpf_register_prog_handler and
// libbpf_unregister_prog_handler). register_handler returns the new id
// (> 0) or -EINVAL, -EBUSY (second fallback), -E2BIG, -ENOMEM; the opts
// must already be validated. unregister_handler returns 0, -EINVAL or
// -ENOENT.
int register_handler(const char* sec, bpf_prog_type prog_type,
                     bpf_attach_type exp_attach_type, long cookie,
                     libbpf_prog_setup_fn_t setup_fn,
                     libbpf_prog_prepare_load_fn_t prepare_load_fn,
                     libbpf_prog_attach_fn_t attach_fn) noexcept;
int unregister_handler(int handler_id) noexcept;

// Most custom handlers (fallback included) registered at once.
inline constexpr int kMaxCustomHandlers = 1000;

}  // namespace bpfxx::object
