#include "base/log.h"

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <strings.h>

namespace bpfxx::log {
namespace {

// LIBBPF_LOG_LEVEL=warn|info|debug raises or lowers what the default
// printer shows; read once, like libbpf.
libbpf_print_level default_min_level() {
  static const libbpf_print_level level = [] {
    const char* env = std::getenv("LIBBPF_LOG_LEVEL");
    if (env == nullptr) return LIBBPF_INFO;
    if (strcasecmp(env, "warn") == 0) return LIBBPF_WARN;
    if (strcasecmp(env, "info") == 0) return LIBBPF_INFO;
    if (strcasecmp(env, "debug") == 0) return LIBBPF_DEBUG;
    std::fprintf(stderr, "libbpf: unrecognized LIBBPF_LOG_LEVEL '%s' (expected warn, info or debug)\n", env);
    return LIBBPF_INFO;
  }();
  return level;
}

int default_print(libbpf_print_level level, const char* fmt, va_list args) {
  if (level > default_min_level()) return 0;
  return std::vfprintf(stderr, fmt, args);
}

std::atomic<libbpf_print_fn_t> g_print{default_print};

}  // namespace

libbpf_print_fn_t set_print(libbpf_print_fn_t fn) noexcept { return g_print.exchange(fn); }

void vprint(libbpf_print_level level, const char* fmt, va_list args) noexcept {
  libbpf_print_fn_t fn = g_print.load(std::memory_order_acquire);
  if (fn == nullptr) return;
  int saved = errno;
  fn(level, fmt, args);
  errno = saved;
}

void print(libbpf_print_level level, const char* fmt, ...) noexcept {
  va_list args;
  va_start(args, fmt);
  vprint(level, fmt, args);
  va_end(args);
}

}  // namespace bpfxx::log
