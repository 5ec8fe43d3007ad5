// bpf_prog_linfo__* over what the kernel reports for a loaded program with
// subprograms and callbacks (load_subprogs.bpf.c): every translated
// instruction maps to a source line of the right function in the .bpf.c
// file, and every JITed function's start address maps to its first line.
#include "object_support.h"

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include <gtest/gtest.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

namespace bpfxx::test {
namespace {

constexpr const char* kObject = "load_subprogs";
constexpr const char* kSourceName = "load_subprogs.bpf.c";

struct LinfoDeleter {
  void operator()(bpf_prog_linfo* l) const noexcept { bpf_prog_linfo__free(l); }
};
using LinfoPtr = std::unique_ptr<bpf_prog_linfo, LinfoDeleter>;

struct BtfDeleter {
  void operator()(btf* b) const noexcept { btf__free(b); }
};
using BtfPtr = std::unique_ptr<btf, BtfDeleter>;

__u64 user_ptr(const void* p) { return static_cast<__u64>(reinterpret_cast<uintptr_t>(p)); }

// A program's info with the arrays this test needs, fetched the way
// applications do: once for the counts, once more into sized buffers.
struct ProgInfo {
  bpf_prog_info info{};
  std::vector<uint8_t> line_info;
  std::vector<uint8_t> jited_line_info;
  std::vector<__u64> jited_ksyms;
  std::vector<__u32> jited_func_lens;
  std::vector<uint8_t> func_info;

  const bpf_line_info* line(size_t i) const {
    return reinterpret_cast<const bpf_line_info*>(line_info.data() + i * info.line_info_rec_size);
  }
  __u32 func_start(size_t f) const {
    bpf_func_info rec;
    std::memcpy(&rec, func_info.data() + f * info.func_info_rec_size, sizeof(rec));
    return rec.insn_off;
  }
  __u32 func_type(size_t f) const {
    bpf_func_info rec;
    std::memcpy(&rec, func_info.data() + f * info.func_info_rec_size, sizeof(rec));
    return rec.type_id;
  }
};

::testing::AssertionResult fetch_info(int prog_fd, ProgInfo& out) {
  bpf_prog_info counts{};
  __u32 len = sizeof(counts);
  if (bpf_prog_get_info_by_fd(prog_fd, &counts, &len) != 0) {
    return ::testing::AssertionFailure() << "first bpf_prog_get_info_by_fd: " << std::strerror(errno);
  }
  out.line_info.assign(size_t{counts.nr_line_info} * counts.line_info_rec_size, 0);
  out.jited_line_info.assign(size_t{counts.nr_jited_line_info} * counts.jited_line_info_rec_size, 0);
  out.jited_ksyms.assign(counts.nr_jited_ksyms, 0);
  out.jited_func_lens.assign(counts.nr_jited_func_lens, 0);
  out.func_info.assign(size_t{counts.nr_func_info} * counts.func_info_rec_size, 0);

  bpf_prog_info& info = out.info;
  info = bpf_prog_info{};
  info.nr_line_info = counts.nr_line_info;
  info.line_info_rec_size = counts.line_info_rec_size;
  info.line_info = user_ptr(out.line_info.data());
  info.nr_jited_line_info = counts.nr_jited_line_info;
  info.jited_line_info_rec_size = counts.jited_line_info_rec_size;
  info.jited_line_info = user_ptr(out.jited_line_info.data());
  info.nr_jited_ksyms = counts.nr_jited_ksyms;
  info.jited_ksyms = user_ptr(out.jited_ksyms.data());
  info.nr_jited_func_lens = counts.nr_jited_func_lens;
  info.jited_func_lens = user_ptr(out.jited_func_lens.data());
  info.nr_func_info = counts.nr_func_info;
  info.func_info_rec_size = counts.func_info_rec_size;
  info.func_info = user_ptr(out.func_info.data());
  len = sizeof(info);
  if (bpf_prog_get_info_by_fd(prog_fd, &info, &len) != 0) {
    return ::testing::AssertionFailure() << "second bpf_prog_get_info_by_fd: " << std::strerror(errno);
  }
  return ::testing::AssertionSuccess();
}

// The lines of a source file; empty when it cannot be read.
std::vector<std::string> read_lines(const std::string& path) {
  std::ifstream in(path);
  std::vector<std::string> lines;
  for (std::string l; std::getline(in, l);) lines.push_back(l);
  return lines;
}

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::string trim(const std::string& s) {
  const size_t b = s.find_first_not_of(" \t");
  if (b == std::string::npos) return {};
  return s.substr(b, s.find_last_not_of(" \t") - b + 1);
}

// The 1-based source lines [first, last] of a top-level function: from the
// line declaring it to the first closing brace at column 0 after it.
struct LineRange {
  size_t first = 0;
  size_t last = 0;
  bool contains(size_t line) const { return line >= first && line <= last; }
};

LineRange function_lines(const std::vector<std::string>& src, const std::string& name) {
  LineRange r;
  for (size_t i = 0; i < src.size(); i++) {
    const std::string& l = src[i];
    if (r.first == 0) {
      if (!l.empty() && l[0] != ' ' && l[0] != '\t' && l.find(" " + name + "(") != std::string::npos) {
        r.first = i + 1;
      }
    } else if (l == "}") {
      r.last = i + 1;
      return r;
    }
  }
  ADD_FAILURE() << "no definition of " << name << "() in " << kSourceName;
  return r;
}

class ProgLinfoKernel : public ::testing::Test {
 protected:
  void SetUp() override {
    if (geteuid() != 0) GTEST_SKIP() << "kernel tests need root";
    obj_ = open_prog_object(kObject);
    ASSERT_TRUE(obj_);
    BPFXX_ASSERT_OK(bpf_object__load(obj_.get()));
  }

  // Checks one program end to end; *jited_checked tells whether the
  // kernel gave JIT line info to check (the caller reports a skip if not).
  void check_program(const char* name, size_t min_funcs, bool* jited_checked);

  std::vector<std::string> src_;
  ObjectPtr obj_;
};

void ProgLinfoKernel::check_program(const char* name, size_t min_funcs, bool* jited_checked) {
  *jited_checked = false;
  SCOPED_TRACE(name);
  bpf_program* prog = must_find_program(obj_.get(), name);
  ASSERT_NE(prog, nullptr);
  ProgInfo pi;
  ASSERT_TRUE(fetch_info(bpf_program__fd(prog), pi));
  const bpf_prog_info& info = pi.info;
  ASSERT_GT(info.nr_line_info, 0u) << "the kernel kept the program's BTF line info";
  ASSERT_GE(info.line_info_rec_size, sizeof(bpf_line_info));
  ASSERT_GE(info.nr_func_info, min_funcs) << "main program plus its subprograms";
  ASSERT_NE(info.btf_id, 0u);

  // The program's BTF, reached by id as a tool inspecting a foreign
  // program would.
  const int btf_fd = bpf_btf_get_fd_by_id(info.btf_id);
  ASSERT_GE(btf_fd, 0) << "bpf_btf_get_fd_by_id(" << info.btf_id << "): " << std::strerror(errno);
  close(btf_fd);
  BtfPtr prog_btf(btf__load_from_kernel_by_id(info.btf_id));
  ASSERT_TRUE(prog_btf) << "btf__load_from_kernel_by_id: " << std::strerror(errno);

  // The source file the BTF names (clang records the absolute path it
  // compiled), read as the oracle for line numbers and line text.
  const char* src_path = btf__name_by_offset(prog_btf.get(), pi.line(0)->file_name_off);
  ASSERT_NE(src_path, nullptr);
  ASSERT_TRUE(ends_with(src_path, kSourceName)) << src_path;
  src_ = read_lines(src_path);
  ASSERT_FALSE(src_.empty()) << "reading " << src_path << ": " << std::strerror(errno);

  LinfoPtr linfo(bpf_prog_linfo__new(&info));
  ASSERT_TRUE(linfo) << "bpf_prog_linfo__new: " << std::strerror(errno);

  // Each function's name and source range, in func_info order (the order
  // of jited_ksyms too).
  std::vector<LineRange> ranges;
  for (__u32 f = 0; f < info.nr_func_info; f++) {
    const btf_type* t = btf__type_by_id(prog_btf.get(), pi.func_type(f));
    ASSERT_NE(t, nullptr);
    const std::string fname = btf__name_by_offset(prog_btf.get(), t->name_off);
    ranges.push_back(function_lines(src_, fname));
    SCOPED_TRACE(fname);
    if (f == 0) {
      EXPECT_EQ(fname, name);
    }
  }
  auto func_of_insn = [&](__u32 insn) {
    size_t f = 0;
    while (f + 1 < info.nr_func_info && pi.func_start(f + 1) <= insn) f++;
    return f;
  };
  auto check_record = [&](const bpf_line_info* rec, size_t f, const std::string& where) {
    const char* file = btf__name_by_offset(prog_btf.get(), rec->file_name_off);
    const char* text = btf__name_by_offset(prog_btf.get(), rec->line_off);
    ASSERT_NE(file, nullptr) << where;
    ASSERT_NE(text, nullptr) << where;
    EXPECT_STREQ(file, src_path) << where;
    const size_t line_num = BPF_LINE_INFO_LINE_NUM(rec->line_col);
    ASSERT_GE(line_num, 1u) << where;
    ASSERT_LE(line_num, src_.size()) << where << ": line " << line_num << " is past the end of the file";
    EXPECT_EQ(trim(src_[line_num - 1]), trim(text)) << where << ": BTF line text vs line " << line_num;
    EXPECT_TRUE(ranges[f].contains(line_num))
        << where << ": line " << line_num << " is outside function #" << f << " (lines " << ranges[f].first
        << "-" << ranges[f].last << ")";
  };

  // Every translated instruction: the record is the last one at or before
  // it in the kernel's array (an independent scan), and names a line of
  // the function holding the instruction.
  const __u32 insn_cnt = info.xlated_prog_len / sizeof(bpf_insn);
  ASSERT_GT(insn_cnt, 0u);
  for (__u32 insn = 0; insn < insn_cnt; insn++) {
    size_t expect = 0;
    while (expect + 1 < info.nr_line_info && pi.line(expect + 1)->insn_off <= insn) expect++;
    const bpf_line_info* rec = bpf_prog_linfo__lfind(linfo.get(), insn, 0);
    ASSERT_NE(rec, nullptr) << "insn " << insn << ": " << std::strerror(errno);
    EXPECT_EQ(std::memcmp(rec, pi.line(expect), sizeof(bpf_line_info)), 0)
        << "insn " << insn << " should map to line_info[" << expect << "]";
    check_record(rec, func_of_insn(insn), "insn " + std::to_string(insn));
  }
  EXPECT_EQ(bpf_prog_linfo__lfind(linfo.get(), 0, info.nr_line_info), nullptr);
  EXPECT_EQ(errno, ENOENT);

  if (info.nr_jited_line_info == 0) return;  // interpreted: nothing JITed to look up
  *jited_checked = true;
  ASSERT_EQ(info.nr_jited_ksyms, info.nr_func_info) << "one JITed image per function";
  for (__u32 f = 0; f < info.nr_jited_ksyms; f++) {
    const __u64 start = pi.jited_ksyms[f];
    const __u32 len = pi.jited_func_lens[f];
    SCOPED_TRACE("function #" + std::to_string(f));
    // The start address gives the function's first line: the record at
    // its first instruction.
    const bpf_line_info* first = bpf_prog_linfo__lfind_addr_func(linfo.get(), start, f, 0);
    ASSERT_NE(first, nullptr) << std::strerror(errno);
    EXPECT_EQ(first, bpf_prog_linfo__lfind(linfo.get(), pi.func_start(f), 0));
    EXPECT_EQ(first->insn_off, pi.func_start(f));
    check_record(first, f, "start address");
    EXPECT_EQ(bpf_prog_linfo__lfind_addr_func(linfo.get(), start - 1, f, 0), nullptr)
        << "an address before the function has no line in it";

    // Every byte of the image, walked in order as a disassembler does,
    // resuming each scan from the last record found: always a line of
    // this function, never going backwards.
    __u32 skip = 0;
    const bpf_line_info* prev = first;
    for (__u64 addr = start; addr < start + len; addr++) {
      const bpf_line_info* rec = bpf_prog_linfo__lfind_addr_func(linfo.get(), addr, f, skip);
      ASSERT_NE(rec, nullptr) << "address +" << (addr - start);
      ASSERT_GE(rec->insn_off, prev->insn_off) << "address +" << (addr - start);
      if (rec != prev) {
        check_record(rec, f, "address +" + std::to_string(addr - start));
        prev = rec;
      }
      // Move skip to the found record: the last one a scan starting
      // there still finds.
      while (bpf_prog_linfo__lfind_addr_func(linfo.get(), addr, f, skip + 1) != nullptr) skip++;
      EXPECT_EQ(bpf_prog_linfo__lfind_addr_func(linfo.get(), addr, f, skip), rec);
    }
  }
  EXPECT_EQ(bpf_prog_linfo__lfind_addr_func(linfo.get(), pi.jited_ksyms[0], info.nr_jited_ksyms, 0), nullptr);
  EXPECT_EQ(errno, ENOENT);
}

TEST_F(ProgLinfoKernel, SubprogramsMapToTheirSourceLines) {
  bool jited = false;
  // second_user calls triple (static) and add_pair (global).
  check_program("second_user", 3, &jited);
  if (HasFatalFailure()) return;
  if (!jited) {
    GTEST_SKIP() << "the kernel reported no jited_line_info (program not JIT-compiled: "
                    "bpf_jit_enable is 0?); the instruction lookups passed";
  }
}

TEST_F(ProgLinfoKernel, CallbacksMapToTheirSourceLines) {
  bool jited = false;
  // loop_prog passes count_iteration to bpf_loop and sum_element to
  // bpf_for_each_map_elem: both become JITed functions of their own.
  check_program("loop_prog", 3, &jited);
  if (HasFatalFailure()) return;
  if (!jited) {
    GTEST_SKIP() << "the kernel reported no jited_line_info (program not JIT-compiled: "
                    "bpf_jit_enable is 0?); the instruction lookups passed";
  }
}

TEST_F(ProgLinfoKernel, ArraysNotAskedForGiveInstructionLookupsOnly) {
  // An application that only asks for line_info: the kernel still reports
  // the JIT counts, with no arrays behind them.
  bpf_program* prog = must_find_program(obj_.get(), "second_user");
  ASSERT_NE(prog, nullptr);
  bpf_prog_info counts{};
  __u32 len = sizeof(counts);
  BPFXX_ASSERT_OK(bpf_prog_get_info_by_fd(bpf_program__fd(prog), &counts, &len));
  std::vector<uint8_t> lines(size_t{counts.nr_line_info} * counts.line_info_rec_size);
  bpf_prog_info info{};
  info.nr_line_info = counts.nr_line_info;
  info.line_info_rec_size = counts.line_info_rec_size;
  info.line_info = user_ptr(lines.data());
  len = sizeof(info);
  BPFXX_ASSERT_OK(bpf_prog_get_info_by_fd(bpf_program__fd(prog), &info, &len));
  LinfoPtr linfo(bpf_prog_linfo__new(&info));
  ASSERT_TRUE(linfo) << std::strerror(errno);
  const bpf_line_info* rec = bpf_prog_linfo__lfind(linfo.get(), 0, 0);
  ASSERT_NE(rec, nullptr);
  EXPECT_EQ(rec->insn_off, 0u);
  EXPECT_EQ(bpf_prog_linfo__lfind_addr_func(linfo.get(), 0, 0, 0), nullptr);
  EXPECT_EQ(errno, ENOENT);

  // And a program info without line info at all is refused, with a reason.
  FullPrintCapture log;
  bpf_prog_info bare{};
  len = sizeof(bare);
  BPFXX_ASSERT_OK(bpf_prog_get_info_by_fd(bpf_program__fd(prog), &bare, &len));
  EXPECT_EQ(bpf_prog_linfo__new(&bare), nullptr);
  EXPECT_EQ(errno, EINVAL);
  EXPECT_NE(FullPrintCapture::text().find("line_info is NULL"), std::string::npos) << FullPrintCapture::text();
}

}  // namespace
}  // namespace bpfxx::test
