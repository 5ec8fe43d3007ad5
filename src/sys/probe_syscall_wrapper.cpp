// Whether syscall entry points carry an architecture prefix
// (CONFIG_ARCH_HAS_SYSCALL_WRAPPER: __x64_sys_bpf rather than sys_bpf), which
// is what a ksyscall probe must attach to. Answered from /proc/kallsyms, so
// it works on kernels without kprobes too.
#include "sys/feature_probes.h"
#include "sys/features.h"

#include "base/log.h"
#include "sys/kernel.h"

#include <fcntl.h>

#include <cstring>
#include <string>
#include <string_view>

namespace bpfxx::sys {

const char* arch_syscall_prefix() noexcept {
#if defined(__x86_64__)
  return "__x64_";
#elif defined(__i386__)
  return "__ia32_";
#elif defined(__s390x__)
  return "__s390x_";
#elif defined(__s390__)
  return "__s390_";
#elif defined(__aarch64__)
  return "__arm64_";
#elif defined(__arm__)
  return "__arm_";
#elif defined(__mips__)
  return "__mips_";
#elif defined(__riscv)
  return "__riscv_";
#elif defined(__powerpc__)
  return "__powerpc_";
#elif defined(__loongarch__)
  return "__loongarch_";
#else
  return nullptr;
#endif
}

namespace detail {
namespace {

// Whether one kallsyms line ("<addr> <type> <name>[\t[module]]") names sym.
bool line_names(std::string_view line, std::string_view sym) {
  std::size_t first = line.find(' ');
  if (first == std::string_view::npos) return false;
  std::size_t second = line.find(' ', first + 1);
  if (second == std::string_view::npos) return false;
  std::string_view name = line.substr(second + 1);
  if (std::size_t tab = name.find('\t'); tab != std::string_view::npos) name = name.substr(0, tab);
  return name == sym;
}

}  // namespace

int probe_syscall_wrapper(const Context&) {
  const char* prefix = arch_syscall_prefix();
  if (prefix == nullptr) return 0;
  const std::string wanted = std::string(prefix) + "sys_bpf";

  // Owned: the line buffer below may throw, and the fd must not leak then.
  probe::Fd fd(kernel().open("/proc/kallsyms", O_RDONLY));
  if (!fd.valid()) {
    BPFXX_DEBUG("feature probe: cannot open /proc/kallsyms: %s\n", std::strerror(-fd.error()));
    return fd.error();
  }
  // Read in chunks and stop at the first match: the file is megabytes long.
  // A line longer than kMaxLine is not a symbol we look for; skip it.
  constexpr std::size_t kMaxLine = 4096;
  char buf[16384];
  std::string partial;
  bool skipping = false;
  int result = 0;
  for (;;) {
    ssize_t n = kernel().read(fd.get(), buf, sizeof(buf));
    if (n < 0) {
      BPFXX_DEBUG("feature probe: cannot read /proc/kallsyms: %s\n", std::strerror(static_cast<int>(-n)));
      result = static_cast<int>(n);
      break;
    }
    if (n == 0) {
      // A last line without its newline.
      if (!skipping && !partial.empty() && line_names(partial, wanted)) result = 1;
      break;
    }
    std::string_view chunk(buf, static_cast<std::size_t>(n));
    bool found = false;
    while (!chunk.empty() && !found) {
      std::size_t nl = chunk.find('\n');
      std::string_view piece = chunk.substr(0, nl);
      chunk = nl == std::string_view::npos ? std::string_view{} : chunk.substr(nl + 1);
      if (nl == std::string_view::npos) {
        // Unfinished line: keep it for the next chunk, within bounds.
        if (!skipping && partial.size() + piece.size() <= kMaxLine) {
          partial.append(piece);
        } else {
          skipping = true;
          partial.clear();
        }
        break;
      }
      if (skipping) {
        skipping = false;
        continue;
      }
      if (partial.empty()) {
        found = line_names(piece, wanted);
      } else {
        partial.append(piece);
        found = line_names(partial, wanted);
        partial.clear();
      }
    }
    if (found) {
      result = 1;
      break;
    }
  }
  if (result >= 0) {
    BPFXX_DEBUG("feature probe: %s %s in /proc/kallsyms\n", wanted.c_str(), result ? "found" : "not found");
  }
  return result;
}

}  // namespace detail
}  // namespace bpfxx::sys
