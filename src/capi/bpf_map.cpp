// The map commands of <bpf/bpf.h>: create, element operations, batches, freeze.
#include <bpf/bpf.h>

#include "base/log.h"
#include "capi/attr.h"
#include "capi/errors.h"
#include "capi/opts.h"
#include "sys/bpf_syscall.h"
#include "sys/features.h"
#include "sys/memlock.h"

#include <cstring>

using bpfxx::capi::err;
using bpfxx::capi::ptr_to_u64;
using bpfxx::capi::zeroed_attr;
namespace sys = bpfxx::sys;

namespace {

int map_elem_cmd(int cmd, int fd, const void* key, const void* value, __u64 flags) {
  const unsigned int attr_size = BPFXX_ATTR_SIZE(flags);
  union bpf_attr attr = zeroed_attr(attr_size);
  attr.map_fd = static_cast<__u32>(fd);
  attr.key = ptr_to_u64(key);
  attr.value = ptr_to_u64(value);
  attr.flags = flags;
  return err(static_cast<int>(sys::bpf(cmd, &attr, attr_size)));
}

int map_batch_cmd(int cmd, int fd, void* in_batch, void* out_batch, void* keys, void* values,
                  __u32* count, const struct bpf_map_batch_opts* opts) {
  if (!BPFXX_OPTS_VALID(opts, bpf_map_batch_opts)) return err(-EINVAL);
  if (count == nullptr) {
    BPFXX_WARN("map batch operation: count must not be NULL\n");
    return err(-EINVAL);
  }
  const unsigned int attr_size = BPFXX_ATTR_SIZE(batch);
  union bpf_attr attr = zeroed_attr(attr_size);
  attr.batch.map_fd = static_cast<__u32>(fd);
  attr.batch.in_batch = ptr_to_u64(in_batch);
  attr.batch.out_batch = ptr_to_u64(out_batch);
  attr.batch.keys = ptr_to_u64(keys);
  attr.batch.values = ptr_to_u64(values);
  attr.batch.count = *count;
  attr.batch.elem_flags = BPFXX_OPTS_GET(opts, elem_flags, 0);
  attr.batch.flags = BPFXX_OPTS_GET(opts, flags, 0);
  int rc = static_cast<int>(sys::bpf(cmd, &attr, attr_size));
  // The kernel reports how far it got even when it fails part-way.
  *count = attr.batch.count;
  return err(rc);
}

}  // namespace

extern "C" {

int bpf_map_create(enum bpf_map_type map_type, const char* map_name, __u32 key_size,
                   __u32 value_size, __u32 max_entries, const struct bpf_map_create_opts* opts) {
  if (!BPFXX_OPTS_VALID(opts, bpf_map_create_opts)) return err(-EINVAL);
  bpfxx::sys::bump_memlock_rlimit();
  const unsigned int attr_size = BPFXX_ATTR_SIZE(excl_prog_hash_size);
  union bpf_attr attr = zeroed_attr(attr_size);
  attr.map_type = map_type;
  if (map_name != nullptr) {
    // The kernel keeps at most BPF_OBJ_NAME_LEN - 1 characters.
    std::strncpy(attr.map_name, map_name, sizeof(attr.map_name) - 1);
  }
  attr.key_size = key_size;
  attr.value_size = value_size;
  attr.max_entries = max_entries;
  attr.btf_fd = BPFXX_OPTS_GET(opts, btf_fd, 0);
  attr.btf_key_type_id = BPFXX_OPTS_GET(opts, btf_key_type_id, 0);
  attr.btf_value_type_id = BPFXX_OPTS_GET(opts, btf_value_type_id, 0);
  attr.btf_vmlinux_value_type_id = BPFXX_OPTS_GET(opts, btf_vmlinux_value_type_id, 0);
  attr.value_type_btf_obj_fd = BPFXX_OPTS_GET(opts, value_type_btf_obj_fd, 0);
  attr.inner_map_fd = BPFXX_OPTS_GET(opts, inner_map_fd, 0);
  attr.map_flags = BPFXX_OPTS_GET(opts, map_flags, 0);
  attr.map_extra = BPFXX_OPTS_GET(opts, map_extra, 0);
  attr.numa_node = BPFXX_OPTS_GET(opts, numa_node, 0);
  attr.map_ifindex = BPFXX_OPTS_GET(opts, map_ifindex, 0);
  // As in libbpf, the caller sets BPF_F_TOKEN_FD in map_flags with a token.
  attr.map_token_fd = BPFXX_OPTS_GET(opts, token_fd, 0);
  attr.excl_prog_hash = ptr_to_u64(BPFXX_OPTS_GET(opts, excl_prog_hash, nullptr));
  attr.excl_prog_hash_size = BPFXX_OPTS_GET(opts, excl_prog_hash_size, 0);

  struct bpf_log_opts* log_opts = BPFXX_OPTS_GET(opts, log_opts, nullptr);
  if (!BPFXX_OPTS_VALID(log_opts, bpf_log_opts)) return err(-EINVAL);
  char* log_buf = BPFXX_OPTS_GET(log_opts, buf, nullptr);
  __u32 log_size = BPFXX_OPTS_GET(log_opts, size, 0);
  if ((log_buf != nullptr) != (log_size != 0)) return err(-EINVAL);

  // Only kernels with BPF_COMMON_ATTRS can explain a failed map creation;
  // elsewhere the log stays empty and true_size reads 0.
  if (log_opts != nullptr && bpfxx::sys::has_feature(bpfxx::sys::Feature::CommonAttrs)) {
    struct bpf_common_attr common;
    std::memset(&common, 0, sizeof(common));
    common.log_buf = ptr_to_u64(log_buf);
    common.log_size = log_size;
    common.log_level = BPFXX_OPTS_GET(log_opts, level, 0);
    int fd = sys::bpf_common_fd(BPF_MAP_CREATE, &attr, attr_size, &common);
    if (BPFXX_OPTS_HAS(log_opts, true_size)) log_opts->true_size = common.log_true_size;
    return err(fd);
  }
  if (BPFXX_OPTS_HAS(log_opts, true_size)) log_opts->true_size = 0;
  return err(sys::bpf_fd(BPF_MAP_CREATE, &attr, attr_size));
}

int bpf_map_update_elem(int fd, const void* key, const void* value, __u64 flags) {
  if (value == nullptr) return err(-EINVAL);
  return map_elem_cmd(BPF_MAP_UPDATE_ELEM, fd, key, value, flags);
}

int bpf_map_lookup_elem(int fd, const void* key, void* value) {
  if (value == nullptr) return err(-EINVAL);
  return map_elem_cmd(BPF_MAP_LOOKUP_ELEM, fd, key, value, 0);
}

int bpf_map_lookup_elem_flags(int fd, const void* key, void* value, __u64 flags) {
  if (value == nullptr) return err(-EINVAL);
  return map_elem_cmd(BPF_MAP_LOOKUP_ELEM, fd, key, value, flags);
}

int bpf_map_lookup_and_delete_elem(int fd, const void* key, void* value) {
  return map_elem_cmd(BPF_MAP_LOOKUP_AND_DELETE_ELEM, fd, key, value, 0);
}

int bpf_map_lookup_and_delete_elem_flags(int fd, const void* key, void* value, __u64 flags) {
  return map_elem_cmd(BPF_MAP_LOOKUP_AND_DELETE_ELEM, fd, key, value, flags);
}

int bpf_map_delete_elem(int fd, const void* key) {
  return map_elem_cmd(BPF_MAP_DELETE_ELEM, fd, key, nullptr, 0);
}

int bpf_map_delete_elem_flags(int fd, const void* key, __u64 flags) {
  return map_elem_cmd(BPF_MAP_DELETE_ELEM, fd, key, nullptr, flags);
}

int bpf_map_get_next_key(int fd, const void* key, void* next_key) {
  if (next_key == nullptr) return err(-EINVAL);
  const unsigned int attr_size = BPFXX_ATTR_SIZE(next_key);
  union bpf_attr attr = zeroed_attr(attr_size);
  attr.map_fd = static_cast<__u32>(fd);
  attr.key = ptr_to_u64(key);
  attr.next_key = ptr_to_u64(next_key);
  return err(static_cast<int>(sys::bpf(BPF_MAP_GET_NEXT_KEY, &attr, attr_size)));
}

int bpf_map_freeze(int fd) {
  const unsigned int attr_size = BPFXX_ATTR_SIZE(map_fd);
  union bpf_attr attr = zeroed_attr(attr_size);
  attr.map_fd = static_cast<__u32>(fd);
  return err(static_cast<int>(sys::bpf(BPF_MAP_FREEZE, &attr, attr_size)));
}

int bpf_map_delete_batch(int fd, const void* keys, __u32* count,
                         const struct bpf_map_batch_opts* opts) {
  return map_batch_cmd(BPF_MAP_DELETE_BATCH, fd, nullptr, nullptr, const_cast<void*>(keys), nullptr,
                       count, opts);
}

int bpf_map_lookup_batch(int fd, void* in_batch, void* out_batch, void* keys, void* values,
                         __u32* count, const struct bpf_map_batch_opts* opts) {
  return map_batch_cmd(BPF_MAP_LOOKUP_BATCH, fd, in_batch, out_batch, keys, values, count, opts);
}

int bpf_map_lookup_and_delete_batch(int fd, void* in_batch, void* out_batch, void* keys,
                                    void* values, __u32* count,
                                    const struct bpf_map_batch_opts* opts) {
  return map_batch_cmd(BPF_MAP_LOOKUP_AND_DELETE_BATCH, fd, in_batch, out_batch, keys, values,
                       count, opts);
}

int bpf_map_update_batch(int fd, const void* keys, const void* values, __u32* count,
                         const struct bpf_map_batch_opts* opts) {
  return map_batch_cmd(BPF_MAP_UPDATE_BATCH, fd, nullptr, nullptr, const_cast<void*>(keys),
                       const_cast<void*>(values), count, opts);
}

}  // extern "C"
