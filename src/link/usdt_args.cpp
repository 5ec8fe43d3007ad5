#include "link/usdt_args.h"

#include <array>
#include <bit>
#include <charconv>
#include <cstring>
#include <string>

namespace bpfxx::link {
namespace {

// Offsets of the registers in x86-64 struct pt_regs (a kernel ABI fact).
struct RegRow {
  std::array<std::string_view, 4> names;  // 64, 32, 16 and 8-bit names
  int offset;
};
constexpr RegRow kRegs[] = {
    {{"r15", "r15d", "r15w", "r15b"}, 0},   {{"r14", "r14d", "r14w", "r14b"}, 8},
    {{"r13", "r13d", "r13w", "r13b"}, 16},  {{"r12", "r12d", "r12w", "r12b"}, 24},
    {{"rbp", "ebp", "bp", "bpl"}, 32},      {{"rbx", "ebx", "bx", "bl"}, 40},
    {{"r11", "r11d", "r11w", "r11b"}, 48},  {{"r10", "r10d", "r10w", "r10b"}, 56},
    {{"r9", "r9d", "r9w", "r9b"}, 64},      {{"r8", "r8d", "r8w", "r8b"}, 72},
    {{"rax", "eax", "ax", "al"}, 80},       {{"rcx", "ecx", "cx", "cl"}, 88},
    {{"rdx", "edx", "dx", "dl"}, 96},       {{"rsi", "esi", "si", "sil"}, 104},
    {{"rdi", "edi", "di", "dil"}, 112},     {{"rip", "eip", "", ""}, 128},
    {{"rsp", "esp", "sp", "spl"}, 152},
};

// A cursor over one argument's text.
class Scanner {
 public:
  explicit Scanner(std::string_view s) : s_(s) {}
  bool done() const { return pos_ >= s_.size(); }
  char peek() const { return done() ? '\0' : s_[pos_]; }
  bool eat(char c) {
    if (peek() != c) return false;
    pos_++;
    return true;
  }
  // A signed integer: decimal, or hexadecimal after "0x".
  bool integer(int64_t* out) {
    const bool neg = eat('-');
    if (!neg) eat('+');
    int base = 10;
    if (s_.substr(pos_, 2) == "0x" || s_.substr(pos_, 2) == "0X") {
      base = 16;
      pos_ += 2;
    }
    uint64_t mag = 0;
    const char* first = s_.data() + pos_;
    const auto [end, ec] = std::from_chars(first, s_.data() + s_.size(), mag, base);
    if (ec != std::errc() || end == first) return false;
    pos_ += static_cast<size_t>(end - first);
    if (mag > (neg ? uint64_t{1} << 63 : UINT64_MAX)) return false;
    *out = neg ? static_cast<int64_t>(0 - mag) : static_cast<int64_t>(mag);
    return true;
  }
  // "%name": the register's pt_regs offset, or -1.
  int reg() {
    if (!eat('%')) return -1;
    const size_t start = pos_;
    while (!done() && ((peek() >= 'a' && peek() <= 'z') || (peek() >= '0' && peek() <= '9'))) pos_++;
    return x86_64_pt_regs_offset(s_.substr(start, pos_ - start));
  }

 private:
  std::string_view s_;
  size_t pos_ = 0;
};

Failure bad_arg(int n, std::string_view text, const std::string& why) {
  return fail(EINVAL, "USDT argument #" + std::to_string(n) + " '" + std::string(text) + "': " + why);
}

Result<UsdtArgSpec> parse_one(int n, std::string_view text) {
  Scanner sc(text);
  UsdtArgSpec a;
  int64_t size = 0;
  if (!sc.integer(&size) || !sc.eat('@')) return bad_arg(n, text, "expected <size>@<operand>");
  if (size < -8 || size > 8) return bad_arg(n, text, "size " + std::to_string(size) + " is not 1, 2, 4 or 8");
  a.arg_signed = size < 0;
  const int64_t bytes = size < 0 ? -size : size;
  if (bytes != 1 && bytes != 2 && bytes != 4 && bytes != 8) {
    return bad_arg(n, text, "size " + std::to_string(bytes) + " is not 1, 2, 4 or 8");
  }
  a.arg_bitshift = static_cast<int8_t>(64 - bytes * 8);
  UsdtArgType type;
  if (sc.eat('$')) {
    int64_t v = 0;
    if (!sc.integer(&v)) return bad_arg(n, text, "bad constant");
    type = UsdtArgType::kConst;
    a.val_off = static_cast<uint64_t>(v);
  } else if (sc.peek() == '%') {
    const int r = sc.reg();
    if (r < 0) return bad_arg(n, text, "unknown register");
    type = UsdtArgType::kReg;
    a.reg_off = static_cast<int16_t>(r);
  } else {
    int64_t disp = 0;
    if (sc.peek() != '(' && !sc.integer(&disp)) {
      return bad_arg(n, text, "unsupported operand (symbolic addresses are not supported)");
    }
    if (!sc.eat('(')) return bad_arg(n, text, "expected '(' after the displacement");
    const int base = sc.reg();
    if (base < 0) return bad_arg(n, text, "unknown base register");
    a.val_off = static_cast<uint64_t>(disp);
    a.reg_off = static_cast<int16_t>(base);
    type = UsdtArgType::kRegDeref;
    if (sc.eat(',')) {
      const int index = sc.reg();
      if (index < 0) return bad_arg(n, text, "unknown index register");
      int64_t scale = 1;
      if (sc.eat(',') && !sc.integer(&scale)) return bad_arg(n, text, "bad scale");
      uint32_t shift = 0;
      switch (scale) {
        case 1: shift = 0; break;
        case 2: shift = 1; break;
        case 4: shift = 2; break;
        case 8: shift = 3; break;
        default: return bad_arg(n, text, "scale " + std::to_string(scale) + " is not 1, 2, 4 or 8");
      }
      type = UsdtArgType::kSib;
      a.type_bits = (static_cast<uint32_t>(index) << 8) | (shift << 20);
    }
    if (!sc.eat(')')) return bad_arg(n, text, "expected ')'");
  }
  if (!sc.done()) return bad_arg(n, text, "unexpected text after the operand");
  a.type_bits |= static_cast<uint32_t>(type);
  return a;
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n'; }

}  // namespace

int x86_64_pt_regs_offset(std::string_view reg) noexcept {
  if (reg.empty()) return -1;
  for (const RegRow& row : kRegs) {
    for (std::string_view name : row.names) {
      if (name == reg) return row.offset;
    }
  }
  return -1;
}

Result<UsdtSpec> parse_usdt_args(std::string_view args, uint64_t usdt_cookie) {
  UsdtSpec spec;
  spec.usdt_cookie = usdt_cookie;
  size_t pos = 0;
  int n = 0;
  while (true) {
    while (pos < args.size() && is_space(args[pos])) pos++;
    if (pos >= args.size()) break;
    size_t end = pos;
    while (end < args.size() && !is_space(args[end])) end++;
    const std::string_view text = args.substr(pos, end - pos);
    if (n >= kUsdtMaxArgs) {
      return fail(E2BIG, "USDT argument spec '" + std::string(args) + "' has more than " +
                             std::to_string(kUsdtMaxArgs) + " arguments");
    }
    auto a = parse_one(n, text);
    if (!a) return a.failure();
    spec.args[n++] = *a;
    pos = end;
  }
  spec.arg_cnt = static_cast<int16_t>(n);
  return spec;
}

}  // namespace bpfxx::link

namespace bpfxx::link {

Result<std::vector<uint8_t>> serialize_usdt_spec(const UsdtSpec& spec, size_t value_size) {
  std::vector<uint8_t> out(value_size, 0);
  if (value_size == kUsdtSpecSizeCompact) {
    std::memcpy(out.data(), &spec, sizeof spec);
    return out;
  }
  if (value_size != kUsdtSpecSizeWide) {
    return fail(EINVAL, "value size " + std::to_string(value_size) + " matches no known struct __bpf_usdt_spec (" +
                            std::to_string(kUsdtSpecSizeCompact) + " or " + std::to_string(kUsdtSpecSizeWide) +
                            " bytes)");
  }
  // The wide layout's bitfields sit elsewhere on big-endian targets; only
  // x86-64 operands are parsed anyway.
  if constexpr (std::endian::native != std::endian::little) {
    return fail(EOPNOTSUPP, "the 304-byte struct __bpf_usdt_spec is only supported on little-endian hosts");
  }
  constexpr size_t kArgSize = 24;
  auto put = [&out](size_t at, const void* v, size_t n) { std::memcpy(out.data() + at, v, n); };
  for (int i = 0; i < kUsdtMaxArgs; i++) {
    const UsdtArgSpec& a = spec.args[i];
    const size_t base = static_cast<size_t>(i) * kArgSize;
    put(base, &a.val_off, 8);
    out[base + 8] = static_cast<uint8_t>(a.type());
    const uint16_t sib = static_cast<uint16_t>(a.idx_reg_off() | (a.scale_bitshift() << 12));
    put(base + 10, &sib, 2);
    put(base + 14, &a.reg_off, 2);
    out[base + 16] = a.arg_signed ? 1 : 0;
    put(base + 17, &a.arg_bitshift, 1);
  }
  put(kUsdtMaxArgs * kArgSize, &spec.usdt_cookie, 8);
  put(kUsdtMaxArgs * kArgSize + 8, &spec.arg_cnt, 2);
  return out;
}

}  // namespace bpfxx::link
