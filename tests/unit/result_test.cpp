#include <bpfxx/result.hpp>
#include <bpfxx/unique_fd.hpp>

#include <gtest/gtest.h>

#include <fcntl.h>
#include <unistd.h>

namespace {

bpfxx::Result<int> half(int x) {
  if (x % 2 != 0) return bpfxx::fail(EINVAL, "odd number " + std::to_string(x));
  return x / 2;
}

TEST(Result, HoldsValueOrFailure) {
  auto ok = half(4);
  ASSERT_TRUE(ok);
  EXPECT_EQ(*ok, 2);
  EXPECT_EQ(ok.error(), 0);

  auto bad = half(3);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error(), EINVAL);
  EXPECT_EQ(bad.message(), "odd number 3");
}

TEST(Result, ValueOfFailureThrowsError) {
  auto bad = half(5);
  try {
    (void)bad.value();
    FAIL() << "value() of a failure did not throw";
  } catch (const bpfxx::Error& e) {
    EXPECT_EQ(e.errnum(), EINVAL);
    EXPECT_NE(std::string(e.what()).find("odd number 5"), std::string::npos);
  }
}

TEST(Result, NegativeErrnoIsNormalised) {
  bpfxx::Result<void> r = bpfxx::fail(-ENOENT, "gone");
  EXPECT_EQ(r.error(), ENOENT);
  EXPECT_THROW(r.value(), bpfxx::Error);
}

bool fd_is_open(int fd) { return fcntl(fd, F_GETFD) != -1; }

TEST(UniqueFd, ClosesOnDestructionAndMove) {
  int raw = -1;
  {
    bpfxx::UniqueFd fd(open("/dev/null", O_RDONLY | O_CLOEXEC));
    ASSERT_TRUE(fd);
    raw = fd.get();
    bpfxx::UniqueFd moved = std::move(fd);
    EXPECT_FALSE(fd.valid());
    EXPECT_EQ(moved.get(), raw);
    EXPECT_TRUE(fd_is_open(raw));
  }
  EXPECT_FALSE(fd_is_open(raw));
}

TEST(UniqueFd, DupIsIndependent) {
  bpfxx::UniqueFd fd(open("/dev/null", O_RDONLY | O_CLOEXEC));
  auto copy = fd.dup();
  ASSERT_TRUE(copy) << copy.message();
  EXPECT_NE(copy->get(), fd.get());
  EXPECT_GE(copy->get(), 3);
  int raw = fd.release();
  EXPECT_FALSE(fd.valid());
  close(raw);
  EXPECT_TRUE(fd_is_open(copy->get()));
}

}  // namespace
