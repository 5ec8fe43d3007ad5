// Shared helpers of the kernel tests.
#pragma once

#include <gtest/gtest.h>

#include <unistd.h>

// Every kernel test starts with this: without root the kernel refuses
// nearly everything, and the test reports a skip instead of a failure.
#define BPFXX_REQUIRE_ROOT()                                        \
  do {                                                              \
    if (geteuid() != 0) GTEST_SKIP() << "kernel tests need root";   \
  } while (0)
