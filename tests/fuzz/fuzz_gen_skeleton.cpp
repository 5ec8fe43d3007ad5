// libFuzzer target: the skeleton generators over arbitrary bytes must
// produce a header or fail cleanly, never crash, hang or leak. A header
// that was produced must embed exactly the bytes given.
#include "gen/skeleton.h"

#include <bpf/libbpf.h>

#include <cstdarg>
#include <cstddef>
#include <cstdint>
#include <cstdlib>

namespace {

int quiet(libbpf_print_level, const char*, va_list) { return 0; }

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  libbpf_set_print(quiet);
  std::span<const uint8_t> bytes(data, size);
  auto skel = bpfxx::gen::generate_skeleton(bytes, "fuzz");
  if (skel) {
    std::string literal;
    bpfxx::gen::append_string_literal(bytes, literal);
    if (skel->find(literal) == std::string::npos) std::abort();
  }
  auto sub = bpfxx::gen::generate_subskeleton(bytes, "fuzz_sub");
  (void)sub;
  return 0;
}
