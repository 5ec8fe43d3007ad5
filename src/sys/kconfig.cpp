// Kernel config text: parsing, decoding values, finding it on this machine,
// and the kernel version code.
#include "sys/kconfig.h"

#include "sys/files.h"
#include "sys/kernel.h"

#include <sys/utsname.h>
#include <zlib.h>

#include <cstdio>
#include <cstring>

namespace bpfxx::sys {
namespace {

constexpr std::string_view kPrefix = "CONFIG_";
// /proc/config.gz is ~25 KiB, a .config ~300 KiB: these bound bad input.
constexpr size_t kMaxConfigFile = 16u << 20;

std::string_view trim_eol(std::string_view s) {
  while (!s.empty() && (s.back() == '\r' || s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Parses an unsigned number in base 0 (0x.. hex, 0.. octal, decimal);
// false on garbage, an empty string or overflow.
bool parse_u64(std::string_view s, uint64_t& out) {
  if (s.empty()) return false;
  unsigned base = 10;
  if (s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
    base = 16;
    s.remove_prefix(2);
  } else if (s.size() > 1 && s[0] == '0') {
    base = 8;
    s.remove_prefix(1);
  }
  uint64_t v = 0;
  for (char c : s) {
    unsigned d;
    if (c >= '0' && c <= '9') d = static_cast<unsigned>(c - '0');
    else if (c >= 'a' && c <= 'f') d = static_cast<unsigned>(c - 'a' + 10);
    else if (c >= 'A' && c <= 'F') d = static_cast<unsigned>(c - 'A' + 10);
    else return false;
    if (d >= base) return false;
    if (v > (UINT64_MAX - d) / base) return false;
    v = v * base + d;
  }
  out = v;
  return true;
}

// x.y.z at the start of s, as KERNEL_VERSION(); 0 if s does not start so.
uint32_t version_at(std::string_view s) {
  unsigned a = 0, b = 0, c = 0;
  const std::string str(s.substr(0, 64));
  if (std::sscanf(str.c_str(), "%u.%u.%u", &a, &b, &c) != 3) return 0;
  return (a << 16) + (b << 8) + (c > 255 ? 255 : c);
}

}  // namespace

Result<KconfigValue> decode_kconfig_value(std::string_view raw) {
  KconfigValue v;
  if (raw.empty()) return fail(EINVAL, "empty value");
  if (raw.size() == 1 && (raw[0] == 'y' || raw[0] == 'n' || raw[0] == 'm')) {
    v.kind = KconfigValue::Kind::kTristate;
    v.tristate = raw[0];
    return v;
  }
  if (raw[0] == '"') {
    if (raw.size() < 2 || raw.back() != '"') return fail(EINVAL, "string value without its closing quote");
    v.kind = KconfigValue::Kind::kString;
    v.str = raw.substr(1, raw.size() - 2);
    return v;
  }
  v.kind = KconfigValue::Kind::kNumber;
  std::string_view digits = raw;
  if (digits[0] == '-' || digits[0] == '+') {
    v.negative = digits[0] == '-';
    digits.remove_prefix(1);
  }
  uint64_t mag = 0;
  if (!parse_u64(digits, mag)) return fail(EINVAL, "'" + std::string(raw) + "' is not y, n, m, a number or a string");
  if (v.negative && mag > (uint64_t{1} << 63)) return fail(ERANGE, "'" + std::string(raw) + "' is below -2^63");
  v.num = v.negative ? ~mag + 1 : mag;
  return v;
}

Result<void> for_each_kconfig(std::string_view text,
                              const std::function<Result<void>(std::string_view, std::string_view)>& each) {
  size_t line_no = 0;
  while (!text.empty()) {
    line_no++;
    const size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
    if (!line.starts_with(kPrefix)) continue;
    line = trim_eol(line);
    const size_t eq = line.find('=');
    if (eq == std::string_view::npos)
      return fail(EINVAL, "line " + std::to_string(line_no) + " ('" + std::string(line.substr(0, 80)) +
                              "') has no '='");
    const std::string_view name = line.substr(0, eq);
    const std::string_view raw = line.substr(eq + 1);
    if (raw.empty())
      return fail(EINVAL, "line " + std::to_string(line_no) + ": " + std::string(name) + " has no value");
    if (auto r = each(name, raw); !r) return r;
  }
  return {};
}

Result<std::string> gunzip(std::string_view gz, size_t max_out) {
  z_stream zs{};
  // 16 + MAX_WBITS: a gzip header and trailer around the deflate stream.
  if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK) return fail(ENOMEM, "zlib: cannot start inflating");
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(gz.data()));
  zs.avail_in = static_cast<uInt>(gz.size());
  std::string out;
  int rc = Z_OK;
  char chunk[1 << 16];
  while (rc != Z_STREAM_END) {
    zs.next_out = reinterpret_cast<Bytef*>(chunk);
    zs.avail_out = sizeof chunk;
    rc = inflate(&zs, Z_NO_FLUSH);
    if (rc != Z_OK && rc != Z_STREAM_END) break;
    out.append(chunk, sizeof chunk - zs.avail_out);
    if (out.size() > max_out) {
      inflateEnd(&zs);
      return fail(EFBIG, "decompressed data larger than " + std::to_string(max_out) + " bytes");
    }
    if (rc == Z_OK && zs.avail_in == 0 && zs.avail_out != 0) break;  // truncated input
  }
  inflateEnd(&zs);
  if (rc != Z_STREAM_END) return fail(EINVAL, "corrupt or truncated gzip data");
  return out;
}

Result<std::string> read_kernel_config() {
  Result<std::string> gz = read_file("/proc/config.gz", kMaxConfigFile);
  if (!gz && gz.error() == EFBIG) return gz.failure();
  if (gz) {
    Result<std::string> text = gunzip(*gz);
    if (!text) return fail(text.error(), "/proc/config.gz: " + text.message());
    return text;
  }
  struct utsname u{};
  if (kernel().uname(&u) != 0) return fail(errno, "uname failed");
  const std::string boot = std::string("/boot/config-") + u.release;
  Result<std::string> plain = read_file(boot.c_str(), kMaxConfigFile);
  if (!plain && plain.error() == EFBIG) return plain.failure();
  if (!plain) return fail(ENOENT, "neither /proc/config.gz nor " + boot + " can be read");
  return plain;
}

uint32_t kernel_version_code(std::string_view version_signature, std::string_view release,
                             std::string_view version) {
  // Ubuntu: "Ubuntu 5.4.0-42.46-generic 5.4.44": the upstream version last.
  if (version_signature.starts_with("Ubuntu ")) {
    std::string_view s = trim_eol(version_signature.substr(0, version_signature.find('\n')));
    const size_t sp = s.rfind(' ');
    if (sp != std::string_view::npos) {
      if (const uint32_t v = version_at(s.substr(sp + 1)); v != 0) return v;
    }
  }
  // Debian: "#1 SMP PREEMPT_DYNAMIC Debian 6.1.76-1 (2024-02-01)".
  if (const size_t d = version.find("Debian "); d != std::string_view::npos) {
    if (const uint32_t v = version_at(version.substr(d + 7)); v != 0) return v;
  }
  return version_at(release);
}

uint32_t kernel_version_code() {
  struct utsname u{};
  if (kernel().uname(&u) != 0) return 0;
  Result<std::string> sig = read_file("/proc/version_signature", 4096);
  return kernel_version_code(sig ? std::string_view(*sig) : std::string_view(), u.release, u.version);
}

}  // namespace bpfxx::sys
