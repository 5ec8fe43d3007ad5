// main() of the kernel tests: skips everything without root, and checks
// after every test that it left no file descriptor behind.
#include "test_support.h"

#include <gtest/gtest.h>

#include <dirent.h>
#include <unistd.h>

#include <string>

namespace {

int count_open_fds() {
  int n = 0;
  DIR* dir = opendir("/proc/self/fd");
  if (dir == nullptr) return -1;
  while (dirent* e = readdir(dir)) {
    if (e->d_name[0] != '.') n++;
  }
  closedir(dir);
  return n - 1;  // the directory's own fd
}

// Fails any test that ends with more open fds than it started with.
class FdLeakListener : public testing::EmptyTestEventListener {
  void OnTestStart(const testing::TestInfo&) override { before_ = count_open_fds(); }
  void OnTestEnd(const testing::TestInfo& info) override {
    int after = count_open_fds();
    if (after != before_) {
      ADD_FAILURE() << info.test_suite_name() << "." << info.name() << " leaked "
                    << (after - before_) << " file descriptor(s): " << before_ << " open before, "
                    << after << " after";
    }
  }
  int before_ = 0;
};

}  // namespace

int main(int argc, char** argv) {
  testing::InitGoogleTest(&argc, argv);
  testing::UnitTest::GetInstance()->listeners().Append(new FdLeakListener);
  return RUN_ALL_TESTS();
}
