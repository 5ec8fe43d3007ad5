#include "insn_disasm.h"

#include <cinttypes>
#include <cstdarg>
#include <cstdio>
#include <string>

namespace bpfxx::tool {
namespace {

std::string fmt(const char* f, ...) __attribute__((format(printf, 1, 2)));
std::string fmt(const char* f, ...) {
  char buf[256];
  va_list ap;
  va_start(ap, f);
  int n = std::vsnprintf(buf, sizeof(buf), f, ap);
  va_end(ap);
  if (n < 0) return {};
  return std::string(buf, static_cast<size_t>(n) < sizeof(buf) ? static_cast<size_t>(n) : sizeof(buf) - 1);
}

const char* size_name(uint8_t code) {
  switch (BPF_SIZE(code)) {
    case BPF_B: return "u8";
    case BPF_H: return "u16";
    case BPF_W: return "u32";
    case BPF_DW: return "u64";
  }
  return "u?";
}

const char* signed_size_name(uint8_t code) {
  switch (BPF_SIZE(code)) {
    case BPF_B: return "s8";
    case BPF_H: return "s16";
    case BPF_W: return "s32";
    case BPF_DW: return "s64";
  }
  return "s?";
}

// The compound assignment of an ALU operation ("+=", ...); null if none.
const char* alu_op(uint8_t op, bool is_signed) {
  switch (op) {
    case BPF_ADD: return "+=";
    case BPF_SUB: return "-=";
    case BPF_MUL: return "*=";
    case BPF_DIV: return is_signed ? "s/=" : "/=";
    case BPF_OR: return "|=";
    case BPF_AND: return "&=";
    case BPF_LSH: return "<<=";
    case BPF_RSH: return ">>=";
    case BPF_MOD: return is_signed ? "s%=" : "%=";
    case BPF_XOR: return "^=";
    case BPF_ARSH: return "s>>=";
    default: return nullptr;
  }
}

const char* jmp_op(uint8_t op) {
  switch (op) {
    case BPF_JEQ: return "==";
    case BPF_JGT: return ">";
    case BPF_JGE: return ">=";
    case BPF_JSET: return "&";
    case BPF_JNE: return "!=";
    case BPF_JSGT: return "s>";
    case BPF_JSGE: return "s>=";
    case BPF_JLT: return "<";
    case BPF_JLE: return "<=";
    case BPF_JSLT: return "s<";
    case BPF_JSLE: return "s<=";
    default: return nullptr;
  }
}

// The memory operand "*(u32 *)(r1 +8)".
std::string mem(const char* size, int reg, int16_t off) { return fmt("*(%s *)(r%d %+d)", size, reg, off); }

std::string alu(const bpf_insn& in) {
  const bool is64 = BPF_CLASS(in.code) == BPF_ALU64;
  const char r = is64 ? 'r' : 'w';
  const uint8_t op = BPF_OP(in.code);
  const bool src_reg = BPF_SRC(in.code) == BPF_X;
  if (op == BPF_END) {
    // ALU64 | END is the unconditional byte swap; ALU | END converts to/from LE or BE.
    const char* how = is64 ? "bswap" : (BPF_SRC(in.code) == BPF_TO_BE ? "be" : "le");
    return fmt("r%d = %s%d r%d", in.dst_reg, how, in.imm, in.dst_reg);
  }
  if (op == BPF_NEG) return fmt("%c%d = -%c%d", r, in.dst_reg, r, in.dst_reg);
  if (op == BPF_MOV) {
    if (!src_reg) return fmt("%c%d = %d", r, in.dst_reg, in.imm);
    if (in.off == 8 || in.off == 16 || in.off == 32)
      return fmt("%c%d = (s%d)%c%d", r, in.dst_reg, in.off, r, in.src_reg);
    if (in.off == 1 && is64) return fmt("r%d = addr_space_cast(r%d, %d, %d)", in.dst_reg, in.src_reg,
                                        static_cast<int>(static_cast<uint32_t>(in.imm) >> 16), in.imm & 0xffff);
    return fmt("%c%d = %c%d", r, in.dst_reg, r, in.src_reg);
  }
  const char* o = alu_op(op, in.off == 1);
  if (o == nullptr) return fmt("invalid alu opcode 0x%02x", in.code);
  if (src_reg) return fmt("%c%d %s %c%d", r, in.dst_reg, o, r, in.src_reg);
  return fmt("%c%d %s %d", r, in.dst_reg, o, in.imm);
}

// As the kernel's verifier log writes them: registers always as rN, the
// memory operand as "*(u32 *)(r1 +0)" in the lock form and as a pointer,
// "(u32 *)(r1 +0)", inside the call forms.
std::string atomic(const bpf_insn& in) {
  const char* size = size_name(in.code);
  const std::string m = mem(size, in.dst_reg, in.off);
  const std::string ptr = m.substr(1);  // without the leading '*'
  const bool fetch = (in.imm & BPF_FETCH) != 0;
  const char* bits = BPF_SIZE(in.code) == BPF_DW ? "64" : "";
  switch (in.imm) {
    case BPF_XCHG: return fmt("r%d = atomic%s_xchg(%s, r%d)", in.src_reg, bits, ptr.c_str(), in.src_reg);
    case BPF_CMPXCHG: return fmt("r0 = atomic%s_cmpxchg(%s, r0, r%d)", bits, ptr.c_str(), in.src_reg);
    case BPF_LOAD_ACQ:
      return fmt("r%d = load_acquire(%s)", in.dst_reg, mem(size, in.src_reg, in.off).substr(1).c_str());
    case BPF_STORE_REL: return fmt("store_release(%s, r%d)", ptr.c_str(), in.src_reg);
    default: break;
  }
  const uint8_t op = static_cast<uint8_t>(in.imm & ~BPF_FETCH);
  const char* o = nullptr;
  switch (op) {
    case BPF_ADD: o = "add"; break;
    case BPF_AND: o = "and"; break;
    case BPF_OR: o = "or"; break;
    case BPF_XOR: o = "xor"; break;
    default: return fmt("invalid atomic operation 0x%x", static_cast<unsigned>(in.imm));
  }
  if (fetch) return fmt("r%d = atomic%s_fetch_%s(%s, r%d)", in.src_reg, bits, o, ptr.c_str(), in.src_reg);
  const char* sym = op == BPF_ADD ? "+=" : op == BPF_AND ? "&=" : op == BPF_OR ? "|=" : "^=";
  return fmt("lock %s %s r%d", m.c_str(), sym, in.src_reg);
}

std::string call(const bpf_insn& in, const CallNamer& namer) {
  if (in.src_reg == BPF_PSEUDO_CALL) return fmt("call pc%+d", in.imm);
  std::string name = namer ? namer(in) : std::string();
  if (in.src_reg == BPF_PSEUDO_KFUNC_CALL)
    return name.empty() ? fmt("call kernel-function#%d", in.imm) : fmt("call %s#%d", name.c_str(), in.imm);
  return name.empty() ? fmt("call unknown#%d", in.imm) : fmt("call %s#%d", name.c_str(), in.imm);
}

std::string jmp(const bpf_insn& in, const CallNamer& namer) {
  const bool is32 = BPF_CLASS(in.code) == BPF_JMP32;
  const uint8_t op = BPF_OP(in.code);
  if (!is32) {
    if (op == BPF_EXIT) return "exit";
    if (op == BPF_CALL) return call(in, namer);
    if (op == BPF_JA) {
      if (in.off == 0 && in.imm == 0) return "goto pc+0";
      return fmt("goto pc%+d", in.off);
    }
    if (op == BPF_JCOND) return fmt("may_goto pc%+d", in.off);
  } else if (op == BPF_JA) {
    return fmt("gotol pc%+d", in.imm);
  }
  const char* o = jmp_op(op);
  if (o == nullptr) return fmt("invalid jump opcode 0x%02x", in.code);
  const char r = is32 ? 'w' : 'r';
  if (BPF_SRC(in.code) == BPF_X) return fmt("if %c%d %s %c%d goto pc%+d", r, in.dst_reg, o, r, in.src_reg, in.off);
  return fmt("if %c%d %s 0x%x goto pc%+d", r, in.dst_reg, o, static_cast<uint32_t>(in.imm), in.off);
}

std::string ld_imm64(const bpf_insn& lo, const bpf_insn& hi) {
  const uint64_t value = (static_cast<uint64_t>(static_cast<uint32_t>(hi.imm)) << 32) | static_cast<uint32_t>(lo.imm);
  switch (lo.src_reg) {
    // In xlated programs the kernel puts the map id where the fd was.
    case BPF_PSEUDO_MAP_FD:
    case BPF_PSEUDO_MAP_IDX: return fmt("r%d = map[id:%u]", lo.dst_reg, static_cast<uint32_t>(lo.imm));
    case BPF_PSEUDO_MAP_VALUE:
    case BPF_PSEUDO_MAP_IDX_VALUE:
      return fmt("r%d = map[id:%u][0]+%u", lo.dst_reg, static_cast<uint32_t>(lo.imm), static_cast<uint32_t>(hi.imm));
    case BPF_PSEUDO_BTF_ID: return fmt("r%d = btf_id:%u", lo.dst_reg, static_cast<uint32_t>(lo.imm));
    case BPF_PSEUDO_FUNC: return fmt("r%d = subprog[pc%+d]", lo.dst_reg, lo.imm);
    default: return fmt("r%d = 0x%" PRIx64, lo.dst_reg, value);
  }
}

std::string one(const bpf_insn& in, const CallNamer& namer) {
  const uint8_t cls = BPF_CLASS(in.code);
  const uint8_t mode = BPF_MODE(in.code);
  switch (cls) {
    case BPF_ALU:
    case BPF_ALU64: return alu(in);
    case BPF_JMP:
    case BPF_JMP32: return jmp(in, namer);
    case BPF_LDX:
      if (mode == BPF_MEM) return fmt("r%d = %s", in.dst_reg, mem(size_name(in.code), in.src_reg, in.off).c_str());
      if (mode == BPF_MEMSX)
        return fmt("r%d = %s", in.dst_reg, mem(signed_size_name(in.code), in.src_reg, in.off).c_str());
      break;
    case BPF_STX:
      if (mode == BPF_MEM) return fmt("%s = r%d", mem(size_name(in.code), in.dst_reg, in.off).c_str(), in.src_reg);
      if (mode == BPF_ATOMIC) return atomic(in);
      break;
    case BPF_ST:
      if (mode == BPF_MEM) return fmt("%s = %d", mem(size_name(in.code), in.dst_reg, in.off).c_str(), in.imm);
      break;
    case BPF_LD:
      if (mode == BPF_ABS) return fmt("r0 = *(%s *)skb[%d]", size_name(in.code), in.imm);
      if (mode == BPF_IND) return fmt("r0 = *(%s *)skb[r%d + %d]", size_name(in.code), in.src_reg, in.imm);
      break;
    default: break;
  }
  return fmt("invalid opcode 0x%02x", in.code);
}

}  // namespace

std::vector<DisasmLine> disassemble(const bpf_insn* insns, size_t n, const CallNamer& namer) {
  std::vector<DisasmLine> lines;
  for (size_t pc = 0; pc < n;) {
    DisasmLine line;
    line.pc = pc;
    line.code = insns[pc].code;
    if (insns[pc].code == (BPF_LD | BPF_IMM | BPF_DW)) {
      if (pc + 1 >= n) {
        line.text = "invalid 64-bit load: second half missing";
      } else {
        line.text = ld_imm64(insns[pc], insns[pc + 1]);
        line.slots = 2;
      }
    } else {
      line.text = one(insns[pc], namer);
    }
    pc += line.slots;
    lines.push_back(std::move(line));
  }
  return lines;
}

std::string format_disassembly(const std::vector<DisasmLine>& lines) {
  std::string out;
  for (const DisasmLine& l : lines) {
    char head[32];
    std::snprintf(head, sizeof(head), "%4zu: (%02x) ", l.pc, l.code);
    out += head;
    out += l.text;
    out += '\n';
  }
  return out;
}

}  // namespace bpfxx::tool
