// Shared helpers of the kernel tests.
#pragma once

#include <gtest/gtest.h>

#include <unistd.h>

// Every kernel test starts with this: without root the kernel refuses
// nearly everything, and the test reports a skip instead of a failure.
#define BPFXX_REQUIRE_ROOT()                                        \
  do {                                                              \
    if (geteuid() != 0) GTEST_SKIP() << "kernel tests need root";   \
  } while (0)

#include <bpf/btf.h>

#include <cstring>

namespace bpfxx::test {

// The running kernel's own BTF, parsed once per process (nullptr without
// /sys/kernel/btf/vmlinux). Tests use it as an oracle independent of the
// library's feature probes: what the kernel declares, it implements.
inline const struct btf* kernel_btf() {
  static const struct btf* vmlinux = btf__load_vmlinux_btf();
  return vmlinux;
}

// Whether the kernel's `enum enum_name` has the enumerator `name`
// ("bpf_cmd", "BPF_TOKEN_CREATE").
inline bool kernel_has_enumerator(const char* enum_name, const char* name) {
  const struct btf* b = kernel_btf();
  if (b == nullptr) return false;
  const __s32 id = btf__find_by_name_kind(b, enum_name, BTF_KIND_ENUM);
  if (id <= 0) return false;
  const struct btf_type* t = btf__type_by_id(b, static_cast<__u32>(id));
  const struct btf_enum* e = btf_enum(t);
  for (__u16 i = 0; i < btf_vlen(t); i++) {
    if (std::strcmp(btf__name_by_offset(b, e[i].name_off), name) == 0) return true;
  }
  return false;
}

// Whether the kernel's union bpf_attr has the field `field`: inside the
// member `command` ("query", "raw_tracepoint"), or, with command nullptr,
// inside one of its unnamed command structs (BPF_PROG_LOAD's "log_true_size").
inline bool kernel_attr_has_field(const char* command, const char* field) {
  const struct btf* b = kernel_btf();
  if (b == nullptr) return false;
  const __s32 id = btf__find_by_name_kind(b, "bpf_attr", BTF_KIND_UNION);
  if (id <= 0) return false;
  const struct btf_type* attr = btf__type_by_id(b, static_cast<__u32>(id));
  const struct btf_member* m = btf_members(attr);
  for (__u16 i = 0; i < btf_vlen(attr); i++) {
    const char* name = btf__name_by_offset(b, m[i].name_off);
    const bool wanted = command != nullptr ? std::strcmp(name, command) == 0 : name[0] == '\0';
    if (!wanted) continue;
    const struct btf_type* cmd = btf__type_by_id(b, m[i].type);
    if (cmd == nullptr || (!btf_is_struct(cmd) && !btf_is_union(cmd))) continue;
    const struct btf_member* f = btf_members(cmd);
    for (__u16 j = 0; j < btf_vlen(cmd); j++) {
      if (std::strcmp(btf__name_by_offset(b, f[j].name_off), field) == 0) return true;
    }
  }
  return false;
}

// Whether the struct or union `outer_name` of the kernel (bpf_link_info)
// has, at any depth of unnamed members, a member `command`
// ("raw_tracepoint") with a field `field` ("cookie").
inline bool kernel_member_has_field(const char* outer_name, const char* command, const char* field) {
  const struct btf* b = kernel_btf();
  if (b == nullptr) return false;
  __s32 id = btf__find_by_name_kind(b, outer_name, BTF_KIND_STRUCT);
  if (id <= 0) id = btf__find_by_name_kind(b, outer_name, BTF_KIND_UNION);
  if (id <= 0) return false;
  auto has_field = [&](const struct btf_type* t) {
    const struct btf_member* f = btf_members(t);
    for (__u16 j = 0; j < btf_vlen(t); j++) {
      if (std::strcmp(btf__name_by_offset(b, f[j].name_off), field) == 0) return true;
    }
    return false;
  };
  // Depth-first through unnamed members; a few levels are enough.
  const struct btf_type* stack[8] = {btf__type_by_id(b, static_cast<__u32>(id))};
  int depth = 1;
  while (depth > 0) {
    const struct btf_type* t = stack[--depth];
    const struct btf_member* m = btf_members(t);
    for (__u16 i = 0; i < btf_vlen(t); i++) {
      const struct btf_type* mt = btf__type_by_id(b, m[i].type);
      if (mt == nullptr || (!btf_is_struct(mt) && !btf_is_union(mt))) continue;
      const char* name = btf__name_by_offset(b, m[i].name_off);
      if (std::strcmp(name, command) == 0 && has_field(mt)) return true;
      if (name[0] == '\0' && depth < 8) stack[depth++] = mt;
    }
  }
  return false;
}

// Whether the kernel declares the function `name` (a kfunc such as
// "bpf_throw" or "bpf_task_from_pid").
inline bool kernel_has_func(const char* name) {
  const struct btf* b = kernel_btf();
  return b != nullptr && btf__find_by_name_kind(b, name, BTF_KIND_FUNC) > 0;
}

}  // namespace bpfxx::test
