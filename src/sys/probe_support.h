// Building blocks of the kernel probes: hand-assembled instructions, tiny raw
// BTF blobs, and map / program / BTF creation through the syscall seam, each
// fd owned so that no probe path leaks one.
#pragma once

#include <bpf/uapi/linux/bpf.h>
#include <bpf/uapi/linux/btf.h>

#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace bpfxx::sys::probe {

// Sole owner of a descriptor, closed through the seam (so a counting or
// fault-injecting Kernel sees the close too).
class Fd {
 public:
  Fd() noexcept = default;
  // fd: a descriptor, or the -errno of the call that failed to make one.
  explicit Fd(int fd) noexcept : fd_(fd) {}
  ~Fd() { reset(); }
  Fd(Fd&& other) noexcept : fd_(other.release()) {}
  Fd& operator=(Fd&& other) noexcept {
    if (this != &other) reset(other.release());
    return *this;
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;

  int get() const noexcept { return fd_; }
  bool valid() const noexcept { return fd_ >= 0; }
  // The -errno this was built from, when it holds no fd.
  int error() const noexcept { return fd_ < 0 ? fd_ : 0; }
  [[nodiscard]] int release() noexcept {
    int fd = fd_;
    fd_ = -EBADF;
    return fd;
  }
  void reset(int fd = -EBADF) noexcept;

 private:
  int fd_ = -EBADF;
};

// Instruction encoders for the few instructions the probes use.
namespace insn {

constexpr bpf_insn make(uint8_t code, uint8_t dst, uint8_t src, int16_t off, int32_t imm) {
  bpf_insn i{};
  i.code = code;
  i.dst_reg = dst & 0xf;
  i.src_reg = src & 0xf;
  i.off = off;
  i.imm = imm;
  return i;
}
constexpr bpf_insn mov64_imm(uint8_t dst, int32_t imm) {
  return make(BPF_ALU64 | BPF_MOV | BPF_K, dst, 0, 0, imm);
}
constexpr bpf_insn mov64_reg(uint8_t dst, uint8_t src) {
  return make(BPF_ALU64 | BPF_MOV | BPF_X, dst, src, 0, 0);
}
constexpr bpf_insn add64_imm(uint8_t dst, int32_t imm) {
  return make(BPF_ALU64 | BPF_ADD | BPF_K, dst, 0, 0, imm);
}
// *(u64 *)(dst + off) = imm
constexpr bpf_insn store64_imm(uint8_t dst, int16_t off, int32_t imm) {
  return make(BPF_ST | BPF_MEM | BPF_DW, dst, 0, off, imm);
}
constexpr bpf_insn call_helper(int32_t helper_id) { return make(BPF_JMP | BPF_CALL, 0, 0, 0, helper_id); }
// Call of the subprogram `delta` instructions after the next one.
constexpr bpf_insn call_local(int32_t delta) {
  return make(BPF_JMP | BPF_CALL, 0, BPF_PSEUDO_CALL, 0, delta);
}
constexpr bpf_insn exit() { return make(BPF_JMP | BPF_EXIT, 0, 0, 0, 0); }
// First and second half of `dst = &map_value(map_fd) + offset` (ld_imm64).
constexpr bpf_insn ld_map_value_lo(uint8_t dst, int32_t map_fd) {
  return make(BPF_LD | BPF_IMM | BPF_DW, dst, BPF_PSEUDO_MAP_VALUE, 0, map_fd);
}
constexpr bpf_insn ld_map_value_hi(int32_t offset) { return make(0, 0, 0, 0, offset); }

}  // namespace insn

// Raw BTF, type by type: each add returns the new type's id (ids start at 1;
// 0 is void). blob() gives the header + type + string sections.
class BtfBuilder {
 public:
  struct Member {
    std::string_view name;
    uint32_t type;
    uint32_t bit_offset;
  };
  struct Param {
    std::string_view name;
    uint32_t type;
  };
  struct SecVar {
    uint32_t var;
    uint32_t offset;
    uint32_t size;
  };

  uint32_t int_type(std::string_view name, uint32_t bytes, uint32_t encoding);
  uint32_t float_type(std::string_view name, uint32_t bytes);
  uint32_t ptr(uint32_t target);
  uint32_t struct_type(std::string_view name, uint32_t bytes, std::initializer_list<Member> members);
  uint32_t func_proto(uint32_t return_type, std::initializer_list<Param> params);
  uint32_t func(std::string_view name, uint32_t proto, uint32_t linkage);
  uint32_t var(std::string_view name, uint32_t type, uint32_t linkage);
  uint32_t datasec(std::string_view name, uint32_t bytes, std::initializer_list<SecVar> vars);
  uint32_t decl_tag(std::string_view name, uint32_t target, int32_t component);
  uint32_t type_tag(std::string_view name, uint32_t target);
  uint32_t enum64(std::string_view name, uint32_t bytes, std::string_view value_name, uint64_t value);

  std::vector<uint8_t> blob() const;

 private:
  uint32_t str(std::string_view s);
  uint32_t begin(std::string_view name, uint32_t kind, uint32_t vlen, uint32_t size_or_type,
                 bool kflag = false);

  std::vector<uint32_t> words_;
  std::string strings_ = std::string(1, '\0');
  uint32_t next_id_ = 1;
};

// Where the probe runs: with a BPF token (token_fd >= 0), every command
// carries it, as a loader working under a token will.
struct Context {
  int token_fd = -1;
};

struct MapSpec {
  uint32_t type = 0;
  uint32_t key_size = 4;
  uint32_t value_size = 4;
  uint32_t max_entries = 1;
  uint32_t flags = 0;
  const char* name = nullptr;
  int inner_map_fd = -1;
  int btf_fd = -1;
  uint32_t btf_key_type_id = 0;
  uint32_t btf_value_type_id = 0;
  uint32_t btf_vmlinux_value_type_id = 0;
  uint64_t map_extra = 0;
};

struct ProgSpec {
  uint32_t type = 0;
  uint32_t expected_attach_type = 0;
  std::span<const bpf_insn> insns;
  const char* name = nullptr;
  uint32_t flags = 0;
  uint32_t kern_version = 0;
  uint32_t attach_btf_id = 0;
  int prog_btf_fd = -1;
  std::span<const bpf_func_info> func_info;
  char* log_buf = nullptr;  // with log_size > 0: verifier log at level 1
  uint32_t log_size = 0;
};

// BPF_MAP_CREATE / BPF_PROG_LOAD / BPF_BTF_LOAD: the new fd or -errno.
Fd create_map(const MapSpec& spec, const Context& ctx) noexcept;
Fd load_prog(const ProgSpec& spec, const Context& ctx) noexcept;
Fd load_btf(std::span<const uint8_t> blob, const Context& ctx) noexcept;

// The probe verdict of "did this create succeed": 1 or 0.
inline int created(const Fd& fd) noexcept { return fd.valid() ? 1 : 0; }

// LINUX_VERSION_CODE of the running kernel as BPF_PROG_LOAD's kern_version
// wants it (Ubuntu's and Debian's real sublevel where uname hides it); 0 if
// unknown.
uint32_t kernel_version_code() noexcept;

}  // namespace bpfxx::sys::probe
