#include "sys/probe_support.h"

#include "sys/bpf_syscall.h"
#include "sys/files.h"
#include "sys/kernel.h"

#include <sys/utsname.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>

namespace bpfxx::sys::probe {
namespace {

// Retries of BPF_PROG_LOAD on EAGAIN, as for any load.
constexpr int kLoadAttempts = 5;

uint64_t ptr_to_u64(const void* p) noexcept { return reinterpret_cast<uintptr_t>(p); }

void copy_name(char (&dst)[BPF_OBJ_NAME_LEN], const char* name) noexcept {
  if (name == nullptr) return;
  // The kernel wants a NUL inside the 16 bytes; longer names are cut.
  std::size_t n = strnlen(name, sizeof(dst) - 1);
  std::memcpy(dst, name, n);
}

// "x.y.z" at the start of s as a version code, or 0.
uint32_t parse_version(const char* s) noexcept {
  unsigned major = 0, minor = 0, patch = 0;
  if (s == nullptr || std::sscanf(s, "%u.%u.%u", &major, &minor, &patch) != 3) return 0;
  if (major > 255 || minor > 255) return 0;
  // The kernel's KERNEL_VERSION() saturates the sublevel at 255.
  return (major << 16) | (minor << 8) | std::min(patch, 255u);
}

}  // namespace

void Fd::reset(int fd) noexcept {
  if (fd_ >= 0) kernel().close(fd_);
  fd_ = fd;
}

// ---- BTF ------------------------------------------------------------------

uint32_t BtfBuilder::str(std::string_view s) {
  if (s.empty()) return 0;
  auto offset = static_cast<uint32_t>(strings_.size());
  strings_.append(s);
  strings_.push_back('\0');
  return offset;
}

uint32_t BtfBuilder::begin(std::string_view name, uint32_t kind, uint32_t vlen, uint32_t size_or_type,
                           bool kflag) {
  words_.push_back(str(name));
  words_.push_back((kflag ? 1u << 31 : 0u) | ((kind & 0x1f) << 24) | (vlen & 0xffff));
  words_.push_back(size_or_type);
  return next_id_++;
}

uint32_t BtfBuilder::int_type(std::string_view name, uint32_t bytes, uint32_t encoding) {
  uint32_t id = begin(name, BTF_KIND_INT, 0, bytes);
  words_.push_back((encoding << 24) | (bytes * 8));
  return id;
}

uint32_t BtfBuilder::float_type(std::string_view name, uint32_t bytes) {
  return begin(name, BTF_KIND_FLOAT, 0, bytes);
}

uint32_t BtfBuilder::ptr(uint32_t target) { return begin({}, BTF_KIND_PTR, 0, target); }

uint32_t BtfBuilder::struct_type(std::string_view name, uint32_t bytes,
                                 std::initializer_list<Member> members) {
  uint32_t id = begin(name, BTF_KIND_STRUCT, static_cast<uint32_t>(members.size()), bytes);
  for (const Member& m : members) {
    words_.push_back(str(m.name));
    words_.push_back(m.type);
    words_.push_back(m.bit_offset);
  }
  return id;
}

uint32_t BtfBuilder::func_proto(uint32_t return_type, std::initializer_list<Param> params) {
  uint32_t id = begin({}, BTF_KIND_FUNC_PROTO, static_cast<uint32_t>(params.size()), return_type);
  for (const Param& p : params) {
    words_.push_back(str(p.name));
    words_.push_back(p.type);
  }
  return id;
}

uint32_t BtfBuilder::func(std::string_view name, uint32_t proto, uint32_t linkage) {
  // A FUNC keeps its linkage where other kinds keep vlen.
  return begin(name, BTF_KIND_FUNC, linkage, proto);
}

uint32_t BtfBuilder::var(std::string_view name, uint32_t type, uint32_t linkage) {
  uint32_t id = begin(name, BTF_KIND_VAR, 0, type);
  words_.push_back(linkage);
  return id;
}

uint32_t BtfBuilder::datasec(std::string_view name, uint32_t bytes, std::initializer_list<SecVar> vars) {
  uint32_t id = begin(name, BTF_KIND_DATASEC, static_cast<uint32_t>(vars.size()), bytes);
  for (const SecVar& v : vars) {
    words_.push_back(v.var);
    words_.push_back(v.offset);
    words_.push_back(v.size);
  }
  return id;
}

uint32_t BtfBuilder::decl_tag(std::string_view name, uint32_t target, int32_t component) {
  uint32_t id = begin(name, BTF_KIND_DECL_TAG, 0, target);
  words_.push_back(static_cast<uint32_t>(component));
  return id;
}

uint32_t BtfBuilder::type_tag(std::string_view name, uint32_t target) {
  return begin(name, BTF_KIND_TYPE_TAG, 0, target);
}

uint32_t BtfBuilder::enum64(std::string_view name, uint32_t bytes, std::string_view value_name,
                            uint64_t value) {
  uint32_t id = begin(name, BTF_KIND_ENUM64, 1, bytes);
  words_.push_back(str(value_name));
  words_.push_back(static_cast<uint32_t>(value));
  words_.push_back(static_cast<uint32_t>(value >> 32));
  return id;
}

std::vector<uint8_t> BtfBuilder::blob() const {
  btf_header hdr{};
  // Only the classic header: a kernel that does not know the layout section
  // rejects a longer one.
  const uint32_t hdr_len = offsetof(btf_header, layout_off);
  const auto types_len = static_cast<uint32_t>(words_.size() * sizeof(uint32_t));
  const auto strings_len = static_cast<uint32_t>(strings_.size());
  hdr.magic = BTF_MAGIC;
  hdr.version = BTF_VERSION;
  hdr.hdr_len = hdr_len;
  hdr.type_off = 0;
  hdr.type_len = types_len;
  hdr.str_off = types_len;
  hdr.str_len = strings_len;

  std::vector<uint8_t> out(hdr_len + types_len + strings_len);
  std::memcpy(out.data(), &hdr, hdr_len);
  if (types_len != 0) std::memcpy(out.data() + hdr_len, words_.data(), types_len);
  std::memcpy(out.data() + hdr_len + types_len, strings_.data(), strings_len);
  return out;
}

// ---- commands -------------------------------------------------------------

Fd create_map(const MapSpec& spec, const Context& ctx) noexcept {
  union bpf_attr attr;
  const unsigned size = BPFXX_ATTR_SIZE(map_token_fd);
  std::memset(&attr, 0, sizeof(attr));
  attr.map_type = spec.type;
  attr.key_size = spec.key_size;
  attr.value_size = spec.value_size;
  attr.max_entries = spec.max_entries;
  attr.map_flags = spec.flags;
  copy_name(attr.map_name, spec.name);
  if (spec.inner_map_fd >= 0) attr.inner_map_fd = static_cast<uint32_t>(spec.inner_map_fd);
  if (spec.btf_fd >= 0) {
    attr.btf_fd = static_cast<uint32_t>(spec.btf_fd);
    attr.btf_key_type_id = spec.btf_key_type_id;
    attr.btf_value_type_id = spec.btf_value_type_id;
  }
  attr.btf_vmlinux_value_type_id = spec.btf_vmlinux_value_type_id;
  attr.map_extra = spec.map_extra;
  if (ctx.token_fd >= 0) {
    attr.map_token_fd = ctx.token_fd;
    attr.map_flags |= BPF_F_TOKEN_FD;
  }
  return Fd(bpf_fd(BPF_MAP_CREATE, &attr, size));
}

Fd load_prog(const ProgSpec& spec, const Context& ctx) noexcept {
  union bpf_attr attr;
  const unsigned size = BPFXX_ATTR_SIZE(prog_token_fd);
  std::memset(&attr, 0, sizeof(attr));
  attr.prog_type = spec.type;
  attr.expected_attach_type = spec.expected_attach_type;
  attr.insns = ptr_to_u64(spec.insns.data());
  attr.insn_cnt = static_cast<uint32_t>(spec.insns.size());
  attr.license = ptr_to_u64("GPL");
  attr.kern_version = spec.kern_version;
  attr.prog_flags = spec.flags;
  copy_name(attr.prog_name, spec.name);
  attr.attach_btf_id = spec.attach_btf_id;
  if (spec.prog_btf_fd >= 0) attr.prog_btf_fd = static_cast<uint32_t>(spec.prog_btf_fd);
  if (!spec.func_info.empty()) {
    attr.func_info = ptr_to_u64(spec.func_info.data());
    attr.func_info_cnt = static_cast<uint32_t>(spec.func_info.size());
    attr.func_info_rec_size = sizeof(bpf_func_info);
  }
  if (spec.log_buf != nullptr && spec.log_size > 0) {
    spec.log_buf[0] = '\0';
    attr.log_buf = ptr_to_u64(spec.log_buf);
    attr.log_size = spec.log_size;
    attr.log_level = 1;
  }
  if (ctx.token_fd >= 0) {
    attr.prog_token_fd = ctx.token_fd;
    attr.prog_flags |= BPF_F_TOKEN_FD;
  }
  int fd = prog_load(&attr, size, kLoadAttempts);
  // The kernel NUL-terminates the log, but only within log_size; make sure.
  if (spec.log_buf != nullptr && spec.log_size > 0) spec.log_buf[spec.log_size - 1] = '\0';
  return Fd(fd);
}

Fd load_btf(std::span<const uint8_t> blob, const Context& ctx) noexcept {
  union bpf_attr attr;
  const unsigned size = BPFXX_ATTR_SIZE(btf_token_fd);
  std::memset(&attr, 0, sizeof(attr));
  attr.btf = ptr_to_u64(blob.data());
  attr.btf_size = static_cast<uint32_t>(blob.size());
  if (ctx.token_fd >= 0) {
    attr.btf_token_fd = ctx.token_fd;
    attr.btf_flags |= BPF_F_TOKEN_FD;
  }
  return Fd(bpf_fd(BPF_BTF_LOAD, &attr, size));
}

uint32_t kernel_version_code() noexcept {
  try {
    // Ubuntu: "Ubuntu 5.4.0-12.15-generic 5.4.8", the real version last.
    Result<std::string> sig = read_file("/proc/version_signature", 256);
    if (sig.ok()) {
      std::size_t end = sig->find_last_not_of(" \n");
      if (end != std::string::npos) {
        std::size_t space = sig->find_last_of(' ', end);
        std::size_t begin = space == std::string::npos ? 0 : space + 1;
        std::string last = sig->substr(begin, end + 1 - begin);
        if (uint32_t v = parse_version(last.c_str()); v != 0) return v;
      }
    }
  } catch (...) {
    // Out of memory: fall through to uname.
  }
  struct utsname uts;
  std::memset(&uts, 0, sizeof(uts));
  if (kernel().uname(&uts) < 0) return 0;
  // Debian: release "4.19.0-22-amd64", version "... Debian 4.19.260-1 ...".
  uts.version[sizeof(uts.version) - 1] = '\0';
  uts.release[sizeof(uts.release) - 1] = '\0';
  if (const char* deb = std::strstr(uts.version, "Debian "); deb != nullptr) {
    if (uint32_t v = parse_version(deb + 7); v != 0) return v;
  }
  return parse_version(uts.release);
}

}  // namespace bpfxx::sys::probe
