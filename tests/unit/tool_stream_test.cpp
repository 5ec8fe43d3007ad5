// `bpfxx prog stream` against a fake kernel stream: the reading loop
// (drain_prog_stream) with small buffers, errors and a stopping sink, and
// the whole command's output, through the syscall seam.
#include "fake_kernel.h"

#include "commands.h"
#include "prog_stream.h"

#include <bpf/bpf.h>
#include <gtest/gtest.h>

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

namespace bpfxx::test {
namespace {

// Two streams of one program, consumed the way the kernel does: each read
// copies up to the buffer's length and removes what it copied.
struct FakeStreams {
  int prog_fd = 41;
  std::string out, err;
  size_t max_per_read = SIZE_MAX;  // the kernel may return less than asked
  int fail_on_read = -1;           // this read (0-based) fails with fail_errno
  int fail_errno = EFAULT;
  long overclaim = 0;              // added to the returned length (a broken kernel)
  int reads = 0;
  std::vector<uint32_t> lens;

  long read(union bpf_attr* attr) {
    const int n = reads++;
    lens.push_back(attr->prog_stream_read.stream_buf_len);
    if (static_cast<int>(attr->prog_stream_read.prog_fd) != prog_fd) return -EBADF;
    if (n == fail_on_read) return -fail_errno;
    std::string* s = attr->prog_stream_read.stream_id == BPF_STREAM_STDOUT   ? &out
                     : attr->prog_stream_read.stream_id == BPF_STREAM_STDERR ? &err
                                                                              : nullptr;
    if (s == nullptr) return -ENOENT;
    size_t len = std::min<size_t>({attr->prog_stream_read.stream_buf_len, s->size(), max_per_read});
    std::memcpy(reinterpret_cast<void*>(static_cast<uintptr_t>(attr->prog_stream_read.stream_buf)), s->data(), len);
    s->erase(0, len);
    return static_cast<long>(len) + (len != 0 ? overclaim : 0);
  }

  void install(FakeKernel& k) {
    k.on_bpf = [this](int cmd, union bpf_attr* attr, unsigned int) -> long {
      if (cmd == BPF_PROG_STREAM_READ_BY_FD) return read(attr);
      return FakeKernel::kDefer;
    };
  }
};

// Text as the kernel formats a runtime error: several lines, one message.
const char kSplat[] =
    "ERROR: Timeout detected for may_goto instruction\n"
    "CPU: 1 UID: 0 PID: 4242 Comm: test\n"
    "Call trace:\n"
    "bpf_prog_0123456789abcdef_loop+0x4c/0x70\n"
    "  loop.bpf.c @ prog.c:17\n"
    "\n";

TEST(ToolStream, ReadsEverythingInSmallChunks) {
  FakeKernel k;
  FakeStreams fs;
  fs.out = std::string("tool stream 42\n") + kSplat + "tail without newline";
  const std::string want = fs.out;
  fs.install(k);
  ScopedKernel scope(&k);
  std::vector<std::string> chunks;
  long n = bpfxx::tool::drain_prog_stream(fs.prog_fd, BPF_STREAM_STDOUT, 7, [&](std::string_view c) {
    chunks.emplace_back(c);
    return true;
  });
  ASSERT_EQ(n, static_cast<long>(want.size()));
  std::string got;
  for (const auto& c : chunks) {
    EXPECT_LE(c.size(), 7u);
    EXPECT_FALSE(c.empty()) << "an empty chunk must end the read, not reach the sink";
    got += c;
  }
  EXPECT_EQ(got, want) << "chunks must join into the exact text, newlines and all";
  EXPECT_EQ(fs.reads, static_cast<int>((want.size() + 6) / 7) + 1) << "one read per chunk, plus the empty one";
  for (uint32_t len : fs.lens) EXPECT_EQ(len, 7u);
  EXPECT_TRUE(fs.out.empty());
}

TEST(ToolStream, ShortReadsFromTheKernelAreFollowedUp) {
  FakeKernel k;
  FakeStreams fs;
  fs.out = kSplat;
  fs.max_per_read = 3;  // less than the buffer each time
  fs.install(k);
  ScopedKernel scope(&k);
  std::string got;
  long n = bpfxx::tool::drain_prog_stream(fs.prog_fd, BPF_STREAM_STDOUT, 4096, [&](std::string_view c) {
    got += c;
    return true;
  });
  EXPECT_EQ(n, static_cast<long>(sizeof(kSplat) - 1));
  EXPECT_EQ(got, kSplat);
}

TEST(ToolStream, EmptyStreamReadsOnceAndCallsNoSink) {
  FakeKernel k;
  FakeStreams fs;
  fs.err = "not this one\n";
  fs.install(k);
  ScopedKernel scope(&k);
  int calls = 0;
  EXPECT_EQ(bpfxx::tool::drain_prog_stream(fs.prog_fd, BPF_STREAM_STDOUT, 64,
                                            [&](std::string_view) { return ++calls, true; }),
            0);
  EXPECT_EQ(calls, 0);
  EXPECT_EQ(fs.reads, 1);
  EXPECT_EQ(fs.err, "not this one\n") << "reading stdout must leave stderr alone";
  const FakeKernel::Call* c = k.last(BPF_PROG_STREAM_READ_BY_FD);
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->attr.prog_stream_read.stream_id, static_cast<uint32_t>(BPF_STREAM_STDOUT));
  EXPECT_EQ(c->attr.prog_stream_read.prog_fd, static_cast<uint32_t>(fs.prog_fd));
}

TEST(ToolStream, ErrorAfterSomeTextKeepsWhatWasRead) {
  FakeKernel k;
  FakeStreams fs;
  fs.err = "first part|second part";
  fs.fail_on_read = 1;
  fs.install(k);
  ScopedKernel scope(&k);
  std::string got;
  long n = bpfxx::tool::drain_prog_stream(fs.prog_fd, BPF_STREAM_STDERR, 11, [&](std::string_view c) {
    got += c;
    return true;
  });
  EXPECT_EQ(n, -EFAULT);
  EXPECT_EQ(got, "first part|");
  EXPECT_EQ(fs.reads, 2) << "no read after the failure";
}

TEST(ToolStream, SinkCanStopTheRead) {
  FakeKernel k;
  FakeStreams fs;
  fs.out = std::string(100, 'x');
  fs.install(k);
  ScopedKernel scope(&k);
  EXPECT_EQ(bpfxx::tool::drain_prog_stream(fs.prog_fd, BPF_STREAM_STDOUT, 10, [](std::string_view) { return false; }),
            -ECANCELED);
  EXPECT_EQ(fs.reads, 1);
}

TEST(ToolStream, BadSizesAndLyingKernelAreRefused) {
  FakeKernel k;
  FakeStreams fs;
  fs.out = "abcdef";
  fs.overclaim = 100;
  fs.install(k);
  ScopedKernel scope(&k);
  EXPECT_EQ(bpfxx::tool::drain_prog_stream(fs.prog_fd, BPF_STREAM_STDOUT, 0, {}), -EINVAL);
  EXPECT_EQ(fs.reads, 0);
  EXPECT_EQ(bpfxx::tool::drain_prog_stream(fs.prog_fd, BPF_STREAM_STDOUT, 4, {}), -EOVERFLOW);
}

// Runs a tool object's entry point with stdout and stderr captured.
struct Captured {
  int status;
  std::string out, err;
};

std::string slurp(int fd) {
  std::string s;
  char buf[4096];
  lseek(fd, 0, SEEK_SET);
  for (ssize_t n; (n = ::read(fd, buf, sizeof(buf))) > 0;) s.append(buf, static_cast<size_t>(n));
  return s;
}

Captured run_prog_main(const std::vector<std::string>& args) {
  Captured c{};
  std::fflush(stdout);
  std::fflush(stderr);
  int out_fd = open("/tmp", O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
  int err_fd = open("/tmp", O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
  int saved_out = dup(1), saved_err = dup(2);
  dup2(out_fd, 1);
  dup2(err_fd, 2);
  c.status = bpfxx::tool::prog_main(args, bpfxx::tool::Options{});
  std::fflush(stdout);
  std::fflush(stderr);
  dup2(saved_out, 1);
  dup2(saved_err, 2);
  close(saved_out);
  close(saved_err);
  c.out = slurp(out_fd);
  c.err = slurp(err_fd);
  close(out_fd);
  close(err_fd);
  return c;
}

TEST(ToolStream, CommandWritesTheRawStreamText) {
  FakeKernel k;
  FakeStreams fs;
  fs.prog_fd = 1234;  // the fd the fake "opens" for program id 7
  fs.err = kSplat;
  fs.out = "stdout stays\n";
  k.on_bpf = [&](int cmd, union bpf_attr* attr, unsigned int) -> long {
    if (cmd == BPF_PROG_GET_FD_BY_ID) return attr->prog_id == 7 ? 1234 : -ENOENT;
    if (cmd == BPF_PROG_STREAM_READ_BY_FD) return fs.read(attr);
    return FakeKernel::kDefer;
  };
  Captured c;
  {
    ScopedKernel scope(&k);
    c = run_prog_main({"stream", "stderr", "id", "7"});
  }
  EXPECT_EQ(c.status, 0) << c.err;
  EXPECT_EQ(c.out, kSplat) << "the stream's text, unchanged";
  EXPECT_TRUE(c.err.empty()) << c.err;
  EXPECT_EQ(fs.out, "stdout stays\n");
  EXPECT_EQ(std::count(k.closed.begin(), k.closed.end(), 1234), 1) << "the program fd is closed once";
}

TEST(ToolStream, CommandReportsKernelFailures) {
  FakeKernel k;
  k.on_bpf = [&](int cmd, union bpf_attr* attr, unsigned int) -> long {
    if (cmd == BPF_PROG_GET_FD_BY_ID) return attr->prog_id == 7 ? 1234 : -ENOENT;
    if (cmd == BPF_PROG_STREAM_READ_BY_FD) return -EPERM;
    return FakeKernel::kDefer;
  };
  Captured c;
  {
    ScopedKernel scope(&k);
    c = run_prog_main({"stream", "stdout", "id", "7"});
  }
  EXPECT_EQ(c.status, 1);
  EXPECT_NE(c.err.find("cannot read the stdout stream: Operation not permitted"), std::string::npos) << c.err;
  {
    ScopedKernel scope(&k);
    c = run_prog_main({"stream", "stdout", "id", "8"});
  }
  EXPECT_EQ(c.status, 1);
  EXPECT_NE(c.err.find("cannot get program id 8: No such file or directory"), std::string::npos) << c.err;
}

TEST(ToolStream, CommandUsageErrors) {
  FakeKernel k;
  ScopedKernel scope(&k);
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"stream"}, {"stream", "stdin", "id", "1"}, {"stream", "stdout"}, {"stream", "stdout", "id", "x"},
           {"stream", "stdout", "id", "1", "extra"}, {"stream", "stdout", "frob", "1"}}) {
    Captured c = run_prog_main(args);
    EXPECT_EQ(c.status, 2) << args.back();
    EXPECT_NE(c.err.find("see 'bpfxx prog help'"), std::string::npos) << c.err;
    EXPECT_TRUE(c.out.empty());
  }
  EXPECT_EQ(k.count(BPF_PROG_STREAM_READ_BY_FD), 0);
}

}  // namespace
}  // namespace bpfxx::test
