// USDT argument specs: the argument string of a SystemTap SDT note
// ("-4@%eax 8@-8(%rbp) 4@$5") parsed into the spec that <bpf/usdt.bpf.h>
// reads from the __bpf_usdt_specs map.
//
// Each argument is "<size>@<operand>" in the assembler's syntax: size
// 1, 2, 4 or 8, negative for signed values; the operand a constant ($N),
// a register (%reg, any width), or memory at disp(%base) or
// disp(%base,%index[,scale]). The layout below is the BPF header's,
// checked by static_asserts; only x86-64 operands are understood.
#pragma once

#include <bpfxx/result.hpp>

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace bpfxx::link {

// enum __bpf_usdt_arg_type
enum class UsdtArgType : uint8_t { kConst = 0, kReg = 1, kRegDeref = 2, kSib = 3 };

// struct __bpf_usdt_arg_spec in its 16-byte (compact) layout: what the
// parser produces; serialize_usdt_spec() writes either layout from it.
struct UsdtArgSpec {
  uint64_t val_off = 0;
  // arg_type (bits 0-7), idx_reg_off (8-19), scale_bitshift (20-23): one
  // 32-bit bitfield unit in the header, the same number on either byte
  // order given how the header orders the fields.
  uint32_t type_bits = 0;
  int16_t reg_off = 0;
  bool arg_signed = false;
  int8_t arg_bitshift = 0;

  UsdtArgType type() const noexcept { return static_cast<UsdtArgType>(type_bits & 0xff); }
  uint32_t idx_reg_off() const noexcept { return (type_bits >> 8) & 0xfff; }
  uint32_t scale_bitshift() const noexcept { return (type_bits >> 20) & 0xf; }
};
static_assert(sizeof(UsdtArgSpec) == 16);

inline constexpr int kUsdtMaxArgs = 12;  // BPF_USDT_MAX_ARG_CNT

// struct __bpf_usdt_spec.
struct UsdtSpec {
  UsdtArgSpec args[kUsdtMaxArgs];
  uint64_t usdt_cookie = 0;
  int16_t arg_cnt = 0;
};
static_assert(sizeof(UsdtSpec) == 208);

// Sizes of struct __bpf_usdt_spec, by header: <bpf/usdt.bpf.h> before
// the SIB change and libbpf <= 1.6 (16-byte arguments), and libbpf >= 1.7,
// whose __u16 bitfields push reg_off to byte 14 (24-byte arguments:
// arg_type at 8, idx_reg_off | scale_bitshift << 12 as a u16 at 10,
// reg_off 14, arg_signed 16, arg_bitshift 17; usdt_cookie at 288, arg_cnt
// at 296).
inline constexpr size_t kUsdtSpecSizeCompact = 208;
inline constexpr size_t kUsdtSpecSizeWide = 304;

// The bytes of `spec` for a __bpf_usdt_specs map whose value_size says
// which layout the BPF object was built with; EINVAL for any other size.
Result<std::vector<uint8_t>> serialize_usdt_spec(const UsdtSpec& spec, size_t value_size);

// The pt_regs offset of an x86-64 register named without '%' ("rax",
// "eax", "ax", "al", "r8d", "sil", "rip", ...); -1 if unknown.
int x86_64_pt_regs_offset(std::string_view reg) noexcept;

// Parses a whole argument string; EINVAL (message quoting the argument)
// for a malformed or unsupported one, E2BIG for more than 12 arguments.
Result<UsdtSpec> parse_usdt_args(std::string_view args, uint64_t usdt_cookie);

}  // namespace bpfxx::link
