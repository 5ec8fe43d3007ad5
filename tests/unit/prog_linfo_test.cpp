// bpf_prog_linfo__*: lookups by instruction offset and by JIT address over
// hand-built struct bpf_prog_info line info, record strides larger than
// the structs, and every inconsistent info refused with EINVAL and a
// message.
#include <bpf/libbpf.h>

#include "log_capture.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

namespace {

using bpfxx::test::LogCapture;

struct LinfoDeleter {
  void operator()(bpf_prog_linfo* l) const noexcept { bpf_prog_linfo__free(l); }
};
using LinfoPtr = std::unique_ptr<bpf_prog_linfo, LinfoDeleter>;

// One source line of the test program: its instruction offset and, when
// the program is "JITed", its address. file/line offsets encode the index
// so a returned record can be identified.
struct Line {
  uint32_t insn_off;
  uint64_t addr;
};

// Owns the arrays a bpf_prog_info points into, laid out with the chosen
// record sizes (bytes past the struct are filled with 0xee).
class InfoBuilder {
 public:
  InfoBuilder(std::vector<Line> lines, uint32_t rec_size = sizeof(bpf_line_info),
              uint32_t jited_rec_size = sizeof(uint64_t))
      : lines_(std::move(lines)), rec_size_(rec_size), jited_rec_size_(jited_rec_size) {
    line_bytes_.assign(lines_.size() * rec_size_ + 1, 0xee);
    jited_bytes_.assign(lines_.size() * jited_rec_size_ + 1, 0xee);
    for (size_t i = 0; i < lines_.size(); i++) {
      bpf_line_info rec{};
      rec.insn_off = lines_[i].insn_off;
      rec.file_name_off = 100 + static_cast<uint32_t>(i);
      rec.line_off = 200 + static_cast<uint32_t>(i);
      rec.line_col = (static_cast<uint32_t>(i + 1) << 10) | 3;
      std::memcpy(line_bytes_.data() + i * rec_size_, &rec, std::min<size_t>(sizeof(rec), rec_size_));
      std::memcpy(jited_bytes_.data() + i * jited_rec_size_, &lines_[i].addr,
                  std::min<size_t>(sizeof(uint64_t), jited_rec_size_));
    }
  }

  // Declares the JITed functions (start address, length).
  InfoBuilder& funcs(std::vector<uint64_t> starts, std::vector<uint32_t> lens) {
    starts_ = std::move(starts);
    lens_ = std::move(lens);
    return *this;
  }

  // The info the kernel would give: xlated line info, plus the JIT arrays
  // when funcs() was called.
  bpf_prog_info info() const {
    bpf_prog_info info{};
    std::strcpy(info.name, "linfo_unit");
    info.id = 42;
    info.nr_line_info = static_cast<uint32_t>(lines_.size());
    info.line_info_rec_size = rec_size_;
    info.line_info = ptr(line_bytes_.data());
    if (!starts_.empty()) {
      info.nr_jited_line_info = static_cast<uint32_t>(lines_.size());
      info.jited_line_info_rec_size = jited_rec_size_;
      info.jited_line_info = ptr(jited_bytes_.data());
      info.nr_jited_ksyms = static_cast<uint32_t>(starts_.size());
      info.jited_ksyms = ptr(starts_.data());
      info.nr_jited_func_lens = static_cast<uint32_t>(lens_.size());
      info.jited_func_lens = ptr(lens_.data());
    }
    return info;
  }

  std::vector<uint8_t>& line_bytes() { return line_bytes_; }

 private:
  static __u64 ptr(const void* p) { return static_cast<__u64>(reinterpret_cast<uintptr_t>(p)); }

  std::vector<Line> lines_;
  uint32_t rec_size_;
  uint32_t jited_rec_size_;
  std::vector<uint8_t> line_bytes_;
  std::vector<uint8_t> jited_bytes_;
  std::vector<uint64_t> starts_;
  std::vector<uint32_t> lens_;
};

// The index of the line a record describes (see InfoBuilder), -1 for NULL.
int line_index(const bpf_line_info* rec) {
  if (rec == nullptr) return -1;
  EXPECT_EQ(rec->line_off, rec->file_name_off + 100) << "a record of the table, intact";
  EXPECT_EQ(BPF_LINE_INFO_LINE_COL(rec->line_col), 3u);
  EXPECT_EQ(BPF_LINE_INFO_LINE_NUM(rec->line_col), rec->file_name_off - 99);
  return static_cast<int>(rec->file_name_off) - 100;
}

// lfind(), also checking that a miss sets errno ENOENT.
int lfind(const bpf_prog_linfo* linfo, uint32_t insn_off, uint32_t nr_skip) {
  errno = 0;
  const bpf_line_info* rec = bpf_prog_linfo__lfind(linfo, insn_off, nr_skip);
  if (rec == nullptr) {
    EXPECT_EQ(errno, ENOENT) << "lfind(" << insn_off << ", skip " << nr_skip << ")";
  }
  return line_index(rec);
}

int lfind_addr(const bpf_prog_linfo* linfo, uint64_t addr, uint32_t func, uint32_t nr_skip) {
  errno = 0;
  const bpf_line_info* rec = bpf_prog_linfo__lfind_addr_func(linfo, addr, func, nr_skip);
  if (rec == nullptr) {
    EXPECT_EQ(errno, ENOENT) << "lfind_addr_func(" << std::hex << addr << ", func " << func << ")";
  }
  return line_index(rec);
}

// Two JITed functions: main (lines 0-2) and a subprogram (lines 3-4).
InfoBuilder two_functions(uint32_t rec_size = sizeof(bpf_line_info),
                          uint32_t jited_rec_size = sizeof(uint64_t)) {
  InfoBuilder b({{0, 0x1000}, {2, 0x1010}, {5, 0x1020}, {8, 0x2000}, {10, 0x2008}}, rec_size,
                jited_rec_size);
  b.funcs({0x1000, 0x2000}, {0x40, 0x20});
  return b;
}

// new() refuses info and says why through the print callback.
void expect_refused(const bpf_prog_info& info, const std::string& words) {
  LogCapture log;
  errno = 0;
  bpf_prog_linfo* linfo = bpf_prog_linfo__new(&info);
  EXPECT_EQ(linfo, nullptr);
  EXPECT_EQ(errno, EINVAL);
  bpf_prog_linfo__free(linfo);
  EXPECT_NE(log.text.find(words), std::string::npos) << "message: " << log.text;
  EXPECT_NE(log.text.find("program 'linfo_unit' (id 42)"), std::string::npos) << "message: " << log.text;
}

TEST(ProgLinfo, LfindAtBetweenAndBeforeEntries) {
  InfoBuilder b({{2, 0}, {3, 0}, {7, 0}, {12, 0}});
  const bpf_prog_info info = b.info();
  LinfoPtr linfo(bpf_prog_linfo__new(&info));
  ASSERT_TRUE(linfo) << std::strerror(errno);
  EXPECT_EQ(lfind(linfo.get(), 2, 0), 0) << "exactly at the first record";
  EXPECT_EQ(lfind(linfo.get(), 3, 0), 1);
  EXPECT_EQ(lfind(linfo.get(), 6, 0), 1) << "between records: the earlier one";
  EXPECT_EQ(lfind(linfo.get(), 7, 0), 2);
  EXPECT_EQ(lfind(linfo.get(), 12, 0), 3);
  EXPECT_EQ(lfind(linfo.get(), 0xffffffffu, 0), 3) << "past the last record: the last one";
  EXPECT_EQ(lfind(linfo.get(), 1, 0), -1) << "before the first record";
  EXPECT_EQ(lfind(linfo.get(), 0, 0), -1);
}

TEST(ProgLinfo, NrSkipStartsTheScanLater) {
  InfoBuilder b({{0, 0}, {3, 0}, {7, 0}, {12, 0}});
  const bpf_prog_info info = b.info();
  LinfoPtr linfo(bpf_prog_linfo__new(&info));
  ASSERT_TRUE(linfo);
  EXPECT_EQ(lfind(linfo.get(), 5, 1), 1);
  EXPECT_EQ(lfind(linfo.get(), 9, 1), 2);
  EXPECT_EQ(lfind(linfo.get(), 5, 2), -1) << "record 2 (insn 7) is already past insn 5";
  EXPECT_EQ(lfind(linfo.get(), 12, 3), 3);
  EXPECT_EQ(lfind(linfo.get(), 99, 3), 3);
  EXPECT_EQ(lfind(linfo.get(), 12, 4), -1) << "nr_skip == count";
  EXPECT_EQ(lfind(linfo.get(), 12, 0xffffffffu), -1) << "nr_skip far out of range";

  // The walk a disassembler does: one lookup per instruction, resuming
  // from the last record found.
  uint32_t skip = 0;
  const int expected[] = {0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 2, 3, 3};
  for (uint32_t insn = 0; insn < 14; insn++) {
    const int idx = lfind(linfo.get(), insn, skip);
    EXPECT_EQ(idx, expected[insn]) << "insn " << insn;
    if (idx >= 0) skip = static_cast<uint32_t>(idx);
  }
}

TEST(ProgLinfo, SingleRecordCoversEverythingFromItsOffset) {
  InfoBuilder b({{0, 0}});
  const bpf_prog_info info = b.info();
  LinfoPtr linfo(bpf_prog_linfo__new(&info));
  ASSERT_TRUE(linfo);
  EXPECT_EQ(lfind(linfo.get(), 0, 0), 0);
  EXPECT_EQ(lfind(linfo.get(), 1000, 0), 0);
  EXPECT_EQ(lfind(linfo.get(), 0, 1), -1);
}

TEST(ProgLinfo, RecordsLargerThanTheStructsUseTheGivenStride) {
  // A newer kernel's records: 24-byte line infos (and an odd 20 bytes, so
  // records are misaligned) and 16-byte JIT addresses.
  for (uint32_t rec_size : {24u, 20u, 17u}) {
    InfoBuilder b = two_functions(rec_size, 16);
    const bpf_prog_info info = b.info();
    LinfoPtr linfo(bpf_prog_linfo__new(&info));
    ASSERT_TRUE(linfo) << "rec_size " << rec_size << ": " << std::strerror(errno);
    EXPECT_EQ(lfind(linfo.get(), 0, 0), 0) << rec_size;
    EXPECT_EQ(lfind(linfo.get(), 4, 0), 1) << rec_size;
    EXPECT_EQ(lfind(linfo.get(), 9, 0), 3) << rec_size;
    EXPECT_EQ(lfind(linfo.get(), 10, 0), 4) << rec_size;
    EXPECT_EQ(lfind_addr(linfo.get(), 0x1011, 0, 0), 1) << rec_size;
    EXPECT_EQ(lfind_addr(linfo.get(), 0x200f, 1, 0), 4) << rec_size;
  }
}

TEST(ProgLinfo, CopiesTheCallersArrays) {
  InfoBuilder b = two_functions();
  const bpf_prog_info info = b.info();
  LinfoPtr linfo(bpf_prog_linfo__new(&info));
  ASSERT_TRUE(linfo);
  std::fill(b.line_bytes().begin(), b.line_bytes().end(), 0);
  EXPECT_EQ(lfind(linfo.get(), 5, 0), 2) << "the table does not point into the info's arrays";
  EXPECT_EQ(lfind_addr(linfo.get(), 0x2000, 1, 0), 3);
}

TEST(ProgLinfo, JitedLookupPerFunction) {
  InfoBuilder b = two_functions();
  const bpf_prog_info info = b.info();
  LinfoPtr linfo(bpf_prog_linfo__new(&info));
  ASSERT_TRUE(linfo) << std::strerror(errno);
  // main: 0x1000..0x103f, lines 0-2.
  EXPECT_EQ(lfind_addr(linfo.get(), 0x1000, 0, 0), 0) << "function start";
  EXPECT_EQ(lfind_addr(linfo.get(), 0x100f, 0, 0), 0);
  EXPECT_EQ(lfind_addr(linfo.get(), 0x1010, 0, 0), 1);
  EXPECT_EQ(lfind_addr(linfo.get(), 0x103f, 0, 0), 2) << "last byte of main";
  EXPECT_EQ(lfind_addr(linfo.get(), 0x2004, 0, 0), 2) << "never crosses into the next function";
  EXPECT_EQ(lfind_addr(linfo.get(), 0x0fff, 0, 0), -1) << "before the function";
  // The subprogram: 0x2000..0x201f, lines 3-4.
  EXPECT_EQ(lfind_addr(linfo.get(), 0x2000, 1, 0), 3);
  EXPECT_EQ(lfind_addr(linfo.get(), 0x2007, 1, 0), 3);
  EXPECT_EQ(lfind_addr(linfo.get(), 0x2008, 1, 0), 4);
  EXPECT_EQ(lfind_addr(linfo.get(), 0x1010, 1, 0), -1) << "an address of main is before the subprogram";
  // nr_skip counts inside the function.
  EXPECT_EQ(lfind_addr(linfo.get(), 0x1015, 0, 1), 1);
  EXPECT_EQ(lfind_addr(linfo.get(), 0x1015, 0, 2), -1) << "record 2 (0x1020) is past 0x1015";
  EXPECT_EQ(lfind_addr(linfo.get(), 0x1030, 0, 2), 2);
  EXPECT_EQ(lfind_addr(linfo.get(), 0x1030, 0, 3), -1) << "main has 3 records";
  EXPECT_EQ(lfind_addr(linfo.get(), 0x2010, 1, 1), 4);
  EXPECT_EQ(lfind_addr(linfo.get(), 0x2010, 1, 2), -1) << "the subprogram has 2 records";
  // Function indexes past the last.
  EXPECT_EQ(lfind_addr(linfo.get(), 0x2000, 2, 0), -1);
  EXPECT_EQ(lfind_addr(linfo.get(), 0x2000, 0xffffffffu, 0), -1);
}

TEST(ProgLinfo, JitedFunctionsNeedNotBeInAddressOrder) {
  // Each JITed function has its own image: the subprogram may sit below
  // the main program in memory.
  InfoBuilder b({{0, 0x9000}, {4, 0x9010}, {6, 0x3000}, {9, 0x3004}, {11, 0x3008}});
  b.funcs({0x9000, 0x3000}, {0x20, 0x10});
  const bpf_prog_info info = b.info();
  LinfoPtr linfo(bpf_prog_linfo__new(&info));
  ASSERT_TRUE(linfo) << std::strerror(errno);
  EXPECT_EQ(lfind_addr(linfo.get(), 0x901f, 0, 0), 1);
  EXPECT_EQ(lfind_addr(linfo.get(), 0x3000, 1, 0), 2);
  EXPECT_EQ(lfind_addr(linfo.get(), 0x3005, 1, 0), 3);
  EXPECT_EQ(lfind_addr(linfo.get(), 0x30ff, 1, 0), 4);
}

TEST(ProgLinfo, OneFunctionPerRecord) {
  InfoBuilder b({{0, 0x100}, {3, 0x200}, {5, 0x300}});
  b.funcs({0x100, 0x200, 0x300}, {8, 8, 8});
  const bpf_prog_info info = b.info();
  LinfoPtr linfo(bpf_prog_linfo__new(&info));
  ASSERT_TRUE(linfo) << std::strerror(errno);
  for (uint32_t f = 0; f < 3; f++) {
    EXPECT_EQ(lfind_addr(linfo.get(), 0x100u * (f + 1) + 7, f, 0), static_cast<int>(f));
    EXPECT_EQ(lfind_addr(linfo.get(), 0x100u * (f + 1), f, 1), -1);
  }
}

TEST(ProgLinfo, WithoutJitInfoOnlyInstructionLookupsWork) {
  InfoBuilder b = two_functions();
  // The caller asked for no JIT arrays (the kernel still reports counts),
  // the program runs interpreted (count 0, array given), or the functions'
  // bounds were not asked for.
  bpf_prog_info no_array = b.info();
  no_array.jited_line_info = 0;
  bpf_prog_info interpreted = b.info();
  interpreted.nr_jited_line_info = 0;
  bpf_prog_info no_bounds = b.info();
  no_bounds.jited_ksyms = 0;
  no_bounds.jited_func_lens = 0;
  for (const bpf_prog_info* info : {&no_array, &interpreted, &no_bounds}) {
    LinfoPtr linfo(bpf_prog_linfo__new(info));
    ASSERT_TRUE(linfo) << std::strerror(errno);
    EXPECT_EQ(lfind(linfo.get(), 9, 0), 3);
    EXPECT_EQ(lfind_addr(linfo.get(), 0x1000, 0, 0), -1) << "no JIT addresses kept";
  }
}

TEST(ProgLinfo, NullArguments) {
  errno = 0;
  {
    LogCapture log;
    EXPECT_EQ(bpf_prog_linfo__new(nullptr), nullptr);
    EXPECT_EQ(errno, EINVAL);
    EXPECT_NE(log.text.find("info is NULL"), std::string::npos) << log.text;
  }
  errno = 0;
  EXPECT_EQ(bpf_prog_linfo__lfind(nullptr, 0, 0), nullptr);
  EXPECT_EQ(errno, EINVAL);
  errno = 0;
  EXPECT_EQ(bpf_prog_linfo__lfind_addr_func(nullptr, 0, 0, 0), nullptr);
  EXPECT_EQ(errno, EINVAL);
  bpf_prog_linfo__free(nullptr);
}

TEST(ProgLinfo, RefusesInfoWithoutLineInfo) {
  InfoBuilder b = two_functions();
  bpf_prog_info none = b.info();
  none.nr_line_info = 0;
  expect_refused(none, "no line info");
  bpf_prog_info no_array = b.info();
  no_array.line_info = 0;
  expect_refused(no_array, "nr_line_info is 5 but line_info is NULL");
}

TEST(ProgLinfo, RefusesRecordsSmallerThanTheStructs) {
  InfoBuilder b = two_functions();
  for (uint32_t rec_size : {0u, 4u, 15u}) {
    bpf_prog_info info = b.info();
    info.line_info_rec_size = rec_size;
    expect_refused(info, "line_info_rec_size " + std::to_string(rec_size) + " is smaller");
  }
  for (uint32_t rec_size : {0u, 4u, 7u}) {
    bpf_prog_info info = b.info();
    info.jited_line_info_rec_size = rec_size;
    expect_refused(info, "jited_line_info_rec_size " + std::to_string(rec_size) + " is smaller");
  }
}

TEST(ProgLinfo, RefusesMismatchedJitCounts) {
  InfoBuilder b = two_functions();
  bpf_prog_info fewer = b.info();
  fewer.nr_jited_line_info = 4;
  expect_refused(fewer, "nr_jited_line_info 4 differs from nr_line_info 5");
  bpf_prog_info more = b.info();
  more.nr_jited_line_info = 6;
  expect_refused(more, "nr_jited_line_info 6 differs");
  bpf_prog_info no_funcs = b.info();
  no_funcs.nr_jited_ksyms = 0;
  expect_refused(no_funcs, "nr_jited_ksyms 0");
  bpf_prog_info lens_mismatch = b.info();
  lens_mismatch.nr_jited_func_lens = 1;
  expect_refused(lens_mismatch, "nr_jited_func_lens 1");
}

TEST(ProgLinfo, RefusesJitAddressesThatDoNotMatchTheFunctions) {
  {
    InfoBuilder b = two_functions();
    b.funcs({0x1004, 0x2000}, {0x40, 0x20});
    expect_refused(b.info(), "no JIT line address matches the start 0x1004 of function 0");
  }
  {
    InfoBuilder b = two_functions();
    // The subprogram's start is not among the addresses, so main's run
    // swallows 0x2000, which lies outside main.
    b.funcs({0x1000, 0x2001}, {0x40, 0x20});
    expect_refused(b.info(), "jited_line_info[3] = 0x2000");
  }
  {
    // Three functions but only two starts among the addresses.
    InfoBuilder b = two_functions();
    b.funcs({0x1000, 0x2000, 0x3000}, {0x40, 0x20, 0x10});
    expect_refused(b.info(), "start 0x3000 of function 2");
  }
  {
    // More functions than records.
    InfoBuilder b({{0, 0x1000}});
    b.funcs({0x1000, 0x2000}, {0x40, 0x20});
    expect_refused(b.info(), "of function 1");
  }
  {
    // main's records run past its length (0x20 < 0x21).
    InfoBuilder b = two_functions();
    b.funcs({0x1000, 0x2000}, {0x20, 0x20});
    expect_refused(b.info(), "jited_line_info[2] = 0x1020");
  }
  {
    // The subprogram's last record lies past its end.
    InfoBuilder b = two_functions();
    b.funcs({0x1000, 0x2000}, {0x40, 0x8});
    expect_refused(b.info(), "inside function 1");
  }
  {
    InfoBuilder b = two_functions();
    b.funcs({0x1000, 0x2000}, {0x40, 0});
    expect_refused(b.info(), "jited_func_lens[1] is 0");
  }
  {
    // Addresses going backwards inside a function.
    InfoBuilder b({{0, 0x1000}, {2, 0x1020}, {5, 0x1010}});
    b.funcs({0x1000}, {0x40});
    expect_refused(b.info(), "jited_line_info[2] = 0x1010 does not follow 0x1020");
  }
  {
    // A repeated address inside a function.
    InfoBuilder b({{0, 0x1000}, {2, 0x1010}, {5, 0x1010}});
    b.funcs({0x1000}, {0x40});
    expect_refused(b.info(), "jited_line_info[2]");
  }
}

}  // namespace
