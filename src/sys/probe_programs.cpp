// Probes that create a map or load a tiny program and see whether the
// kernel takes it.
#include "sys/feature_probes.h"

#include "base/log.h"
#include "sys/bpf_syscall.h"

#include <cstring>

namespace bpfxx::sys::detail {
namespace {

using probe::Fd;
namespace insn = probe::insn;

constexpr bpf_insn kReturnZero[] = {insn::mov64_imm(BPF_REG_0, 0), insn::exit()};

Fd load(uint32_t type, std::span<const bpf_insn> insns, const Context& ctx, const char* what,
        uint32_t expected_attach_type = 0, const char* name = nullptr) {
  probe::ProgSpec spec;
  spec.type = type;
  spec.insns = insns;
  spec.expected_attach_type = expected_attach_type;
  spec.name = name;
  Fd fd = probe::load_prog(spec, ctx);
  if (!fd.valid()) BPFXX_DEBUG("feature probe: %s rejected: %s\n", what, std::strerror(-fd.error()));
  return fd;
}

// The small array map several probes need. Failing to create even that
// means BPF is not usable at all: an error, not a missing feature.
Fd simple_array(const Context& ctx, uint32_t value_size, const char* who) {
  probe::MapSpec spec;
  spec.type = BPF_MAP_TYPE_ARRAY;
  spec.key_size = sizeof(int);
  spec.value_size = value_size;
  spec.max_entries = 1;
  Fd map = probe::create_map(spec, ctx);
  if (!map.valid()) {
    BPFXX_WARN("feature probe %s: cannot create a simple array map: %s\n", who,
               std::strerror(-map.error()));
  }
  return map;
}

}  // namespace

int probe_prog_name(const Context& ctx) {
  return probe::created(load(BPF_PROG_TYPE_SOCKET_FILTER, kReturnZero, ctx, "named program", 0,
                             "bpfxx_name"));
}

int probe_global_data(const Context& ctx) {
  Fd map = simple_array(ctx, 32, "global_data");
  if (!map.valid()) return map.error();
  // r1 = &value + 16; *(u64 *)r1 = 42; return 0
  const bpf_insn insns[] = {
      insn::ld_map_value_lo(BPF_REG_1, map.get()),
      insn::ld_map_value_hi(16),
      insn::store64_imm(BPF_REG_1, 0, 42),
      insn::mov64_imm(BPF_REG_0, 0),
      insn::exit(),
  };
  return probe::created(load(BPF_PROG_TYPE_SOCKET_FILTER, insns, ctx, "direct map value access"));
}

int probe_array_mmap(const Context& ctx) {
  probe::MapSpec spec;
  spec.type = BPF_MAP_TYPE_ARRAY;
  spec.flags = BPF_F_MMAPABLE;
  Fd map = probe::create_map(spec, ctx);
  if (!map.valid()) BPFXX_DEBUG("feature probe: mmapable array rejected: %s\n", std::strerror(-map.error()));
  return probe::created(map);
}

int probe_exp_attach_type(const Context& ctx) {
  // Any valid program type with an optional, non-zero expected attach type.
  return probe::created(load(BPF_PROG_TYPE_CGROUP_SOCK, kReturnZero, ctx,
                             "cgroup_sock with expected_attach_type", BPF_CGROUP_INET_SOCK_CREATE));
}

int probe_probe_read_kernel(const Context& ctx) {
  // bpf_probe_read_kernel(fp - 8, 8, NULL)
  const bpf_insn insns[] = {
      insn::mov64_reg(BPF_REG_1, BPF_REG_10),
      insn::add64_imm(BPF_REG_1, -8),
      insn::mov64_imm(BPF_REG_2, 8),
      insn::mov64_imm(BPF_REG_3, 0),
      insn::call_helper(BPF_FUNC_probe_read_kernel),
      insn::exit(),
  };
  return probe::created(load(BPF_PROG_TYPE_TRACEPOINT, insns, ctx, "bpf_probe_read_kernel call"));
}

int probe_prog_bind_map(const Context& ctx) {
  Fd map = simple_array(ctx, 32, "prog_bind_map");
  if (!map.valid()) return map.error();
  Fd prog = load(BPF_PROG_TYPE_SOCKET_FILTER, kReturnZero, ctx, "trivial socket filter");
  if (!prog.valid()) return 0;
  union bpf_attr attr;
  std::memset(&attr, 0, sizeof(attr));
  attr.prog_bind_map.prog_fd = static_cast<uint32_t>(prog.get());
  attr.prog_bind_map.map_fd = static_cast<uint32_t>(map.get());
  long rc = bpf(BPF_PROG_BIND_MAP, &attr, BPFXX_ATTR_SIZE(prog_bind_map));
  if (rc < 0) BPFXX_DEBUG("feature probe: BPF_PROG_BIND_MAP: %s\n", std::strerror(static_cast<int>(-rc)));
  return rc == 0 ? 1 : 0;
}

int probe_bpf_cookie(const Context& ctx) {
  const bpf_insn insns[] = {insn::call_helper(BPF_FUNC_get_attach_cookie), insn::exit()};
  return probe::created(load(BPF_PROG_TYPE_TRACEPOINT, insns, ctx, "bpf_get_attach_cookie call"));
}

int probe_memcg_account(const Context& ctx) {
  // bpf_ktime_get_coarse_ns() came in the same release (5.11) as memcg
  // accounting of BPF memory, and is visible from an unprivileged type.
  const bpf_insn insns[] = {insn::call_helper(BPF_FUNC_ktime_get_coarse_ns), insn::exit()};
  return probe::created(load(BPF_PROG_TYPE_SOCKET_FILTER, insns, ctx, "bpf_ktime_get_coarse_ns call"));
}

int probe_arena_map(const Context& ctx) {
  // One page, mappable anywhere in user space (map_extra 0).
  probe::MapSpec spec;
  spec.type = BPF_MAP_TYPE_ARENA;
  spec.key_size = 0;
  spec.value_size = 0;
  spec.max_entries = 1;
  spec.flags = BPF_F_MMAPABLE;
  spec.map_extra = 0;
  Fd map = probe::create_map(spec, ctx);
  if (!map.valid()) BPFXX_DEBUG("feature probe: arena map rejected: %s\n", std::strerror(-map.error()));
  return probe::created(map);
}

int probe_ldimm64_full_range_off(const Context& ctx) {
  // A direct map-value load 1 GiB into a one-byte array. Kernels that cap
  // such offsets at 512 MiB (all up to and including 6.18) say "direct value
  // offset of ... is not allowed"; newer ones get as far as the bounds check
  // of the map value itself.
  Fd map = simple_array(ctx, 1, "ldimm64_full_range_off");
  if (!map.valid()) return map.error();
  const bpf_insn insns[] = {
      insn::ld_map_value_lo(BPF_REG_1, map.get()),
      insn::ld_map_value_hi(int32_t{1} << 30),
      insn::mov64_imm(BPF_REG_0, 0),
      insn::exit(),
  };
  char log[1024] = {};
  probe::ProgSpec spec;
  spec.type = BPF_PROG_TYPE_SOCKET_FILTER;
  spec.insns = insns;
  spec.log_buf = log;
  spec.log_size = sizeof(log);
  Fd prog = probe::load_prog(spec, ctx);
  if (prog.valid()) return 1;  // not expected: the offset is out of the value
  if (std::strstr(log, "direct value offset of") != nullptr) return 0;
  if (std::strstr(log, "invalid access to map value pointer") != nullptr) return 1;
  BPFXX_DEBUG("feature probe: ld_imm64 at 1 GiB failed unexpectedly (%s): %s\n", std::strerror(-prog.error()), log);
  return 0;
}

}  // namespace bpfxx::sys::detail
