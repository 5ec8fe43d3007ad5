// libFuzzer target: the kernel-config parser and value decoder, the gzip
// path config.gz takes, and the kallsyms parser, on arbitrary bytes.
#include "sys/kallsyms.h"
#include "sys/kconfig.h"

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)bpfxx::sys::for_each_kconfig(text, [](std::string_view, std::string_view raw) -> bpfxx::Result<void> {
    (void)bpfxx::sys::decode_kconfig_value(raw);
    return {};
  });
  (void)bpfxx::sys::gunzip(text, 1u << 20);
  (void)bpfxx::sys::for_each_kallsym(text, [](const bpfxx::sys::Kallsym&) { return true; });
  return 0;
}
