// The running kernel's build configuration (CONFIG_* values) and version,
// as BPF programs see them through __kconfig externs.
//
// The text format is the kernel's .config: "CONFIG_NAME=value" lines, where
// value is y, n, m, a number (decimal, 0x hex or 0 octal, maybe negative) or
// a double-quoted string. Every other line -- comments, blank lines, and
// "# CONFIG_NAME is not set" -- says nothing: like libbpf, an option that
// is not set has no value (a weak extern then reads 0, a strong one fails).
#pragma once

#include <bpfxx/result.hpp>

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace bpfxx::sys {

// One value of a config line, decoded.
struct KconfigValue {
  enum class Kind : uint8_t { kTristate, kString, kNumber };
  Kind kind = Kind::kTristate;
  char tristate = 'n';  // kTristate: 'y', 'n' or 'm'
  std::string_view str; // kString: between the quotes, as written
  uint64_t num = 0;     // kNumber: two's complement of the written value
  bool negative = false;
};

// Decodes the text after '='. Fails with EINVAL on an empty value, an
// unterminated string, or a number with trailing garbage, and with ERANGE
// beyond 64 bits.
Result<KconfigValue> decode_kconfig_value(std::string_view raw);

// Calls each(name, raw_value) for every CONFIG_ line of text, in order. A
// CONFIG_ line without '=' or without a value fails with EINVAL naming its
// number; so does a failure returned by each (its error and message kept).
Result<void> for_each_kconfig(std::string_view text,
                              const std::function<Result<void>(std::string_view name, std::string_view raw)>& each);

// The running kernel's config text: /proc/config.gz (gunzipped) or else
// /boot/config-<release>. Fails with ENOENT when neither is there.
Result<std::string> read_kernel_config();

// Inflates a gzip stream (at most max_out bytes out). EINVAL if corrupt
// or truncated, EFBIG beyond max_out.
Result<std::string> gunzip(std::string_view gz, size_t max_out = 64u << 20);

// LINUX_KERNEL_VERSION: KERNEL_VERSION(major, minor, patch) of the running
// kernel (patch capped at 255). Ubuntu's /proc/version_signature and
// Debian's "Debian x.y.z" in the uname version win over the release string,
// whose numbers can differ from the upstream version on those kernels.
uint32_t kernel_version_code();

// The parsing behind kernel_version_code(), for tests: the contents of
// /proc/version_signature (empty when absent), uname's release and version.
uint32_t kernel_version_code(std::string_view version_signature, std::string_view release,
                             std::string_view version);

}  // namespace bpfxx::sys
