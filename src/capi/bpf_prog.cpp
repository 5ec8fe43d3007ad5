// The program commands of <bpf/bpf.h>: load, test run, map binding,
// stream reading and struct_ops association.
#include <bpf/bpf.h>

#include "base/log.h"
#include "capi/attr.h"
#include "capi/errors.h"
#include "capi/opts.h"
#include "sys/bpf_syscall.h"
#include "sys/memlock.h"

#include <climits>
#include <cstring>
#include <vector>

using bpfxx::capi::err;
using bpfxx::capi::ptr_to_u64;
using bpfxx::capi::zeroed_attr;
namespace sys = bpfxx::sys;

namespace {

// libbpf retries an EAGAIN load this many times unless told otherwise.
constexpr int kDefaultLoadAttempts = 5;

// A kernel that knows smaller func_info/line_info records than the caller
// passes rejects the load with E2BIG when the bytes it does not know are
// non-zero, and writes the record size it knows into *rec_size. The extra
// bytes mean nothing to that kernel: a copy of the records with them zeroed
// (records keep the caller's size) loads. Returns whether it made the copy
// (into `storage`, now pointed to by *records).
bool zero_unknown_record_tails(__u64* records, __u32 count, __u32 caller_rec_size, __u32* rec_size,
                               std::vector<unsigned char>& storage) {
  const __u32 known = *rec_size;
  if (count == 0 || *records == 0 || known == 0 || known >= caller_rec_size) return false;
  const size_t bytes = static_cast<size_t>(count) * caller_rec_size;
  storage.assign(reinterpret_cast<const unsigned char*>(static_cast<uintptr_t>(*records)),
                 reinterpret_cast<const unsigned char*>(static_cast<uintptr_t>(*records)) + bytes);
  for (__u32 i = 0; i < count; i++) {
    unsigned char* rec = storage.data() + static_cast<size_t>(i) * caller_rec_size;
    std::memset(rec + known, 0, caller_rec_size - known);
  }
  *records = ptr_to_u64(storage.data());
  *rec_size = caller_rec_size;
  return true;
}

int prog_load(enum bpf_prog_type prog_type, const char* prog_name, const char* license,
              const struct bpf_insn* insns, size_t insn_cnt, struct bpf_prog_load_opts* opts) {
  if (!BPFXX_OPTS_VALID(opts, bpf_prog_load_opts)) return err(-EINVAL);
  if (insn_cnt > UINT32_MAX) {
    BPFXX_WARN("prog '%s': %zu instructions do not fit the kernel's 32-bit count\n",
               prog_name ? prog_name : "", insn_cnt);
    return err(-E2BIG);
  }
  if (insns == nullptr && insn_cnt != 0) {
    BPFXX_WARN("prog '%s': insns is NULL but insn_cnt is %zu\n", prog_name ? prog_name : "", insn_cnt);
    return err(-EINVAL);
  }
  bpfxx::sys::bump_memlock_rlimit();
  int attempts = BPFXX_OPTS_GET(opts, attempts, 0);
  if (attempts < 0) return err(-EINVAL);
  if (attempts == 0) attempts = kDefaultLoadAttempts;

  char* log_buf = BPFXX_OPTS_GET(opts, log_buf, nullptr);
  __u32 log_size = BPFXX_OPTS_GET(opts, log_size, 0);
  __u32 log_level = BPFXX_OPTS_GET(opts, log_level, 0);
  // A buffer without a size, or a size without a buffer, is a caller bug.
  if ((log_buf != nullptr) != (log_size != 0)) return err(-EINVAL);

  const unsigned int attr_size = BPFXX_ATTR_SIZE(fd_array_cnt);
  union bpf_attr attr = zeroed_attr(attr_size);
  attr.prog_type = prog_type;
  attr.expected_attach_type = BPFXX_OPTS_GET(opts, expected_attach_type, static_cast<bpf_attach_type>(0));
  attr.prog_flags = BPFXX_OPTS_GET(opts, prog_flags, 0);
  attr.prog_ifindex = BPFXX_OPTS_GET(opts, prog_ifindex, 0);
  attr.kern_version = BPFXX_OPTS_GET(opts, kern_version, 0);
  // As in libbpf, the caller sets BPF_F_TOKEN_FD in prog_flags with a token.
  attr.prog_token_fd = BPFXX_OPTS_GET(opts, token_fd, 0);
  if (prog_name != nullptr) std::strncpy(attr.prog_name, prog_name, sizeof(attr.prog_name) - 1);
  attr.license = ptr_to_u64(license);
  attr.insns = ptr_to_u64(insns);
  attr.insn_cnt = static_cast<__u32>(insn_cnt);

  __u32 attach_prog_fd = BPFXX_OPTS_GET(opts, attach_prog_fd, 0);
  __u32 attach_btf_obj_fd = BPFXX_OPTS_GET(opts, attach_btf_obj_fd, 0);
  // The two share one attr field: the target is either a program or a BTF object.
  if (attach_prog_fd != 0 && attach_btf_obj_fd != 0) return err(-EINVAL);
  attr.attach_btf_id = BPFXX_OPTS_GET(opts, attach_btf_id, 0);
  if (attach_prog_fd != 0)
    attr.attach_prog_fd = attach_prog_fd;
  else
    attr.attach_btf_obj_fd = attach_btf_obj_fd;

  attr.prog_btf_fd = BPFXX_OPTS_GET(opts, prog_btf_fd, 0);
  attr.func_info_rec_size = BPFXX_OPTS_GET(opts, func_info_rec_size, 0);
  attr.func_info = ptr_to_u64(BPFXX_OPTS_GET(opts, func_info, nullptr));
  attr.func_info_cnt = BPFXX_OPTS_GET(opts, func_info_cnt, 0);
  attr.line_info_rec_size = BPFXX_OPTS_GET(opts, line_info_rec_size, 0);
  attr.line_info = ptr_to_u64(BPFXX_OPTS_GET(opts, line_info, nullptr));
  attr.line_info_cnt = BPFXX_OPTS_GET(opts, line_info_cnt, 0);
  attr.fd_array = ptr_to_u64(BPFXX_OPTS_GET(opts, fd_array, nullptr));
  attr.fd_array_cnt = BPFXX_OPTS_GET(opts, fd_array_cnt, 0);

  if (log_level != 0) {
    attr.log_buf = ptr_to_u64(log_buf);
    attr.log_size = log_size;
    attr.log_level = log_level;
  }
  int fd = sys::prog_load(&attr, attr_size, attempts);
  if (BPFXX_OPTS_HAS(opts, log_true_size)) opts->log_true_size = attr.log_true_size;

  // Records in a newer format than the kernel knows: retry with their
  // unknown parts zeroed (see zero_unknown_record_tails), once per kind.
  std::vector<unsigned char> func_info_storage, line_info_storage;
  const __u32 func_rec = BPFXX_OPTS_GET(opts, func_info_rec_size, 0);
  const __u32 line_rec = BPFXX_OPTS_GET(opts, line_info_rec_size, 0);
  while (fd == -E2BIG) {
    bool changed = false;
    if (func_info_storage.empty() &&
        zero_unknown_record_tails(&attr.func_info, attr.func_info_cnt, func_rec, &attr.func_info_rec_size,
                                  func_info_storage)) {
      changed = true;
    } else if (line_info_storage.empty() &&
               zero_unknown_record_tails(&attr.line_info, attr.line_info_cnt, line_rec,
                                         &attr.line_info_rec_size, line_info_storage)) {
      changed = true;
    }
    if (!changed) break;
    fd = sys::prog_load(&attr, attr_size, attempts);
  }
  if (fd >= 0) return fd;

  // A buffer with log_level 0 means "no log unless it fails": the load is
  // repeated at level 1 so the caller gets the verifier's reason.
  if (log_level == 0 && log_buf != nullptr) {
    attr.log_buf = ptr_to_u64(log_buf);
    attr.log_size = log_size;
    attr.log_level = 1;
    fd = sys::prog_load(&attr, attr_size, attempts);
    if (BPFXX_OPTS_HAS(opts, log_true_size)) opts->log_true_size = attr.log_true_size;
  }
  return err(fd);
}

}  // namespace

extern "C" {

int bpf_prog_load(enum bpf_prog_type prog_type, const char* prog_name, const char* license,
                  const struct bpf_insn* insns, size_t insn_cnt, struct bpf_prog_load_opts* opts) {
  return bpfxx::capi::guard([&] { return prog_load(prog_type, prog_name, license, insns, insn_cnt, opts); });
}

int bpf_prog_test_run_opts(int prog_fd, struct bpf_test_run_opts* opts) {
  if (!BPFXX_OPTS_VALID(opts, bpf_test_run_opts)) return err(-EINVAL);
  const unsigned int attr_size = BPFXX_ATTR_SIZE(test);
  union bpf_attr attr = zeroed_attr(attr_size);
  attr.test.prog_fd = static_cast<__u32>(prog_fd);
  attr.test.batch_size = BPFXX_OPTS_GET(opts, batch_size, 0);
  attr.test.cpu = BPFXX_OPTS_GET(opts, cpu, 0);
  attr.test.flags = BPFXX_OPTS_GET(opts, flags, 0);
  attr.test.repeat = BPFXX_OPTS_GET(opts, repeat, 0);
  attr.test.duration = BPFXX_OPTS_GET(opts, duration, 0);
  attr.test.ctx_size_in = BPFXX_OPTS_GET(opts, ctx_size_in, 0);
  attr.test.ctx_size_out = BPFXX_OPTS_GET(opts, ctx_size_out, 0);
  attr.test.data_size_in = BPFXX_OPTS_GET(opts, data_size_in, 0);
  attr.test.data_size_out = BPFXX_OPTS_GET(opts, data_size_out, 0);
  attr.test.ctx_in = ptr_to_u64(BPFXX_OPTS_GET(opts, ctx_in, nullptr));
  attr.test.ctx_out = ptr_to_u64(BPFXX_OPTS_GET(opts, ctx_out, nullptr));
  attr.test.data_in = ptr_to_u64(BPFXX_OPTS_GET(opts, data_in, nullptr));
  attr.test.data_out = ptr_to_u64(BPFXX_OPTS_GET(opts, data_out, nullptr));

  int rc = static_cast<int>(sys::bpf(BPF_PROG_TEST_RUN, &attr, attr_size));
  if (BPFXX_OPTS_HAS(opts, data_size_out)) opts->data_size_out = attr.test.data_size_out;
  if (BPFXX_OPTS_HAS(opts, ctx_size_out)) opts->ctx_size_out = attr.test.ctx_size_out;
  if (BPFXX_OPTS_HAS(opts, duration)) opts->duration = attr.test.duration;
  if (BPFXX_OPTS_HAS(opts, retval)) opts->retval = attr.test.retval;
  return err(rc);
}

int bpf_prog_bind_map(int prog_fd, int map_fd, const struct bpf_prog_bind_opts* opts) {
  if (!BPFXX_OPTS_VALID(opts, bpf_prog_bind_opts)) return err(-EINVAL);
  const unsigned int attr_size = BPFXX_ATTR_SIZE(prog_bind_map);
  union bpf_attr attr = zeroed_attr(attr_size);
  attr.prog_bind_map.prog_fd = static_cast<__u32>(prog_fd);
  attr.prog_bind_map.map_fd = static_cast<__u32>(map_fd);
  attr.prog_bind_map.flags = BPFXX_OPTS_GET(opts, flags, 0);
  return err(static_cast<int>(sys::bpf(BPF_PROG_BIND_MAP, &attr, attr_size)));
}

int bpf_prog_stream_read(int prog_fd, __u32 stream_id, void* buf, __u32 buf_len,
                         struct bpf_prog_stream_read_opts* opts) {
  if (!BPFXX_OPTS_VALID(opts, bpf_prog_stream_read_opts)) return err(-EINVAL);
  if (buf == nullptr && buf_len != 0) return err(-EINVAL);
  const unsigned int attr_size = BPFXX_ATTR_SIZE(prog_stream_read);
  union bpf_attr attr = zeroed_attr(attr_size);
  attr.prog_stream_read.stream_buf = ptr_to_u64(buf);
  attr.prog_stream_read.stream_buf_len = buf_len;
  attr.prog_stream_read.stream_id = stream_id;
  attr.prog_stream_read.prog_fd = static_cast<__u32>(prog_fd);
  return err(static_cast<int>(
      sys::bpf(BPF_PROG_STREAM_READ_BY_FD, &attr, attr_size)));
}

int bpf_prog_assoc_struct_ops(int prog_fd, int map_fd, struct bpf_prog_assoc_struct_ops_opts* opts) {
  if (!BPFXX_OPTS_VALID(opts, bpf_prog_assoc_struct_ops_opts)) return err(-EINVAL);
  const unsigned int attr_size = BPFXX_ATTR_SIZE(prog_assoc_struct_ops);
  union bpf_attr attr = zeroed_attr(attr_size);
  attr.prog_assoc_struct_ops.map_fd = static_cast<__u32>(map_fd);
  attr.prog_assoc_struct_ops.prog_fd = static_cast<__u32>(prog_fd);
  attr.prog_assoc_struct_ops.flags = BPFXX_OPTS_GET(opts, flags, 0);
  return err(static_cast<int>(
      sys::bpf(BPF_PROG_ASSOC_STRUCT_OPS, &attr, attr_size)));
}

}  // extern "C"
