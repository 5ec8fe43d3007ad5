#include "sys/cpus.h"

#include <gtest/gtest.h>

#include <algorithm>

using bpfxx::sys::parse_cpu_list;

namespace {

int count(const std::vector<bool>& mask) { return static_cast<int>(std::count(mask.begin(), mask.end(), true)); }

TEST(CpuList, SingleRangeWithNewline) {
  auto mask = parse_cpu_list("0-3\n");
  ASSERT_TRUE(mask) << mask.message();
  EXPECT_EQ(mask->size(), 4u);
  EXPECT_EQ(count(*mask), 4);
}

TEST(CpuList, MixedRangesAndSingles) {
  auto mask = parse_cpu_list("0,2-3,7");
  ASSERT_TRUE(mask) << mask.message();
  ASSERT_EQ(mask->size(), 8u);
  std::vector<bool> expected = {true, false, true, true, false, false, false, true};
  EXPECT_EQ(*mask, expected);
}

TEST(CpuList, RejectsMalformedInput) {
  for (const char* bad : {"", "\n", "a", "1-", "-1", "3-1", "1,,2", "1 2", "0-99999999", "1;2", "0x1"}) {
    auto mask = parse_cpu_list(bad);
    EXPECT_FALSE(mask) << "accepted '" << bad << "'";
    if (!mask) {
      EXPECT_EQ(mask.error(), EINVAL);
      EXPECT_FALSE(mask.message().empty());
    }
  }
}

TEST(CpuList, MatchesThisMachine) {
  auto n = bpfxx::sys::num_possible_cpus();
  ASSERT_TRUE(n) << n.message();
  EXPECT_GE(*n, 1);
  auto online = bpfxx::sys::online_cpus();
  ASSERT_TRUE(online) << online.message();
  EXPECT_LE(count(*online), *n);
}

}  // namespace
