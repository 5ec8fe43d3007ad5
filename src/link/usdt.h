// USDT attachment: a program on every site of provider:name in a binary.
//
// The BPF side (<bpf/usdt.bpf.h>) finds each site's argument spec in the
// object's __bpf_usdt_specs array by index: the index is the BPF cookie of
// the site's uprobe where the kernel has bpf_get_attach_cookie(), else the
// __bpf_usdt_ip_to_spec_id hash maps the probed address to it. Spec slots
// are shared by every USDT link of the map (a manager per specs map, kept
// alive by its links); within one link, sites with the same argument
// string share a slot.
//
// One uprobe.multi link covers all sites when the program was loaded for
// uprobe.multi (expected attach type BPF_TRACE_UPROBE_MULTI); otherwise a
// uprobe per site. Semaphores become the uprobes' reference counters.
#pragma once

#include "link/attach.h"

#include <sys/types.h>

#include <cstdint>

namespace bpfxx::link {

// pid: 0 for this process, -1 (any negative) for all. usdt_cookie is what
// bpf_usdt_cookie() returns.
Result<LinkPtr> attach_usdt(const bpf_program& prog, pid_t pid, const char* binary_path, const char* provider,
                            const char* name, uint64_t usdt_cookie);

// usdt[.s]/<path>:<provider>:<name>, all processes; a null link for a bare
// "usdt".
Result<LinkPtr> auto_attach_usdt(const bpf_program& prog);

// The address a probe at file_offset of path has in process pid, from
// the text of /proc/<pid>/maps (only needed without BPF cookies, for
// shared libraries and PIE executables). ESRCH if path is not mapped there.
Result<uint64_t> usdt_runtime_address(std::string_view proc_maps, std::string_view path, uint64_t file_offset);

}  // namespace bpfxx::link
