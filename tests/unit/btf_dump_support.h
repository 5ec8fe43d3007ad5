// Shared by the btf_dump unit tests: an owning BTF pointer and a print
// callback that collects the dumper's output in a std::string.
#pragma once

#include <bpf/btf.h>

#include <algorithm>
#include <cstdarg>
#include <cstdio>
#include <memory>
#include <string>

namespace bpfxx::test {

struct BtfDeleter {
  void operator()(struct btf* b) const { btf__free(b); }
};
using BtfPtr = std::unique_ptr<struct btf, BtfDeleter>;

// btf_dump_printf_fn_t appending to the std::string passed as ctx.
inline void append(void* ctx, const char* fmt, va_list args) {
  auto* s = static_cast<std::string*>(ctx);
  char buf[4096];
  int n = std::vsnprintf(buf, sizeof(buf), fmt, args);
  if (n > 0) s->append(buf, std::min<size_t>(static_cast<size_t>(n), sizeof(buf) - 1));
}

}  // namespace bpfxx::test
