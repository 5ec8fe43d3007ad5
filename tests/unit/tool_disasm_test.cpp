// The eBPF disassembler of `bpfxx prog dump xlated`, on hand-built
// instructions of every class.
#include "insn_disasm.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace {

using bpfxx::tool::disassemble;
using bpfxx::tool::format_disassembly;

bpf_insn I(uint8_t code, uint8_t dst, uint8_t src, int16_t off, int32_t imm) {
  bpf_insn in{};
  in.code = code;
  in.dst_reg = dst & 0xf;
  in.src_reg = src & 0xf;
  in.off = off;
  in.imm = imm;
  return in;
}

std::string text_of(const bpf_insn& in) {
  auto lines = disassemble(&in, 1);
  return lines.size() == 1 ? lines[0].text : "<" + std::to_string(lines.size()) + " lines>";
}

TEST(ToolDisasm, AluAndMoves) {
  EXPECT_EQ(text_of(I(BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, 0)), "r0 = 0");
  EXPECT_EQ(text_of(I(BPF_ALU64 | BPF_MOV | BPF_X, 6, 1, 0, 0)), "r6 = r1");
  EXPECT_EQ(text_of(I(BPF_ALU | BPF_MOV | BPF_K, 2, 0, 0, -7)), "w2 = -7");
  EXPECT_EQ(text_of(I(BPF_ALU64 | BPF_ADD | BPF_K, 10, 0, 0, -8)), "r10 += -8");
  EXPECT_EQ(text_of(I(BPF_ALU64 | BPF_SUB | BPF_X, 3, 4, 0, 0)), "r3 -= r4");
  EXPECT_EQ(text_of(I(BPF_ALU | BPF_XOR | BPF_X, 3, 4, 0, 0)), "w3 ^= w4");
  EXPECT_EQ(text_of(I(BPF_ALU64 | BPF_LSH | BPF_K, 1, 0, 0, 32)), "r1 <<= 32");
  EXPECT_EQ(text_of(I(BPF_ALU64 | BPF_ARSH | BPF_K, 1, 0, 0, 32)), "r1 s>>= 32");
  EXPECT_EQ(text_of(I(BPF_ALU64 | BPF_DIV | BPF_X, 1, 2, 1, 0)), "r1 s/= r2");
  EXPECT_EQ(text_of(I(BPF_ALU64 | BPF_MOD | BPF_K, 1, 0, 0, 3)), "r1 %= 3");
  EXPECT_EQ(text_of(I(BPF_ALU64 | BPF_NEG, 5, 0, 0, 0)), "r5 = -r5");
  EXPECT_EQ(text_of(I(BPF_ALU64 | BPF_MOV | BPF_X, 1, 2, 8, 0)), "r1 = (s8)r2");
  EXPECT_EQ(text_of(I(BPF_ALU | BPF_END | BPF_TO_BE, 1, 0, 0, 16)), "r1 = be16 r1");
  EXPECT_EQ(text_of(I(BPF_ALU | BPF_END | BPF_TO_LE, 1, 0, 0, 32)), "r1 = le32 r1");
  EXPECT_EQ(text_of(I(BPF_ALU64 | BPF_END, 1, 0, 0, 64)), "r1 = bswap64 r1");
}

TEST(ToolDisasm, LoadsStoresAndAtomics) {
  EXPECT_EQ(text_of(I(BPF_LDX | BPF_MEM | BPF_W, 2, 1, 4, 0)), "r2 = *(u32 *)(r1 +4)");
  EXPECT_EQ(text_of(I(BPF_LDX | BPF_MEMSX | BPF_H, 2, 1, 0, 0)), "r2 = *(s16 *)(r1 +0)");
  EXPECT_EQ(text_of(I(BPF_STX | BPF_MEM | BPF_DW, 10, 1, -8, 0)), "*(u64 *)(r10 -8) = r1");
  EXPECT_EQ(text_of(I(BPF_ST | BPF_MEM | BPF_B, 10, 0, -1, 7)), "*(u8 *)(r10 -1) = 7");
  // Atomics as the kernel's verifier log writes them: rN registers whatever
  // the size, and a pointer operand (no leading '*') inside the call forms.
  EXPECT_EQ(text_of(I(BPF_STX | BPF_ATOMIC | BPF_W, 1, 2, 0, BPF_ADD)), "lock *(u32 *)(r1 +0) += r2");
  EXPECT_EQ(text_of(I(BPF_STX | BPF_ATOMIC | BPF_DW, 1, 2, -8, BPF_XOR)), "lock *(u64 *)(r1 -8) ^= r2");
  EXPECT_EQ(text_of(I(BPF_STX | BPF_ATOMIC | BPF_DW, 1, 0, 0, BPF_ADD | BPF_FETCH)),
            "r0 = atomic64_fetch_add((u64 *)(r1 +0), r0)");
  EXPECT_EQ(text_of(I(BPF_STX | BPF_ATOMIC | BPF_W, 1, 3, 4, BPF_AND | BPF_FETCH)),
            "r3 = atomic_fetch_and((u32 *)(r1 +4), r3)");
  EXPECT_EQ(text_of(I(BPF_STX | BPF_ATOMIC | BPF_DW, 0, 2, 0, BPF_CMPXCHG)),
            "r0 = atomic64_cmpxchg((u64 *)(r0 +0), r0, r2)");
  EXPECT_EQ(text_of(I(BPF_STX | BPF_ATOMIC | BPF_W, 10, 4, -4, BPF_XCHG)),
            "r4 = atomic_xchg((u32 *)(r10 -4), r4)");
  EXPECT_EQ(text_of(I(BPF_LD | BPF_ABS | BPF_H, 0, 0, 0, 12)), "r0 = *(u16 *)skb[12]");
}

TEST(ToolDisasm, JumpsCallsAndExit) {
  EXPECT_EQ(text_of(I(BPF_JMP | BPF_EXIT, 0, 0, 0, 0)), "exit");
  EXPECT_EQ(text_of(I(BPF_JMP | BPF_JA, 0, 0, -3, 0)), "goto pc-3");
  EXPECT_EQ(text_of(I(BPF_JMP32 | BPF_JA, 0, 0, 0, 70000)), "gotol pc+70000");
  EXPECT_EQ(text_of(I(BPF_JMP | BPF_JEQ | BPF_K, 0, 0, 2, 0)), "if r0 == 0x0 goto pc+2");
  EXPECT_EQ(text_of(I(BPF_JMP | BPF_JSGT | BPF_X, 1, 2, 5, 0)), "if r1 s> r2 goto pc+5");
  EXPECT_EQ(text_of(I(BPF_JMP32 | BPF_JLT | BPF_K, 3, 0, 1, 255)), "if w3 < 0xff goto pc+1");
  EXPECT_EQ(text_of(I(BPF_JMP | BPF_JCOND, 0, 0, 4, 0)), "may_goto pc+4");
  EXPECT_EQ(text_of(I(BPF_JMP | BPF_CALL, 0, BPF_PSEUDO_CALL, 0, 9)), "call pc+9");
  EXPECT_EQ(text_of(I(BPF_JMP | BPF_CALL, 0, 0, 0, 1)), "call unknown#1");
  auto namer = [](const bpf_insn& in) { return in.imm == 1 ? std::string("bpf_map_lookup_elem") : std::string(); };
  bpf_insn call = I(BPF_JMP | BPF_CALL, 0, 0, 0, 1);
  EXPECT_EQ(disassemble(&call, 1, namer)[0].text, "call bpf_map_lookup_elem#1");
  bpf_insn kfunc = I(BPF_JMP | BPF_CALL, 0, BPF_PSEUDO_KFUNC_CALL, 0, 77);
  EXPECT_EQ(disassemble(&kfunc, 1, namer)[0].text, "call kernel-function#77");
}

TEST(ToolDisasm, WideLoadsTakeTwoSlots) {
  std::vector<bpf_insn> prog = {
      I(BPF_LD | BPF_IMM | BPF_DW, 1, BPF_PSEUDO_MAP_FD, 0, 42), I(0, 0, 0, 0, 0),
      I(BPF_LD | BPF_IMM | BPF_DW, 2, BPF_PSEUDO_MAP_VALUE, 0, 43), I(0, 0, 0, 0, 16),
      I(BPF_LD | BPF_IMM | BPF_DW, 3, 0, 0, 0x5678), I(0, 0, 0, 0, 0x1234),
      I(BPF_JMP | BPF_EXIT, 0, 0, 0, 0),
  };
  auto lines = disassemble(prog.data(), prog.size());
  ASSERT_EQ(lines.size(), 4u);
  EXPECT_EQ(lines[0].text, "r1 = map[id:42]");
  EXPECT_EQ(lines[1].text, "r2 = map[id:43][0]+16");
  EXPECT_EQ(lines[2].text, "r3 = 0x123400005678");
  EXPECT_EQ(lines[3].pc, 6u);
  EXPECT_EQ(format_disassembly(lines),
            "   0: (18) r1 = map[id:42]\n"
            "   2: (18) r2 = map[id:43][0]+16\n"
            "   4: (18) r3 = 0x123400005678\n"
            "   6: (95) exit\n");
}

TEST(ToolDisasm, BrokenInputIsNamedNotFatal) {
  bpf_insn half = I(BPF_LD | BPF_IMM | BPF_DW, 1, 0, 0, 1);
  auto lines = disassemble(&half, 1);
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_NE(lines[0].text.find("invalid"), std::string::npos);
  EXPECT_EQ(text_of(I(0xff, 0, 0, 0, 0)).rfind("invalid", 0), 0u);
  EXPECT_EQ(text_of(I(BPF_ALU64 | 0xe0, 0, 0, 0, 0)).rfind("invalid", 0), 0u);
  EXPECT_EQ(text_of(I(BPF_STX | BPF_ATOMIC | BPF_W, 0, 1, 0, 0x55)).rfind("invalid", 0), 0u);
  EXPECT_TRUE(disassemble(nullptr, 0).empty());
}

}  // namespace
