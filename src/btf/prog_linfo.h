// struct bpf_prog_linfo: the line info of a loaded program, as the kernel
// reports it in struct bpf_prog_info, indexed for lookups by translated
// instruction offset and by JIT address.
//
// The kernel gives one bpf_line_info per source line change (sorted by
// insn_off) and, for a JITed program, one address per line info. The
// addresses are grouped by JITed function: function f starts at
// jited_ksyms[f], spans jited_func_lens[f] bytes, and its first line info
// has exactly that address. Both arrays are copied here with a fixed
// stride, whatever record size the kernel used.
#pragma once

#include <bpf/libbpf.h>
#include <bpfxx/result.hpp>

#include <cstdint>
#include <memory>
#include <vector>

struct bpf_prog_linfo {
 public:
  // Validates info and copies its arrays; the failure message says what
  // is inconsistent (EINVAL) and names the program.
  static bpfxx::Result<std::unique_ptr<bpf_prog_linfo>> from_info(const bpf_prog_info& info);

  // The record before the first one, from nr_skip on, whose insn_off is
  // past insn_off; nullptr when nr_skip is out of range or the record at
  // nr_skip already starts past insn_off.
  const bpf_line_info* find(uint32_t insn_off, uint32_t nr_skip) const noexcept;
  // The same over the JIT addresses of function func_idx, counting
  // nr_skip from the function's first record.
  const bpf_line_info* find_jited(uint64_t addr, uint32_t func_idx, uint32_t nr_skip) const noexcept;

  size_t line_count() const noexcept { return lines_.size(); }
  // JITed functions whose addresses were kept (0 without JIT info).
  size_t jited_func_count() const noexcept { return funcs_.size(); }

 private:
  bpf_prog_linfo() = default;

  // The records of one JITed function: lines_[first, first + count).
  struct JitedFunc {
    uint32_t first = 0;
    uint32_t count = 0;
  };

  std::vector<bpf_line_info> lines_;
  std::vector<uint64_t> jited_addrs_;  // parallel to lines_; empty without JIT info
  std::vector<JitedFunc> funcs_;
};
