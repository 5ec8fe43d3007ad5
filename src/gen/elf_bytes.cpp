// The embedded object: bytes as a C string literal (skeleton.h).
#include "gen/skeleton.h"

namespace bpfxx::gen {

void append_string_literal(std::span<const uint8_t> bytes, std::string& out) {
  static constexpr char kHex[] = "0123456789abcdef";
  // "\0" for zero bytes (the most common in ELF), "\xNN" otherwise. Every
  // byte is escaped and every escape starts with '\', so no escape can
  // swallow the digits of the next byte.
  out.reserve(out.size() + bytes.size() * 4 + bytes.size() / 19 * 2);
  size_t line = 0;
  for (uint8_t b : bytes) {
    const size_t width = b != 0 ? 4 : 2;
    line += width;
    if (line > 78) {
      out += "\\\n";
      line = width;
    }
    if (b == 0) {
      out += "\\0";
    } else {
      out += "\\x";
      out.push_back(kHex[b >> 4]);
      out.push_back(kHex[b & 15]);
    }
  }
}

}  // namespace bpfxx::gen
