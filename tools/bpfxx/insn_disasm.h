// A text disassembler for eBPF instructions, in the kernel verifier's
// notation ("r1 = *(u32 *)(r2 +8)", "if r1 > 0x5 goto pc+3"), used by
// `bpfxx prog dump xlated`.
#pragma once

#include <bpf/bpf.h>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace bpfxx::tool {

// Gives the name of the function a helper or kfunc call reaches (for
// xlated programs: imm is an offset from __bpf_call_base), or "" when unknown.
using CallNamer = std::function<std::string(const bpf_insn& call)>;

struct DisasmLine {
  size_t pc = 0;       // index of the instruction's first slot
  uint8_t code = 0;    // its opcode byte
  size_t slots = 1;    // 2 for a 64-bit immediate load
  std::string text;    // "r0 = 0"
};

// Every instruction of insns[0..n); a 64-bit load cut off at the end
// becomes an "invalid" line rather than a read past the end.
std::vector<DisasmLine> disassemble(const bpf_insn* insns, size_t n, const CallNamer& namer = {});

// The lines as "   0: (b7) r0 = 0\n" text, as bpftool prints them.
std::string format_disassembly(const std::vector<DisasmLine>& lines);

}  // namespace bpfxx::tool
