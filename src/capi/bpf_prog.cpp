// The program commands of <bpf/bpf.h>: load, test run, map binding,
// stream reading and struct_ops association.
#include <bpf/bpf.h>

#include "base/log.h"
#include "capi/attr.h"
#include "capi/errors.h"
#include "capi/opts.h"
#include "sys/bpf_syscall.h"

#include <climits>
#include <cstring>

using bpfxx::capi::err;
using bpfxx::capi::ptr_to_u64;
using bpfxx::capi::zeroed_attr;
namespace sys = bpfxx::sys;

namespace {

// libbpf retries an EAGAIN load this many times unless told otherwise.
constexpr int kDefaultLoadAttempts = 5;

}  // namespace

extern "C" {

int bpf_prog_load(enum bpf_prog_type prog_type, const char* prog_name, const char* license,
                  const struct bpf_insn* insns, size_t insn_cnt, struct bpf_prog_load_opts* opts) {
  if (!BPFXX_OPTS_VALID(opts, bpf_prog_load_opts)) return err(-EINVAL);
  if (insns == nullptr || insn_cnt == 0 || insn_cnt > UINT32_MAX) {
    BPFXX_WARN("prog '%s': no instructions, or too many (%zu)\n", prog_name ? prog_name : "", insn_cnt);
    return err(-EINVAL);
  }
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
  attr.prog_token_fd = BPFXX_OPTS_GET(opts, token_fd, 0);
  if (attr.prog_token_fd != 0) attr.prog_flags |= BPF_F_TOKEN_FD;
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
