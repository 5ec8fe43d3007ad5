// A small eBPF hand-assembler for the kernel tests.
//
// Each function builds one instruction (two for the 64-bit immediate loads)
// from its operands, as a constexpr value, so a test can spell its program
// out instruction by instruction:
//
//   using namespace bpfxx::test::insn;
//   Program p;
//   p << mov64_imm(R0, 0) << exit_insn();
//
// Jump offsets count instructions after the jump (0 = the next one), as the
// kernel reads them; a 64-bit immediate load counts as two.
#pragma once

#include <bpf/uapi/linux/bpf.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <vector>

namespace bpfxx::test::insn {

// Register names, shorter than BPF_REG_n.
inline constexpr std::uint8_t R0 = 0, R1 = 1, R2 = 2, R3 = 3, R4 = 4, R5 = 5, R6 = 6, R7 = 7,
                              R8 = 8, R9 = 9, R10 = 10;

// A 64-bit immediate load occupies two instruction slots.
using Wide = std::array<bpf_insn, 2>;

constexpr bpf_insn make(std::uint8_t code, std::uint8_t dst, std::uint8_t src, std::int16_t off,
                        std::int32_t imm) {
  bpf_insn i{};
  i.code = code;
  i.dst_reg = dst & 0xf;
  i.src_reg = src & 0xf;
  i.off = off;
  i.imm = imm;
  return i;
}

// ---- ALU ----------------------------------------------------------------

// dst = dst <op> imm, 64 bit (op: BPF_ADD, BPF_SUB, BPF_AND, ...).
constexpr bpf_insn alu64_imm(std::uint8_t op, std::uint8_t dst, std::int32_t imm) {
  return make(BPF_ALU64 | op | BPF_K, dst, 0, 0, imm);
}
// dst = dst <op> src, 64 bit.
constexpr bpf_insn alu64_reg(std::uint8_t op, std::uint8_t dst, std::uint8_t src) {
  return make(BPF_ALU64 | op | BPF_X, dst, src, 0, 0);
}
// dst = dst <op> imm, 32 bit (upper half cleared).
constexpr bpf_insn alu32_imm(std::uint8_t op, std::uint8_t dst, std::int32_t imm) {
  return make(BPF_ALU | op | BPF_K, dst, 0, 0, imm);
}
// dst = dst <op> src, 32 bit.
constexpr bpf_insn alu32_reg(std::uint8_t op, std::uint8_t dst, std::uint8_t src) {
  return make(BPF_ALU | op | BPF_X, dst, src, 0, 0);
}

// dst = imm (sign-extended to 64 bit).
constexpr bpf_insn mov64_imm(std::uint8_t dst, std::int32_t imm) {
  return alu64_imm(BPF_MOV, dst, imm);
}
// dst = src.
constexpr bpf_insn mov64_reg(std::uint8_t dst, std::uint8_t src) {
  return alu64_reg(BPF_MOV, dst, src);
}
// dst = (u32)imm.
constexpr bpf_insn mov32_imm(std::uint8_t dst, std::int32_t imm) {
  return alu32_imm(BPF_MOV, dst, imm);
}
// dst = (u32)src.
constexpr bpf_insn mov32_reg(std::uint8_t dst, std::uint8_t src) {
  return alu32_reg(BPF_MOV, dst, src);
}

// ---- 64-bit immediate loads ----------------------------------------------

constexpr Wide ld_imm64_raw(std::uint8_t dst, std::uint8_t src, std::uint64_t value) {
  return Wide{make(BPF_LD | BPF_DW | BPF_IMM, dst, src, 0,
                   static_cast<std::int32_t>(static_cast<std::uint32_t>(value))),
              make(0, 0, 0, 0, static_cast<std::int32_t>(static_cast<std::uint32_t>(value >> 32)))};
}
// dst = value (full 64 bit).
constexpr Wide ld_imm64(std::uint8_t dst, std::uint64_t value) {
  return ld_imm64_raw(dst, 0, value);
}
// dst = the map whose fd is map_fd (the verifier replaces the fd).
constexpr Wide ld_map_fd(std::uint8_t dst, int map_fd) {
  return ld_imm64_raw(dst, BPF_PSEUDO_MAP_FD, static_cast<std::uint32_t>(map_fd));
}
// dst = address of the value of an array map (key 0) plus offset.
constexpr Wide ld_map_value(std::uint8_t dst, int map_fd, std::uint32_t offset) {
  return ld_imm64_raw(dst, BPF_PSEUDO_MAP_VALUE,
                      (static_cast<std::uint64_t>(offset) << 32) | static_cast<std::uint32_t>(map_fd));
}

// ---- memory --------------------------------------------------------------

// dst = *(size *)(src + off); size is BPF_B, BPF_H, BPF_W or BPF_DW.
constexpr bpf_insn ldx_mem(std::uint8_t size, std::uint8_t dst, std::uint8_t src, std::int16_t off) {
  return make(BPF_LDX | size | BPF_MEM, dst, src, off, 0);
}
// *(size *)(dst + off) = src.
constexpr bpf_insn stx_mem(std::uint8_t size, std::uint8_t dst, std::uint8_t src, std::int16_t off) {
  return make(BPF_STX | size | BPF_MEM, dst, src, off, 0);
}
// *(size *)(dst + off) = imm.
constexpr bpf_insn st_mem(std::uint8_t size, std::uint8_t dst, std::int16_t off, std::int32_t imm) {
  return make(BPF_ST | size | BPF_MEM, dst, 0, off, imm);
}
// Atomic *(size *)(dst + off) <op>= src; size BPF_W or BPF_DW, op e.g. BPF_ADD.
constexpr bpf_insn atomic_op(std::uint8_t size, std::int32_t op, std::uint8_t dst, std::uint8_t src,
                             std::int16_t off) {
  return make(BPF_STX | size | BPF_ATOMIC, dst, src, off, op);
}

// ---- jumps ---------------------------------------------------------------

// if (dst <op> imm) goto +off (op: BPF_JEQ, BPF_JNE, BPF_JGT, ...).
constexpr bpf_insn jmp_imm(std::uint8_t op, std::uint8_t dst, std::int32_t imm, std::int16_t off) {
  return make(BPF_JMP | op | BPF_K, dst, 0, off, imm);
}
// if (dst <op> src) goto +off.
constexpr bpf_insn jmp_reg(std::uint8_t op, std::uint8_t dst, std::uint8_t src, std::int16_t off) {
  return make(BPF_JMP | op | BPF_X, dst, src, off, 0);
}
// goto +off.
constexpr bpf_insn ja(std::int16_t off) { return make(BPF_JMP | BPF_JA, 0, 0, off, 0); }

// Calls the helper with this id (BPF_FUNC_...).
constexpr bpf_insn call_helper(std::int32_t helper_id) {
  return make(BPF_JMP | BPF_CALL, 0, 0, 0, helper_id);
}
// return r0.
constexpr bpf_insn exit_insn() { return make(BPF_JMP | BPF_EXIT, 0, 0, 0, 0); }

// ---- programs ------------------------------------------------------------

// A growing instruction sequence.
class Program {
 public:
  Program() = default;
  Program(std::initializer_list<bpf_insn> insns) : insns_(insns) {}

  Program& operator<<(const bpf_insn& i) {
    insns_.push_back(i);
    return *this;
  }
  Program& operator<<(const Wide& w) {
    insns_.push_back(w[0]);
    insns_.push_back(w[1]);
    return *this;
  }

  const bpf_insn* data() const { return insns_.data(); }
  std::size_t size() const { return insns_.size(); }

 private:
  std::vector<bpf_insn> insns_;
};

// ---- ready-made programs the tests share ----------------------------------

// return imm.
inline Program return_imm(std::int32_t imm) { return Program{mov64_imm(R0, imm), exit_insn()}; }

// Adds 1 to the u64 at key 0 of the array map `map_fd` (atomically), then
// returns `ret`.
inline Program count_into_array(int map_fd, std::int32_t ret) {
  Program p;
  p << st_mem(BPF_W, R10, -4, 0)         // key = 0 on the stack
    << mov64_reg(R2, R10) << alu64_imm(BPF_ADD, R2, -4)  // r2 = &key
    << ld_map_fd(R1, map_fd)             // r1 = map
    << call_helper(BPF_FUNC_map_lookup_elem)
    << jmp_imm(BPF_JEQ, R0, 0, 2)        // no value: skip the add
    << mov64_imm(R1, 1) << atomic_op(BPF_DW, BPF_ADD, R0, R1, 0)
    << mov64_imm(R0, ret) << exit_insn();
  return p;
}

// Reads r2 before anything wrote it: the verifier must refuse this.
inline Program reads_uninitialized_r2() { return Program{mov64_reg(R0, R2), exit_insn()}; }

}  // namespace bpfxx::test::insn
