#include "sys/memlock.h"

#include "sys/features.h"
#include "sys/kernel.h"

#include <cerrno>
#include <mutex>
#include <sys/resource.h>

namespace bpfxx::sys {
namespace {

std::mutex g_lock;
size_t g_limit = RLIM_INFINITY;
bool g_applied = false;
int g_apply_result = 0;

}  // namespace

int set_memlock_limit(size_t bytes) noexcept {
  std::lock_guard<std::mutex> guard(g_lock);
  if (g_applied) return -EBUSY;
  g_limit = bytes;
  return 0;
}

size_t memlock_limit() noexcept {
  std::lock_guard<std::mutex> guard(g_lock);
  return g_limit;
}

int apply_memlock_limit() noexcept {
  std::lock_guard<std::mutex> guard(g_lock);
  if (g_applied) return g_apply_result;
  g_applied = true;
  if (g_limit == 0) return g_apply_result = 0;  // 0: leave the limit alone
  struct rlimit rlim = {g_limit, g_limit};
  g_apply_result = kernel().setrlimit(RLIMIT_MEMLOCK, &rlim);
  return g_apply_result;
}

int bump_memlock_rlimit() noexcept {
  if (has_feature(Feature::MemcgAccount)) return 0;
  return apply_memlock_limit();
}

}  // namespace bpfxx::sys
