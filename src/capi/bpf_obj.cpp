// Commands about BPF objects in general: pinning, ids, info, BTF upload,
// statistics and tokens.
#include <bpf/bpf.h>

#include "base/log.h"
#include "capi/attr.h"
#include "capi/errors.h"
#include "capi/opts.h"
#include "sys/bpf_syscall.h"
#include "sys/memlock.h"

#include <climits>
#include <cstring>

using bpfxx::capi::err;
using bpfxx::capi::ptr_to_u64;
using bpfxx::capi::zeroed_attr;
namespace sys = bpfxx::sys;

namespace {

int get_next_id(int cmd, __u32 start_id, __u32* next_id) {
  if (next_id == nullptr) return err(-EINVAL);
  const unsigned int attr_size = BPFXX_ATTR_SIZE(open_flags);
  union bpf_attr attr = zeroed_attr(attr_size);
  attr.start_id = start_id;
  int rc = static_cast<int>(sys::bpf(cmd, &attr, attr_size));
  if (rc == 0) *next_id = attr.next_id;
  return err(rc);
}

// The *_GET_FD_BY_ID commands share one layout; the id field is a union.
// Only BPF_BTF_GET_FD_BY_ID takes a token (libbpf passes it there alone).
int get_fd_by_id(int cmd, __u32 id, const struct bpf_get_fd_by_id_opts* opts) {
  if (!BPFXX_OPTS_VALID(opts, bpf_get_fd_by_id_opts)) return err(-EINVAL);
  const bool with_token = cmd == BPF_BTF_GET_FD_BY_ID;
  const unsigned int attr_size = with_token ? BPFXX_ATTR_SIZE(fd_by_id_token_fd) : BPFXX_ATTR_SIZE(open_flags);
  union bpf_attr attr = zeroed_attr(attr_size);
  attr.prog_id = id;
  attr.open_flags = BPFXX_OPTS_GET(opts, open_flags, 0);
  if (with_token) attr.fd_by_id_token_fd = BPFXX_OPTS_GET(opts, token_fd, 0);
  return err(sys::bpf_fd(cmd, &attr, attr_size));
}

constexpr unsigned int kPathAttrSize = BPFXX_ATTR_SIZE(path_fd);

// BPF_OBJ_PIN and BPF_OBJ_GET name a bpffs path the same way (relative to
// path_fd with BPF_F_PATH_FD in file_flags). Fills attr's first
// kPathAttrSize bytes, or warns as func and returns -EINVAL without a path.
template <class Opts>
int path_attr(const char* func, const char* pathname, const Opts* opts, union bpf_attr& attr) {
  if (pathname == nullptr) {
    BPFXX_WARN("%s: pathname must not be NULL\n", func);
    return -EINVAL;
  }
  std::memset(&attr, 0, kPathAttrSize);
  attr.path_fd = static_cast<__u32>(BPFXX_OPTS_GET(opts, path_fd, 0));
  attr.pathname = ptr_to_u64(pathname);
  attr.file_flags = BPFXX_OPTS_GET(opts, file_flags, 0);
  return 0;
}

}  // namespace

extern "C" {

int bpf_obj_pin_opts(int fd, const char* pathname, const struct bpf_obj_pin_opts* opts) {
  if (!BPFXX_OPTS_VALID(opts, bpf_obj_pin_opts)) return err(-EINVAL);
  union bpf_attr attr;
  if (int rc = path_attr("bpf_obj_pin", pathname, opts, attr); rc < 0) return err(rc);
  attr.bpf_fd = static_cast<__u32>(fd);
  return err(static_cast<int>(sys::bpf(BPF_OBJ_PIN, &attr, kPathAttrSize)));
}

int bpf_obj_pin(int fd, const char* pathname) { return bpf_obj_pin_opts(fd, pathname, nullptr); }

int bpf_obj_get_opts(const char* pathname, const struct bpf_obj_get_opts* opts) {
  if (!BPFXX_OPTS_VALID(opts, bpf_obj_get_opts)) return err(-EINVAL);
  union bpf_attr attr;
  if (int rc = path_attr("bpf_obj_get", pathname, opts, attr); rc < 0) return err(rc);
  return err(sys::bpf_fd(BPF_OBJ_GET, &attr, kPathAttrSize));
}

int bpf_obj_get(const char* pathname) { return bpf_obj_get_opts(pathname, nullptr); }

int bpf_prog_get_next_id(__u32 start_id, __u32* next_id) {
  return get_next_id(BPF_PROG_GET_NEXT_ID, start_id, next_id);
}
int bpf_map_get_next_id(__u32 start_id, __u32* next_id) {
  return get_next_id(BPF_MAP_GET_NEXT_ID, start_id, next_id);
}
int bpf_btf_get_next_id(__u32 start_id, __u32* next_id) {
  return get_next_id(BPF_BTF_GET_NEXT_ID, start_id, next_id);
}
int bpf_link_get_next_id(__u32 start_id, __u32* next_id) {
  return get_next_id(BPF_LINK_GET_NEXT_ID, start_id, next_id);
}

int bpf_prog_get_fd_by_id_opts(__u32 id, const struct bpf_get_fd_by_id_opts* opts) {
  return get_fd_by_id(BPF_PROG_GET_FD_BY_ID, id, opts);
}
int bpf_map_get_fd_by_id_opts(__u32 id, const struct bpf_get_fd_by_id_opts* opts) {
  return get_fd_by_id(BPF_MAP_GET_FD_BY_ID, id, opts);
}
int bpf_btf_get_fd_by_id_opts(__u32 id, const struct bpf_get_fd_by_id_opts* opts) {
  return get_fd_by_id(BPF_BTF_GET_FD_BY_ID, id, opts);
}
int bpf_link_get_fd_by_id_opts(__u32 id, const struct bpf_get_fd_by_id_opts* opts) {
  return get_fd_by_id(BPF_LINK_GET_FD_BY_ID, id, opts);
}
int bpf_prog_get_fd_by_id(__u32 id) { return bpf_prog_get_fd_by_id_opts(id, nullptr); }
int bpf_map_get_fd_by_id(__u32 id) { return bpf_map_get_fd_by_id_opts(id, nullptr); }
int bpf_btf_get_fd_by_id(__u32 id) { return bpf_btf_get_fd_by_id_opts(id, nullptr); }
int bpf_link_get_fd_by_id(__u32 id) { return bpf_link_get_fd_by_id_opts(id, nullptr); }

int bpf_obj_get_info_by_fd(int bpf_fd, void* info, __u32* info_len) {
  if (info == nullptr || info_len == nullptr) return err(-EINVAL);
  const unsigned int attr_size = BPFXX_ATTR_SIZE(info);
  union bpf_attr attr = zeroed_attr(attr_size);
  attr.info.bpf_fd = static_cast<__u32>(bpf_fd);
  attr.info.info_len = *info_len;
  attr.info.info = ptr_to_u64(info);
  int rc = static_cast<int>(sys::bpf(BPF_OBJ_GET_INFO_BY_FD, &attr, attr_size));
  if (rc == 0) *info_len = attr.info.info_len;
  return err(rc);
}

int bpf_prog_get_info_by_fd(int prog_fd, struct bpf_prog_info* info, __u32* info_len) {
  return bpf_obj_get_info_by_fd(prog_fd, info, info_len);
}
int bpf_map_get_info_by_fd(int map_fd, struct bpf_map_info* info, __u32* info_len) {
  return bpf_obj_get_info_by_fd(map_fd, info, info_len);
}
int bpf_btf_get_info_by_fd(int btf_fd, struct bpf_btf_info* info, __u32* info_len) {
  return bpf_obj_get_info_by_fd(btf_fd, info, info_len);
}
int bpf_link_get_info_by_fd(int link_fd, struct bpf_link_info* info, __u32* info_len) {
  return bpf_obj_get_info_by_fd(link_fd, info, info_len);
}

int bpf_btf_load(const void* btf_data, size_t btf_size, struct bpf_btf_load_opts* opts) {
  if (!BPFXX_OPTS_VALID(opts, bpf_btf_load_opts)) return err(-EINVAL);
  bpfxx::sys::bump_memlock_rlimit();
  if (btf_data == nullptr || btf_size == 0 || btf_size > UINT32_MAX) return err(-EINVAL);
  char* log_buf = BPFXX_OPTS_GET(opts, log_buf, nullptr);
  __u32 log_size = BPFXX_OPTS_GET(opts, log_size, 0);
  __u32 log_level = BPFXX_OPTS_GET(opts, log_level, 0);
  if ((log_buf != nullptr) != (log_size != 0)) return err(-EINVAL);

  const unsigned int attr_size = BPFXX_ATTR_SIZE(btf_token_fd);
  union bpf_attr attr = zeroed_attr(attr_size);
  attr.btf = ptr_to_u64(btf_data);
  attr.btf_size = static_cast<__u32>(btf_size);
  attr.btf_flags = BPFXX_OPTS_GET(opts, btf_flags, 0);
  // As in libbpf, the caller sets BPF_F_TOKEN_FD in btf_flags with a token.
  attr.btf_token_fd = BPFXX_OPTS_GET(opts, token_fd, 0);
  if (log_level != 0) {
    attr.btf_log_buf = ptr_to_u64(log_buf);
    attr.btf_log_size = log_size;
    attr.btf_log_level = log_level;
  }
  int fd = sys::bpf_fd(BPF_BTF_LOAD, &attr, attr_size);
  // As for programs: a buffer at level 0 asks for a log only on failure.
  if (fd < 0 && log_buf != nullptr && log_level == 0) {
    attr.btf_log_buf = ptr_to_u64(log_buf);
    attr.btf_log_size = log_size;
    attr.btf_log_level = 1;
    fd = sys::bpf_fd(BPF_BTF_LOAD, &attr, attr_size);
  }
  if (BPFXX_OPTS_HAS(opts, log_true_size)) opts->log_true_size = attr.btf_log_true_size;
  return err(fd);
}

int bpf_enable_stats(int type) {
  const unsigned int attr_size = BPFXX_ATTR_SIZE(enable_stats);
  union bpf_attr attr = zeroed_attr(attr_size);
  attr.enable_stats.type = static_cast<__u32>(type);
  return err(sys::bpf_fd(BPF_ENABLE_STATS, &attr, attr_size));
}

int bpf_token_create(int bpffs_fd, struct bpf_token_create_opts* opts) {
  if (!BPFXX_OPTS_VALID(opts, bpf_token_create_opts)) return err(-EINVAL);
  const unsigned int attr_size = BPFXX_ATTR_SIZE(token_create);
  union bpf_attr attr = zeroed_attr(attr_size);
  attr.token_create.bpffs_fd = static_cast<__u32>(bpffs_fd);
  attr.token_create.flags = BPFXX_OPTS_GET(opts, flags, 0);
  return err(sys::bpf_fd(BPF_TOKEN_CREATE, &attr, attr_size));
}

}  // extern "C"
