// Building and searching struct bpf_prog_linfo (see prog_linfo.h).
#include "btf/prog_linfo.h"

#include "base/log.h"

#include <cinttypes>
#include <cstdio>
#include <cstring>
#include <string>

namespace {

using bpfxx::fail;
using bpfxx::Failure;

// A pointer member of bpf_prog_info (a __u64 holding a user address).
const uint8_t* user_ptr(uint64_t addr) {
  return reinterpret_cast<const uint8_t*>(static_cast<uintptr_t>(addr));
}

// Element i of a caller's array of T placed stride bytes apart; the
// arrays come from the caller with no alignment promise, hence memcpy.
template <class T>
T element(const uint8_t* base, size_t stride, size_t i) {
  T value;
  std::memcpy(&value, base + i * stride, sizeof(T));
  return value;
}

// "program 'name' (id 7)", or what of it the info holds, for messages.
std::string program_label(const bpf_prog_info& info) {
  std::string label = "program";
  const size_t len = strnlen(info.name, sizeof(info.name));
  if (len > 0) label += " '" + std::string(info.name, len) + "'";
  if (info.id != 0) label += " (id " + std::to_string(info.id) + ")";
  return label;
}

std::string hex(uint64_t value) {
  char buf[24];
  std::snprintf(buf, sizeof(buf), "0x%" PRIx64, value);
  return buf;
}

}  // namespace

bpfxx::Result<std::unique_ptr<bpf_prog_linfo>> bpf_prog_linfo::from_info(const bpf_prog_info& info) {
  const std::string who = program_label(info);
  const uint32_t nr_lines = info.nr_line_info;
  if (nr_lines == 0) return fail(EINVAL, who + ": the info holds no line info (nr_line_info is 0)");
  if (info.line_info == 0) {
    return fail(EINVAL, who + ": nr_line_info is " + std::to_string(nr_lines) + " but line_info is NULL");
  }
  if (info.line_info_rec_size < sizeof(bpf_line_info)) {
    return fail(EINVAL, who + ": line_info_rec_size " + std::to_string(info.line_info_rec_size) +
                            " is smaller than struct bpf_line_info (" +
                            std::to_string(sizeof(bpf_line_info)) + " bytes)");
  }

  std::unique_ptr<bpf_prog_linfo> linfo(new bpf_prog_linfo());
  linfo->lines_.resize(nr_lines);
  const uint8_t* raw_lines = user_ptr(info.line_info);
  for (size_t i = 0; i < nr_lines; i++) {
    linfo->lines_[i] = element<bpf_line_info>(raw_lines, info.line_info_rec_size, i);
  }

  // JIT addresses are optional: the caller may not have asked for them,
  // and interpreted programs have none (the kernel then reports count 0).
  if (info.jited_line_info == 0 || info.nr_jited_line_info == 0) return linfo;
  if (info.jited_ksyms == 0 || info.jited_func_lens == 0) {
    // Without the functions' bounds the addresses cannot be attributed;
    // the xlated lookups still work, as libbpf's do in this case.
    BPFXX_DEBUG("%s: jited_line_info without jited_ksyms/jited_func_lens; keeping only the "
                "instruction offsets\n", who.c_str());
    return linfo;
  }
  if (info.nr_jited_line_info != nr_lines) {
    return fail(EINVAL, who + ": nr_jited_line_info " + std::to_string(info.nr_jited_line_info) +
                            " differs from nr_line_info " + std::to_string(nr_lines) +
                            " (each line info needs its JIT address)");
  }
  if (info.jited_line_info_rec_size < sizeof(uint64_t)) {
    return fail(EINVAL, who + ": jited_line_info_rec_size " +
                            std::to_string(info.jited_line_info_rec_size) +
                            " is smaller than an address (8 bytes)");
  }
  const uint32_t nr_funcs = info.nr_jited_ksyms;
  if (nr_funcs == 0 || info.nr_jited_func_lens != nr_funcs) {
    return fail(EINVAL, who + ": nr_jited_ksyms " + std::to_string(nr_funcs) + " and nr_jited_func_lens " +
                            std::to_string(info.nr_jited_func_lens) +
                            " must be equal and non-zero when jited_line_info is given");
  }

  linfo->jited_addrs_.resize(nr_lines);
  const uint8_t* raw_addrs = user_ptr(info.jited_line_info);
  for (size_t i = 0; i < nr_lines; i++) {
    linfo->jited_addrs_[i] = element<uint64_t>(raw_addrs, info.jited_line_info_rec_size, i);
  }
  const uint8_t* raw_starts = user_ptr(info.jited_ksyms);
  const uint8_t* raw_lens = user_ptr(info.jited_func_lens);
  const std::vector<uint64_t>& addrs = linfo->jited_addrs_;

  // Function f owns the records from the one at its start address up to
  // the one at function f + 1's start; within it the addresses rise and
  // stay inside [start, start + len).
  linfo->funcs_.resize(nr_funcs);
  size_t first = 0;
  for (uint32_t f = 0; f < nr_funcs; f++) {
    const uint64_t start = element<uint64_t>(raw_starts, sizeof(uint64_t), f);
    const uint32_t len = element<uint32_t>(raw_lens, sizeof(uint32_t), f);
    if (first >= nr_lines || addrs[first] != start) {
      return fail(EINVAL, who + ": no JIT line address matches the start " + hex(start) + " of function " +
                              std::to_string(f) + " (jited_ksyms[" + std::to_string(f) + "])");
    }
    if (len == 0) return fail(EINVAL, who + ": jited_func_lens[" + std::to_string(f) + "] is 0");
    const bool last = f + 1 == nr_funcs;
    const uint64_t next_start = last ? 0 : element<uint64_t>(raw_starts, sizeof(uint64_t), f + 1);
    size_t end = first + 1;
    for (; end < nr_lines && (last || addrs[end] != next_start); end++) {
      if (addrs[end] <= addrs[end - 1] || addrs[end] - start >= len) {
        return fail(EINVAL, who + ": jited_line_info[" + std::to_string(end) + "] = " + hex(addrs[end]) +
                                " does not follow " + hex(addrs[end - 1]) + " inside function " +
                                std::to_string(f) + " (" + hex(start) + ", " + std::to_string(len) +
                                " bytes)");
      }
    }
    linfo->funcs_[f] = JitedFunc{static_cast<uint32_t>(first), static_cast<uint32_t>(end - first)};
    first = end;
  }
  return linfo;
}

const bpf_line_info* bpf_prog_linfo::find(uint32_t insn_off, uint32_t nr_skip) const noexcept {
  const size_t n = lines_.size();
  if (nr_skip >= n || insn_off < lines_[nr_skip].insn_off) return nullptr;
  size_t i = size_t{nr_skip} + 1;
  while (i < n && lines_[i].insn_off <= insn_off) i++;
  return &lines_[i - 1];
}

const bpf_line_info* bpf_prog_linfo::find_jited(uint64_t addr, uint32_t func_idx,
                                                uint32_t nr_skip) const noexcept {
  if (func_idx >= funcs_.size()) return nullptr;
  const JitedFunc& func = funcs_[func_idx];
  if (nr_skip >= func.count) return nullptr;
  const size_t begin = size_t{func.first} + nr_skip;
  const size_t end = size_t{func.first} + func.count;
  if (addr < jited_addrs_[begin]) return nullptr;
  size_t i = begin + 1;
  while (i < end && jited_addrs_[i] <= addr) i++;
  return &lines_[i - 1];
}
