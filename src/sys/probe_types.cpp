#include "sys/probe_types.h"

#include "base/log.h"
#include "sys/type_names.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <new>

namespace bpfxx::sys {
namespace {

using probe::Fd;
namespace insn = probe::insn;

const char* type_label(const char* name) { return name != nullptr ? name : "?"; }

// ENOTSUPP: kernel-internal, but it does reach user space from some paths.
constexpr int kENOTSUPP = 524;

// Loads a program of prog_type made of insns, set up the way the type needs.
// Returns 1 / 0 / -EOPNOTSUPP as probe_prog_type() does; log (if given)
// receives the verifier log.
int try_load(int prog_type, std::span<const bpf_insn> insns, char* log, uint32_t log_size,
             const probe::Context& ctx) {
  probe::ProgSpec spec;
  spec.type = static_cast<uint32_t>(prog_type);
  spec.insns = insns;
  spec.log_buf = log;
  spec.log_size = log_size;

  // Types that cannot load without an attach target are judged by the error
  // the kernel gives for a bogus one: reaching that check means it knows the
  // type. Their verdict needs the log: if the caller gave none, own_log.
  char own_log[4096];
  int expected_error = 0;
  const char* expected_message = nullptr;

  switch (prog_type) {
    case BPF_PROG_TYPE_CGROUP_SOCK_ADDR:
      spec.expected_attach_type = BPF_CGROUP_INET4_CONNECT;
      break;
    case BPF_PROG_TYPE_CGROUP_SOCKOPT:
      spec.expected_attach_type = BPF_CGROUP_GETSOCKOPT;
      break;
    case BPF_PROG_TYPE_SK_LOOKUP:
      spec.expected_attach_type = BPF_SK_LOOKUP;
      break;
    case BPF_PROG_TYPE_LIRC_MODE2:
      spec.expected_attach_type = BPF_LIRC_MODE2;
      break;
    case BPF_PROG_TYPE_NETFILTER:
      spec.expected_attach_type = BPF_NETFILTER;
      break;
    case BPF_PROG_TYPE_KPROBE:
      // Ignored by kernels since 5.0, required before.
      spec.kern_version = probe::kernel_version_code();
      break;
    case BPF_PROG_TYPE_SYSCALL:
      spec.flags = BPF_F_SLEEPABLE;
      break;
    case BPF_PROG_TYPE_TRACING:
    case BPF_PROG_TYPE_LSM:
      // vmlinux BTF type 1 is never a function.
      spec.expected_attach_type = prog_type == BPF_PROG_TYPE_TRACING ? BPF_TRACE_FENTRY : BPF_LSM_MAC;
      spec.attach_btf_id = 1;
      expected_error = -EINVAL;
      expected_message = "attach_btf_id 1 is not a function";
      break;
    case BPF_PROG_TYPE_EXT:
      // An extension with no target program must replace a kernel
      // function, which extensions cannot.
      spec.attach_btf_id = 1;
      expected_error = -EINVAL;
      expected_message = "Cannot replace kernel functions";
      break;
    case BPF_PROG_TYPE_STRUCT_OPS:
      // No struct_ops type given: the kernel answers ENOTSUPP once it
      // knows the program type.
      expected_error = -kENOTSUPP;
      break;
    case BPF_PROG_TYPE_UNSPEC:
    case BPF_PROG_TYPE_SOCKET_FILTER:
    case BPF_PROG_TYPE_SCHED_CLS:
    case BPF_PROG_TYPE_SCHED_ACT:
    case BPF_PROG_TYPE_TRACEPOINT:
    case BPF_PROG_TYPE_XDP:
    case BPF_PROG_TYPE_PERF_EVENT:
    case BPF_PROG_TYPE_CGROUP_SKB:
    case BPF_PROG_TYPE_CGROUP_SOCK:
    case BPF_PROG_TYPE_LWT_IN:
    case BPF_PROG_TYPE_LWT_OUT:
    case BPF_PROG_TYPE_LWT_XMIT:
    case BPF_PROG_TYPE_SOCK_OPS:
    case BPF_PROG_TYPE_SK_SKB:
    case BPF_PROG_TYPE_CGROUP_DEVICE:
    case BPF_PROG_TYPE_SK_MSG:
    case BPF_PROG_TYPE_RAW_TRACEPOINT:
    case BPF_PROG_TYPE_RAW_TRACEPOINT_WRITABLE:
    case BPF_PROG_TYPE_LWT_SEG6LOCAL:
    case BPF_PROG_TYPE_SK_REUSEPORT:
    case BPF_PROG_TYPE_FLOW_DISSECTOR:
    case BPF_PROG_TYPE_CGROUP_SYSCTL:
      break;
    default:
      return -EOPNOTSUPP;
  }

  if (expected_message != nullptr && spec.log_buf == nullptr) {
    spec.log_buf = own_log;
    spec.log_size = sizeof(own_log);
  }
  Fd fd = probe::load_prog(spec, ctx);
  const int err = fd.error();
  BPFXX_DEBUG("probe of program type %s (%d): %s\n", type_label(prog_type_name(prog_type)), prog_type,
              fd.valid() ? "loaded" : std::strerror(-err));
  if (expected_error == 0) return fd.valid() ? 1 : 0;
  if (fd.valid() || err != expected_error) return 0;
  if (expected_message != nullptr && std::strstr(spec.log_buf, expected_message) == nullptr) return 0;
  return 1;
}

// BTF for the local storage maps: key int (id 1), value struct { int a; int
// b; } (id 2, 8 bytes). No bpf_spin_lock: the probe asks about the map
// type, not about locks in values.
Fd local_storage_btf(const probe::Context& ctx) {
  probe::BtfBuilder b;
  uint32_t int_id = b.int_type("int", 4, BTF_INT_SIGNED);
  b.struct_type("val", 8, {{"a", int_id, 0}, {"b", int_id, 32}});
  std::vector<uint8_t> blob = b.blob();
  return probe::load_btf(blob, ctx);
}

int try_create(int map_type, const probe::Context& ctx) {
  probe::MapSpec spec;
  spec.type = static_cast<uint32_t>(map_type);
  spec.key_size = sizeof(uint32_t);
  spec.value_size = sizeof(uint32_t);
  spec.max_entries = 1;
  Fd btf;
  Fd inner;
  int expected_error = 0;

  switch (map_type) {
    case BPF_MAP_TYPE_STACK_TRACE:
      spec.value_size = sizeof(uint64_t);
      break;
    case BPF_MAP_TYPE_LPM_TRIE:
      spec.key_size = sizeof(uint64_t);
      spec.value_size = sizeof(uint64_t);
      spec.flags = BPF_F_NO_PREALLOC;
      break;
    case BPF_MAP_TYPE_CGROUP_STORAGE:
    case BPF_MAP_TYPE_PERCPU_CGROUP_STORAGE:
      spec.key_size = sizeof(struct bpf_cgroup_storage_key);
      spec.value_size = sizeof(uint64_t);
      spec.max_entries = 0;
      break;
    case BPF_MAP_TYPE_QUEUE:
    case BPF_MAP_TYPE_STACK:
      spec.key_size = 0;
      break;
    case BPF_MAP_TYPE_SK_STORAGE:
    case BPF_MAP_TYPE_INODE_STORAGE:
    case BPF_MAP_TYPE_TASK_STORAGE:
    case BPF_MAP_TYPE_CGRP_STORAGE:
      btf = local_storage_btf(ctx);
      if (!btf.valid()) {
        BPFXX_DEBUG("probe of map type %d: cannot load its BTF: %s\n", map_type, std::strerror(-btf.error()));
        return btf.error();
      }
      spec.btf_fd = btf.get();
      spec.btf_key_type_id = 1;
      spec.btf_value_type_id = 2;
      spec.value_size = 8;
      spec.max_entries = 0;
      spec.flags = BPF_F_NO_PREALLOC;
      break;
    case BPF_MAP_TYPE_RINGBUF:
    case BPF_MAP_TYPE_USER_RINGBUF: {
      // Size in bytes: a power of two and a multiple of the page size.
      long page = sysconf(_SC_PAGESIZE);
      spec.key_size = 0;
      spec.value_size = 0;
      spec.max_entries = page > 0 ? static_cast<uint32_t>(page) : 4096;
      break;
    }
    case BPF_MAP_TYPE_STRUCT_OPS:
      // vmlinux BTF type 1 is no struct_ops value type: a kernel that knows
      // the map type says ENOTSUPP.
      spec.btf_vmlinux_value_type_id = 1;
      expected_error = -kENOTSUPP;
      break;
    case BPF_MAP_TYPE_BLOOM_FILTER:
      spec.key_size = 0;
      break;
    case BPF_MAP_TYPE_ARENA:
      // One page, mappable at any address.
      spec.key_size = 0;
      spec.value_size = 0;
      spec.flags = BPF_F_MMAPABLE;
      spec.map_extra = 0;
      break;
    case BPF_MAP_TYPE_INSN_ARRAY:
      spec.value_size = sizeof(struct bpf_insn_array_value);
      break;
    case BPF_MAP_TYPE_RHASH:
      // Resizable: elements are always allocated on demand.
      spec.value_size = sizeof(uint64_t);
      spec.flags = BPF_F_NO_PREALLOC;
      break;
    case BPF_MAP_TYPE_ARRAY_OF_MAPS:
    case BPF_MAP_TYPE_HASH_OF_MAPS: {
      probe::MapSpec inner_spec;
      inner_spec.type = BPF_MAP_TYPE_HASH;
      inner = probe::create_map(inner_spec, ctx);
      if (!inner.valid()) {
        BPFXX_DEBUG("probe of map type %d: cannot create the inner map: %s\n", map_type,
                    std::strerror(-inner.error()));
        return 0;
      }
      spec.inner_map_fd = inner.get();
      break;
    }
    case BPF_MAP_TYPE_HASH:
    case BPF_MAP_TYPE_ARRAY:
    case BPF_MAP_TYPE_PROG_ARRAY:
    case BPF_MAP_TYPE_PERF_EVENT_ARRAY:
    case BPF_MAP_TYPE_PERCPU_HASH:
    case BPF_MAP_TYPE_PERCPU_ARRAY:
    case BPF_MAP_TYPE_CGROUP_ARRAY:
    case BPF_MAP_TYPE_LRU_HASH:
    case BPF_MAP_TYPE_LRU_PERCPU_HASH:
    case BPF_MAP_TYPE_DEVMAP:
    case BPF_MAP_TYPE_DEVMAP_HASH:
    case BPF_MAP_TYPE_SOCKMAP:
    case BPF_MAP_TYPE_CPUMAP:
    case BPF_MAP_TYPE_XSKMAP:
    case BPF_MAP_TYPE_SOCKHASH:
    case BPF_MAP_TYPE_REUSEPORT_SOCKARRAY:
      break;
    case BPF_MAP_TYPE_UNSPEC:
    default:
      return -EOPNOTSUPP;
  }

  Fd map = probe::create_map(spec, ctx);
  BPFXX_DEBUG("probe of map type %s (%d): %s\n", type_label(map_type_name(map_type)), map_type,
              map.valid() ? "created" : std::strerror(-map.error()));
  if (expected_error != 0) return !map.valid() && map.error() == expected_error ? 1 : 0;
  return probe::created(map);
}

}  // namespace

int probe_prog_type(int prog_type, const probe::Context& ctx) noexcept {
  const bpf_insn insns[] = {insn::mov64_imm(BPF_REG_0, 0), insn::exit()};
  try {
    return try_load(prog_type, insns, nullptr, 0, ctx);
  } catch (const std::bad_alloc&) {
    return -ENOMEM;
  } catch (...) {
    return -EINVAL;
  }
}

int probe_map_type(int map_type, const probe::Context& ctx) noexcept {
  try {
    return try_create(map_type, ctx);
  } catch (const std::bad_alloc&) {
    return -ENOMEM;
  } catch (...) {
    return -EINVAL;
  }
}

int probe_helper(int prog_type, int helper_id, const probe::Context& ctx) noexcept {
  // These types only load with a real attach target, so a helper call in
  // them cannot be tried in isolation.
  switch (prog_type) {
    case BPF_PROG_TYPE_TRACING:
    case BPF_PROG_TYPE_EXT:
    case BPF_PROG_TYPE_LSM:
    case BPF_PROG_TYPE_STRUCT_OPS:
      return -EOPNOTSUPP;
    default:
      break;
  }
  const bpf_insn insns[] = {insn::call_helper(helper_id), insn::exit()};
  char log[4096];
  log[0] = '\0';
  int ret;
  try {
    ret = try_load(prog_type, insns, log, sizeof(log), ctx);
  } catch (const std::bad_alloc&) {
    return -ENOMEM;
  } catch (...) {
    return -EINVAL;
  }
  if (ret < 0) return ret;
  // The verifier names an unknown helper id "invalid func", and a known
  // helper the program type may not call "program of this type cannot use
  // helper" (older kernels: "unknown func"). Any other rejection is about
  // the arguments, which means the helper itself is allowed.
  if (ret == 0 && (std::strstr(log, "invalid func ") != nullptr || std::strstr(log, "unknown func ") != nullptr ||
                   std::strstr(log, "program of this type cannot use helper") != nullptr)) {
    return 0;
  }
  return 1;
}

}  // namespace bpfxx::sys
