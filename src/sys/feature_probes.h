// The individual kernel feature probes behind FeatureCache. Each returns 1
// (supported), 0 (missing) or -errno when the probe itself could not run
// (the cache warns and counts that as missing). Every one builds its own
// attr / program / BTF blob, goes through the syscall seam and closes what
// it opened.
#pragma once

#include "sys/probe_support.h"

namespace bpfxx::sys::detail {

using probe::Context;

// probe_btf.cpp
int probe_btf(const Context& ctx);
int probe_btf_func(const Context& ctx);
int probe_btf_global_func(const Context& ctx);
int probe_btf_datasec(const Context& ctx);
int probe_btf_qmark_datasec(const Context& ctx);
int probe_btf_float(const Context& ctx);
int probe_btf_decl_tag(const Context& ctx);
int probe_btf_type_tag(const Context& ctx);
int probe_btf_enum64(const Context& ctx);
int probe_module_btf(const Context& ctx);
int probe_arg_ctx_tag(const Context& ctx);

// probe_programs.cpp
int probe_prog_name(const Context& ctx);
int probe_global_data(const Context& ctx);
int probe_array_mmap(const Context& ctx);
int probe_exp_attach_type(const Context& ctx);
int probe_probe_read_kernel(const Context& ctx);
int probe_prog_bind_map(const Context& ctx);
int probe_bpf_cookie(const Context& ctx);
int probe_memcg_account(const Context& ctx);
int probe_arena_map(const Context& ctx);
int probe_ldimm64_full_range_off(const Context& ctx);

// probe_commands.cpp
int probe_bpf_link(const Context& ctx);
int probe_perf_link(const Context& ctx);
int probe_kprobe_multi_link(const Context& ctx);
int probe_uprobe_multi_link(const Context& ctx);
int probe_token(const Context& ctx);
int probe_stream_read(const Context& ctx);
int probe_assoc_struct_ops(const Context& ctx);
int probe_common_attrs(const Context& ctx);
int probe_raw_tp_cookie(const Context& ctx);
int probe_obj_path_fd(const Context& ctx);
int probe_query_link_ids(const Context& ctx);

// probe_logs.cpp
int probe_prog_log_true_size(const Context& ctx);
int probe_btf_log_true_size(const Context& ctx);

// probe_syscall_wrapper.cpp
int probe_syscall_wrapper(const Context& ctx);

}  // namespace bpfxx::sys::detail
