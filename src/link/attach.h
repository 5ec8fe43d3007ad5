// Attaching programs: what every attach family shares (a loaded program's
// fd, failures that name the program) and auto-attach, which picks the
// family from the program's section (bpf_program__attach(), skeletons).
#pragma once

#include "link/link.h"
#include "object/section_table.h"

#include <bpfxx/result.hpp>

#include <memory>
#include <string>

struct bpf_program;

namespace bpfxx::link {

using LinkPtr = std::unique_ptr<bpf_link>;

// The program's fd; EINVAL (with a message naming the program and `what`
// it was to be attached to) when it is not loaded.
Result<int> loaded_prog_fd(const bpf_program& prog, const std::string& what);

// Prints "prog '<name>': <message>" through the print callback and returns
// the failure (errnum positive).
Failure prog_failure(const bpf_program& prog, int errnum, const std::string& message);

// An auto-attach method for one AttachKind. It returns a link; a null link
// (with success) means "this program has no target to attach to"
// (e.g. SEC("raw_tp") with no name), which skeleton attach skips and
// bpf_program__attach() reports as EOPNOTSUPP.
using AutoAttachFn = Result<LinkPtr> (*)(const bpf_program& prog);

// Registers the method of a kind (the tracing families register theirs
// here; others, e.g. networking families, may add theirs). Not thread-safe
// against concurrent auto-attach: register during static initialization or
// before attaching.
void register_auto_attach(object::AttachKind kind, AutoAttachFn fn) noexcept;

// Auto-attach as skeletons want it: a custom handler's prog_attach_fn
// first, else the built-in method of the section's AttachKind. A null link
// means the program cannot be auto-attached (no method, or a method that
// found no target); failures print a message naming program and section.
Result<LinkPtr> try_auto_attach(const bpf_program& prog);

// bpf_program__attach(): like try_auto_attach, but "cannot be
// auto-attached" is an EOPNOTSUPP failure naming program and section.
Result<LinkPtr> auto_attach(const bpf_program& prog);

}  // namespace bpfxx::link
