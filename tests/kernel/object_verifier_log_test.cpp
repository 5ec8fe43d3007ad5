// A program the verifier rejects late, after a log far longer than 64 KiB:
// bpf_object__load must fail with the verifier's errno and report the
// verifier's real final error, whole, with the program's name and the C
// source line of the failing instruction, whatever log buffer the user gave
// (none, a tiny per-program one, or the object's kernel_log_buf).
#include "object_support.h"

#include <gmock/gmock.h>

#include <string>
#include <vector>

namespace bpfxx::test {
namespace {

using ::testing::HasSubstr;

// The verifier's complaint about rejected_prog, and the source line of the
// instruction it fails on (load_rejected.bpf.c).
constexpr const char* kError = " invalid mem access 'map_value_or_null'";
constexpr const char* kSourceLine = "sink = acc + *unchecked_slot;";
constexpr size_t k64KiB = 64 * 1024;

// Checks that text holds the verifier's final error as a whole line
// ("R<n> invalid mem access 'map_value_or_null'"), followed later by the
// kernel's closing summary ("processed N insns"), so the tail is intact.
void expect_whole_error(const std::string& text, const char* where) {
  SCOPED_TRACE(where);
  const size_t at = text.find(kError);
  ASSERT_NE(at, std::string::npos) << "expected the verifier's error '" << kError << "' in:\n"
                                   << text.substr(text.size() > 4000 ? text.size() - 4000 : 0);
  ASSERT_GE(at, 2u);
  EXPECT_EQ(text[at - 2], 'R') << "expected the register the error names";
  EXPECT_TRUE(text[at - 1] >= '0' && text[at - 1] <= '9');
  const size_t end = at + std::strlen(kError);
  EXPECT_TRUE(end == text.size() || text[end] == '\n') << "expected the error line to end there";
  EXPECT_NE(text.find("processed ", end), std::string::npos)
      << "expected the verifier's closing 'processed N insns' line after the error";
}

// Checks that one message line names both the program and the failing
// source line with its file: the loader's own report from line_info, not
// only the kernel's "; <source> @ file:line" annotation inside the log.
void expect_program_and_source_line(const std::string& text) {
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    const std::string line = text.substr(start, end - start);
    if (line.find("rejected_prog") != std::string::npos &&
        line.find(kSourceLine) != std::string::npos &&
        line.find("load_rejected.bpf.c:") != std::string::npos)
      return;
    start = end + 1;
  }
  ADD_FAILURE() << "expected a line naming 'rejected_prog', load_rejected.bpf.c:<line> and '"
                << kSourceLine << "' in:\n"
                << text.substr(text.size() > 4000 ? text.size() - 4000 : 0);
}

ObjectPtr open_rejected(const bpf_object_open_opts* opts = nullptr) {
  return open_prog_object("load_rejected", opts);
}

void expect_rejected(int err) {
  EXPECT_TRUE(err == -EACCES || err == -EINVAL)
      << "expected bpf_object__load to return the verifier's -EACCES (or -EINVAL), got " << err
      << " (" << std::strerror(err < 0 ? -err : 0) << ")";
}

void expect_released(bpf_object* obj) {
  EXPECT_LT(bpf_program__fd(bpf_object__find_program_by_name(obj, "rejected_prog")), 0);
  bpf_map* map = nullptr;
  bpf_object__for_each_map(map, obj) {
    EXPECT_LT(bpf_map__fd(map), 0) << "map " << bpf_map__name(map) << " still open after a failed load";
  }
}

// What the print callback must show of the rejection: the whole error,
// the program's name and the failing C source line. `context` says which
// test's setup (log level, buffer) the text came from.
void expect_print_shows_the_rejection(const std::string& text, const char* context) {
  SCOPED_TRACE(context);
  expect_whole_error(text, "print callback");
  EXPECT_THAT(text, HasSubstr("rejected_prog")) << "expected the program's name";
  EXPECT_THAT(text, HasSubstr(kSourceLine)) << "expected the failing C source line";
  expect_program_and_source_line(text);
}

// load_rejected opened with the user's kernel_log_buf at log level 2.
ObjectPtr open_rejected_logging_to(std::vector<char>& log) {
  LIBBPF_OPTS(bpf_object_open_opts, opts);
  opts.kernel_log_buf = log.data();
  opts.kernel_log_size = log.size();
  opts.kernel_log_level = 2;
  return open_rejected(&opts);
}

TEST(ObjectVerifierLog, RejectionReportsTheRealErrorWithProgramAndSourceLine) {
  BPFXX_REQUIRE_ROOT();
  ObjectPtr obj = open_rejected();
  ASSERT_TRUE(obj);
  FullPrintCapture capture;
  expect_rejected(bpf_object__load(obj.get()));
  expect_print_shows_the_rejection(capture.text(), "default log");
  expect_released(obj.get());
}

TEST(ObjectVerifierLog, LevelTwoLogFarPast64KiBStillShowsTheError) {
  BPFXX_REQUIRE_ROOT();
  ObjectPtr obj = open_rejected();
  ASSERT_TRUE(obj);
  bpf_program* prog = must_find_program(obj.get(), "rejected_prog");
  ASSERT_NE(prog, nullptr);
  BPFXX_ASSERT_OK(bpf_program__set_log_level(prog, 2));
  FullPrintCapture capture;
  expect_rejected(bpf_object__load(obj.get()));
  expect_print_shows_the_rejection(capture.text(), "log level 2");
  expect_released(obj.get());
}

// A 256-byte log cannot hold the error's context: the loader retries with a
// log of the kernel's log_true_size, so the print callback still shows the
// real error and its source line, and the load fails with the verifier's
// errno rather than the log's -ENOSPC.
TEST(ObjectVerifierLog, TinyProgramLogBufferStillShowsTheError) {
  BPFXX_REQUIRE_ROOT();
  ObjectPtr obj = open_rejected();
  ASSERT_TRUE(obj);
  bpf_program* prog = must_find_program(obj.get(), "rejected_prog");
  ASSERT_NE(prog, nullptr);
  std::vector<char> tiny(256, 'x');
  BPFXX_ASSERT_OK(bpf_program__set_log_buf(prog, tiny.data(), tiny.size()));
  BPFXX_ASSERT_OK(bpf_program__set_log_level(prog, 1));
  FullPrintCapture capture;
  expect_rejected(bpf_object__load(obj.get()));
  expect_print_shows_the_rejection(capture.text(), "a 256-byte log, where the source line is long gone");
  EXPECT_LT(strnlen(tiny.data(), tiny.size()), tiny.size())
      << "the user's buffer is NUL-terminated inside its size";
  expect_released(obj.get());
}

TEST(ObjectVerifierLog, ObjectKernelLogBufferAndLevelAreHonored) {
  BPFXX_REQUIRE_ROOT();
  std::vector<char> log(4u << 20, '\0');
  ObjectPtr obj = open_rejected_logging_to(log);
  ASSERT_TRUE(obj);
  FullPrintCapture capture;
  expect_rejected(bpf_object__load(obj.get()));

  const std::string in_buf(log.data(), strnlen(log.data(), log.size()));
  EXPECT_GT(in_buf.size(), k64KiB) << "expected the whole level-2 log in kernel_log_buf";
  EXPECT_THAT(in_buf, HasSubstr("func#0 @0")) << "a line only log level 2 prints";
  expect_whole_error(in_buf, "kernel_log_buf");
  EXPECT_THAT(in_buf, HasSubstr(kSourceLine));
  // The log went whole to the user's buffer; as in libbpf, the print
  // callback need not repeat it.
  expect_released(obj.get());
}

// Too small a kernel_log_buf is treated like too small a per-program buffer:
// the user's buffer keeps the kernel's tail, and the loader, retrying with
// a log of the size the kernel asked for, still reports the real error
// rather than the log's -ENOSPC.
TEST(ObjectVerifierLog, ObjectKernelLogBufferOf64KiBKeepsTheTail) {
  BPFXX_REQUIRE_ROOT();
  std::vector<char> log(k64KiB, 'x');
  ObjectPtr obj = open_rejected_logging_to(log);
  ASSERT_TRUE(obj);
  FullPrintCapture capture;
  expect_rejected(bpf_object__load(obj.get()));
  const size_t len = strnlen(log.data(), log.size());
  ASSERT_LT(len, log.size()) << "kernel_log_buf is NUL-terminated";
  expect_whole_error(std::string(log.data(), len), "kernel_log_buf (the kernel keeps the tail)");
  expect_print_shows_the_rejection(capture.text(), "a 64 KiB kernel_log_buf");
  expect_released(obj.get());
}

}  // namespace
}  // namespace bpfxx::test
