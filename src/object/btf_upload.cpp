// Uploading the object's BTF: a copy rewritten for the running kernel is
// loaded, and its fd given to the object's BTF (btf__fd()), which maps and
// programs then reference.
//
// Like libbpf, a kernel that refuses the BTF only costs the BTF: maps and
// programs load without type information, unless the object cannot work
// without it (struct_ops maps, kfunc calls).
#include "object/btf_fixup.h"
#include "object/load.h"

#include "base/log.h"
#include "btf/load.h"
#include "sys/features.h"

#include <bpf/bpf.h>

#include <cerrno>
#include <cstring>
#include <new>
#include <vector>

namespace bpfxx::object {
namespace {

// The log buffer libbpf-style loaders start with when none is given.
constexpr uint32_t kLogSize = 1u << 20;

// What makes the BTF mandatory, or nullptr.
const char* btf_required_by(const bpf_object& obj) {
  if (!obj.struct_ops_shndx.empty()) return "struct_ops maps";
  for (const Extern& e : obj.externs) {
    if (e.kind == ExternKind::kKsymFunc) return "kfunc calls";
  }
  return nullptr;
}

// The bytes to upload: the object's BTF with the .ksyms DATASEC rewritten
// (on a copy) and every kind the kernel lacks replaced.
Result<std::vector<uint8_t>> kernel_bytes(const bpf_object& obj) {
  const ::btf& own = *obj.btf_data;
  if (!has_ksyms_datasec(own)) return btf::sanitized_for_kernel(own);
  const std::vector<uint8_t> raw = own.serialize(true, false);
  btf::ParseOptions po;
  po.name = obj.name;
  ::btf::Result copy = ::btf::parse(raw, po);
  if (!copy) return copy.failure();
  if (auto r = ksyms_for_kernel(**copy); !r) {
    BPFXX_WARN("%s: %s\n", obj.name.c_str(), r.message().c_str());
    return r.failure();
  }
  return btf::sanitized_for_kernel(**copy);
}

// BPF_BTF_LOAD of raw: first without a log; on failure again with one
// (the caller's kernel_log_buf, or ours, printed). Returns fd or -errno.
int load_with_log(const bpf_object& obj, const std::vector<uint8_t>& raw) {
  bpf_btf_load_opts o{};
  o.sz = sizeof o;
  if (obj.token_fd > 0) {
    o.token_fd = static_cast<uint32_t>(obj.token_fd);
    o.btf_flags |= BPF_F_TOKEN_FD;
  }
  char* user_buf = obj.opts.kernel_log_buf;
  const bool has_user_buf = user_buf != nullptr && obj.opts.kernel_log_size != 0;
  const uint32_t user_size = static_cast<uint32_t>(std::min<size_t>(obj.opts.kernel_log_size, UINT32_MAX));
  // A requested log level asks for the log of a successful load too.
  if (has_user_buf && obj.opts.kernel_log_level != 0) {
    o.log_buf = user_buf;
    o.log_size = user_size;
    o.log_level = 1;
    return bpf_btf_load(raw.data(), raw.size(), &o);
  }
  int fd = bpf_btf_load(raw.data(), raw.size(), &o);
  if (fd >= 0) return fd;
  const int err = fd;
  std::vector<char> own;
  if (has_user_buf) {
    o.log_buf = user_buf;
    o.log_size = user_size;
  } else {
    try {
      own.assign(kLogSize, 0);
    } catch (const std::bad_alloc&) {
      return err;
    }
    o.log_buf = own.data();
    o.log_size = kLogSize;
  }
  o.log_level = 1;
  fd = bpf_btf_load(raw.data(), raw.size(), &o);
  if (fd >= 0) return fd;  // a flaky first refusal: keep the BTF
  // The caller's buffer holds the log; ours is printed.
  if (!own.empty() && own[0] != 0) {
    own.back() = 0;
    BPFXX_WARN("-- BEGIN BTF LOAD LOG ---\n%s\n-- END BTF LOAD LOG --\n", own.data());
  }
  return err;
}

}  // namespace

Result<void> upload_btf(bpf_object& obj) {
  if (!obj.btf_data) return {};
  ::btf& own = *obj.btf_data;
  if (own.fd() >= 0) return {};  // loaded already (a caller's btf__load_into_kernel())
  const char* required = btf_required_by(obj);
  if (!sys::has_feature(sys::Feature::Btf)) {
    if (required != nullptr) {
      BPFXX_WARN("%s: the kernel does not support BTF, which %s need\n", obj.name.c_str(), required);
      return fail(EOPNOTSUPP, obj.name + ": kernel without BTF support");
    }
    BPFXX_INFO("%s: the kernel does not support BTF, loading without it\n", obj.name.c_str());
    return {};
  }
  Result<std::vector<uint8_t>> raw = [&]() -> Result<std::vector<uint8_t>> {
    try {
      return kernel_bytes(obj);
    } catch (const std::bad_alloc&) {
      return fail(ENOMEM, "out of memory");
    }
  }();
  int fd = raw ? load_with_log(obj, *raw) : -raw.error();
  if (fd < 0) {
    if (required != nullptr) {
      BPFXX_WARN("%s: loading .BTF into the kernel failed: %s; BTF is required by %s\n",
                 obj.name.c_str(), std::strerror(-fd), required);
      return fail(-fd, obj.name + ": kernel refused the object's BTF, which " + required + " need");
    }
    BPFXX_INFO("%s: loading .BTF into the kernel failed: %s; continuing without BTF\n",
               obj.name.c_str(), std::strerror(-fd));
    return {};
  }
  btf__set_fd(&own, fd);
  BPFXX_DEBUG("%s: BTF loaded into the kernel (fd %d)\n", obj.name.c_str(), fd);
  return {};
}

}  // namespace bpfxx::object
