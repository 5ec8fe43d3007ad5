// The USDT argument-spec parser: every operand form of x86-64 SDT notes,
// every register name and width, sizes and signedness, and bad input.
#include "link/usdt_args.h"

#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

namespace lk = bpfxx::link;
using lk::UsdtArgType;

namespace {

lk::UsdtArgSpec one(const std::string& text) {
  auto r = lk::parse_usdt_args(text, 0);
  EXPECT_TRUE(r.ok()) << text << ": " << r.message();
  if (!r.ok()) return {};
  EXPECT_EQ(r->arg_cnt, 1) << text;
  return r->args[0];
}

TEST(UsdtArgs, Constant) {
  lk::UsdtArgSpec a = one("-4@$-7");
  EXPECT_EQ(a.type(), UsdtArgType::kConst);
  EXPECT_EQ(static_cast<int64_t>(a.val_off), -7);
  EXPECT_TRUE(a.arg_signed);
  EXPECT_EQ(a.arg_bitshift, 32);
  a = one("8@$0x10");
  EXPECT_EQ(a.val_off, 16u);
  EXPECT_FALSE(a.arg_signed);
  EXPECT_EQ(a.arg_bitshift, 0);
  a = one("8@$18446744073709551615");
  EXPECT_EQ(a.val_off, UINT64_MAX);
}

TEST(UsdtArgs, Registers) {
  lk::UsdtArgSpec a = one("-4@%eax");
  EXPECT_EQ(a.type(), UsdtArgType::kReg);
  EXPECT_EQ(a.reg_off, 80);
  EXPECT_EQ(a.val_off, 0u);
  a = one("1@%dil");
  EXPECT_EQ(a.reg_off, 112);
  EXPECT_EQ(a.arg_bitshift, 56);
  EXPECT_FALSE(a.arg_signed);
  a = one("-2@%r13w");
  EXPECT_EQ(a.reg_off, 16);
  EXPECT_EQ(a.arg_bitshift, 48);
  EXPECT_TRUE(a.arg_signed);
}

TEST(UsdtArgs, EveryRegisterNameOfEveryWidth) {
  struct Row {
    const char* names[4];
    int off;
  } rows[] = {
      {{"rax", "eax", "ax", "al"}, 80},     {{"rbx", "ebx", "bx", "bl"}, 40},
      {{"rcx", "ecx", "cx", "cl"}, 88},     {{"rdx", "edx", "dx", "dl"}, 96},
      {{"rsi", "esi", "si", "sil"}, 104},   {{"rdi", "edi", "di", "dil"}, 112},
      {{"rbp", "ebp", "bp", "bpl"}, 32},    {{"rsp", "esp", "sp", "spl"}, 152},
      {{"r8", "r8d", "r8w", "r8b"}, 72},    {{"r9", "r9d", "r9w", "r9b"}, 64},
      {{"r10", "r10d", "r10w", "r10b"}, 56}, {{"r11", "r11d", "r11w", "r11b"}, 48},
      {{"r12", "r12d", "r12w", "r12b"}, 24}, {{"r13", "r13d", "r13w", "r13b"}, 16},
      {{"r14", "r14d", "r14w", "r14b"}, 8},  {{"r15", "r15d", "r15w", "r15b"}, 0},
  };
  for (const Row& r : rows) {
    for (const char* n : r.names) {
      EXPECT_EQ(lk::x86_64_pt_regs_offset(n), r.off) << n;
      EXPECT_EQ(one(std::string("8@%") + n).reg_off, r.off) << n;
    }
  }
  EXPECT_EQ(lk::x86_64_pt_regs_offset("rip"), 128);
  EXPECT_EQ(lk::x86_64_pt_regs_offset("eip"), 128);
  EXPECT_EQ(lk::x86_64_pt_regs_offset(""), -1);
  EXPECT_EQ(lk::x86_64_pt_regs_offset("xmm0"), -1);
  EXPECT_EQ(lk::x86_64_pt_regs_offset("RAX"), -1);
}

TEST(UsdtArgs, MemoryAtBasePlusOffset) {
  lk::UsdtArgSpec a = one("-8@-8(%rsp)");
  EXPECT_EQ(a.type(), UsdtArgType::kRegDeref);
  EXPECT_EQ(a.reg_off, 152);
  EXPECT_EQ(static_cast<int64_t>(a.val_off), -8);
  a = one("8@(%rsi)");
  EXPECT_EQ(a.type(), UsdtArgType::kRegDeref);
  EXPECT_EQ(a.reg_off, 104);
  EXPECT_EQ(a.val_off, 0u);
  a = one("4@0x20(%rbp)");
  EXPECT_EQ(a.val_off, 32u);
  EXPECT_EQ(a.reg_off, 32);
  a = one("2@16(%rip)");
  EXPECT_EQ(a.reg_off, 128);
}

TEST(UsdtArgs, ScaleIndexBase) {
  lk::UsdtArgSpec a = one("-8@16(%rdi,%rsi,8)");
  EXPECT_EQ(a.type(), UsdtArgType::kSib);
  EXPECT_EQ(a.reg_off, 112);
  EXPECT_EQ(a.idx_reg_off(), 104u);
  EXPECT_EQ(a.scale_bitshift(), 3u);
  EXPECT_EQ(a.val_off, 16u);
  a = one("1@(%rbp,%rax)");
  EXPECT_EQ(a.type(), UsdtArgType::kSib);
  EXPECT_EQ(a.idx_reg_off(), 80u);
  EXPECT_EQ(a.scale_bitshift(), 0u);
  EXPECT_EQ(a.val_off, 0u);
  a = one("4@-96(%rbp,%r15,4)");
  EXPECT_EQ(a.idx_reg_off(), 0u);
  EXPECT_EQ(a.scale_bitshift(), 2u);
  EXPECT_EQ(static_cast<int64_t>(a.val_off), -96);
  a = one("2@(%rax,%rcx,2)");
  EXPECT_EQ(a.scale_bitshift(), 1u);
  // The layout <bpf/usdt.bpf.h> reads: arg_type in the low byte.
  EXPECT_EQ(a.type_bits & 0xff, 3u);
}

TEST(UsdtArgs, SeveralArgumentsAndCookie) {
  auto r = lk::parse_usdt_args("  -4@%edi -4@$-7\t-8@(%rsi)  ", 0xabc);
  ASSERT_TRUE(r.ok()) << r.message();
  EXPECT_EQ(r->arg_cnt, 3);
  EXPECT_EQ(r->usdt_cookie, 0xabcu);
  EXPECT_EQ(r->args[0].type(), UsdtArgType::kReg);
  EXPECT_EQ(r->args[1].type(), UsdtArgType::kConst);
  EXPECT_EQ(r->args[2].type(), UsdtArgType::kRegDeref);
  auto none = lk::parse_usdt_args("", 1);
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(none->arg_cnt, 0);
  EXPECT_EQ(none->usdt_cookie, 1u);
}

TEST(UsdtArgs, TwelveArgumentsAtMost) {
  std::string twelve;
  for (int i = 0; i < 12; i++) twelve += "8@$" + std::to_string(i) + " ";
  auto r = lk::parse_usdt_args(twelve, 0);
  ASSERT_TRUE(r.ok()) << r.message();
  EXPECT_EQ(r->arg_cnt, 12);
  EXPECT_EQ(r->args[11].val_off, 11u);
  auto more = lk::parse_usdt_args(twelve + "8@$12", 0);
  ASSERT_FALSE(more.ok());
  EXPECT_EQ(more.error(), E2BIG);
  EXPECT_NE(more.message().find("more than 12 arguments"), std::string::npos) << more.message();
}

TEST(UsdtArgs, BadInput) {
  struct Case {
    const char* text;
    const char* message;
  } cases[] = {
      {"4", "expected <size>@<operand>"},
      {"@%eax", "expected <size>@<operand>"},
      {"x@%eax", "expected <size>@<operand>"},
      {"3@%eax", "size 3 is not 1, 2, 4 or 8"},
      {"-16@%eax", "size -16 is not 1, 2, 4 or 8"},
      {"0@%eax", "size 0 is not"},
      {"4@", "unsupported operand"},
      {"4@$", "bad constant"},
      {"4@$x", "bad constant"},
      {"4@%", "unknown register"},
      {"4@%xmm0", "unknown register"},
      {"4@%eax,", "unexpected text after the operand"},
      {"4@-8(%rbp", "expected ')'"},
      {"4@-8%rbp", "expected '(' after the displacement"},
      {"4@(rbp)", "unknown base register"},
      {"4@(%rbp,%foo,2)", "unknown index register"},
      {"4@(%rbp,%rax,3)", "scale 3 is not 1, 2, 4 or 8"},
      {"4@(%rbp,%rax,)", "bad scale"},
      {"4@counter(%rip)", "symbolic addresses are not supported"},
      {"8@$99999999999999999999999", "bad constant"},
      {"8@$-9223372036854775809", "bad constant"},
  };
  for (const Case& c : cases) {
    auto r = lk::parse_usdt_args(std::string("8@%rax ") + c.text, 0);
    ASSERT_FALSE(r.ok()) << c.text;
    EXPECT_EQ(r.error(), EINVAL) << c.text;
    EXPECT_NE(r.message().find(c.message), std::string::npos) << c.text << ": " << r.message();
    EXPECT_NE(r.message().find("USDT argument #1 '"), std::string::npos) << r.message();
  }
}

}  // namespace

namespace {

template <typename T>
T at(const std::vector<uint8_t>& b, size_t off) {
  T v;
  std::memcpy(&v, b.data() + off, sizeof v);
  return v;
}

TEST(UsdtSpecLayout, CompactIsTheParsedStructAsIs) {
  auto spec = lk::parse_usdt_args("-4@%edi -8@16(%rdi,%rsi,8)", 0x77);
  ASSERT_TRUE(spec.ok()) << spec.message();
  auto bytes = lk::serialize_usdt_spec(*spec, 208);
  ASSERT_TRUE(bytes.ok()) << bytes.message();
  ASSERT_EQ(bytes->size(), 208u);
  EXPECT_EQ(std::memcmp(bytes->data(), &*spec, 208), 0);
  EXPECT_EQ(at<uint64_t>(*bytes, 192), 0x77u);
  EXPECT_EQ(at<int16_t>(*bytes, 200), 2);
}

TEST(UsdtSpecLayout, WideLayoutOfLibbpf17) {
  auto spec = lk::parse_usdt_args("-4@%edi -8@16(%rdi,%rsi,8) 2@$-3 1@-8(%rbp)", 0x1122334455);
  ASSERT_TRUE(spec.ok()) << spec.message();
  auto bytes = lk::serialize_usdt_spec(*spec, 304);
  ASSERT_TRUE(bytes.ok()) << bytes.message();
  const std::vector<uint8_t>& b = *bytes;
  ASSERT_EQ(b.size(), 304u);
  // argument 0: register %edi (pt_regs offset 112), signed 32-bit
  EXPECT_EQ(at<uint64_t>(b, 0), 0u);
  EXPECT_EQ(b[8], 1) << "BPF_USDT_ARG_REG";
  EXPECT_EQ(at<uint16_t>(b, 10), 0);
  EXPECT_EQ(at<int16_t>(b, 14), 112);
  EXPECT_EQ(b[16], 1);
  EXPECT_EQ(b[17], 32);
  // argument 1: SIB, base %rdi, index %rsi (104), scale 8 (shift 3)
  EXPECT_EQ(at<uint64_t>(b, 24), 16u);
  EXPECT_EQ(b[24 + 8], 3) << "BPF_USDT_ARG_SIB";
  EXPECT_EQ(b[24 + 9], 0) << "padding stays zero";
  EXPECT_EQ(at<uint16_t>(b, 24 + 10), 104 | 3 << 12);
  EXPECT_EQ(b[24 + 12], 0) << "__reserved";
  EXPECT_EQ(at<int16_t>(b, 24 + 14), 112);
  EXPECT_EQ(b[24 + 16], 1);
  EXPECT_EQ(b[24 + 17], 0);
  // argument 2: constant -3, unsigned 16-bit
  EXPECT_EQ(static_cast<int64_t>(at<uint64_t>(b, 48)), -3);
  EXPECT_EQ(b[48 + 8], 0) << "BPF_USDT_ARG_CONST";
  EXPECT_EQ(b[48 + 16], 0);
  EXPECT_EQ(b[48 + 17], 48);
  // argument 3: memory at -8(%rbp) (32)
  EXPECT_EQ(static_cast<int64_t>(at<uint64_t>(b, 72)), -8);
  EXPECT_EQ(b[72 + 8], 2) << "BPF_USDT_ARG_REG_DEREF";
  EXPECT_EQ(at<int16_t>(b, 72 + 14), 32);
  EXPECT_EQ(b[72 + 17], 56);
  // unused arguments are zero; cookie and count at the end
  for (size_t i = 96; i < 288; i++) ASSERT_EQ(b[i], 0) << "byte " << i;
  EXPECT_EQ(at<uint64_t>(b, 288), 0x1122334455u);
  EXPECT_EQ(at<int16_t>(b, 296), 4);
  for (size_t i = 298; i < 304; i++) EXPECT_EQ(b[i], 0) << "byte " << i;
}

TEST(UsdtSpecLayout, OtherSizesAreRefused) {
  auto spec = lk::parse_usdt_args("4@%eax", 0);
  ASSERT_TRUE(spec.ok());
  for (size_t size : {size_t{0}, size_t{200}, size_t{256}, size_t{305}}) {
    auto bytes = lk::serialize_usdt_spec(*spec, size);
    ASSERT_FALSE(bytes.ok()) << size;
    EXPECT_EQ(bytes.error(), EINVAL);
    EXPECT_NE(bytes.message().find(std::to_string(size)), std::string::npos) << bytes.message();
  }
}

}  // namespace
