#include "byte_args.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdlib>

namespace bpfxx::tool {
namespace {

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

}  // namespace

bool parse_bytes(const std::vector<std::string>& args, size_t* pos, const std::vector<std::string>& stop_words,
                 size_t want, const char* what, std::vector<uint8_t>* out, std::string* error) {
  out->clear();
  size_t i = *pos;
  bool hex = false;
  if (i < args.size() && args[i] == "hex") {
    hex = true;
    i++;
  }
  for (; i < args.size(); i++) {
    const std::string& w = args[i];
    if (std::find(stop_words.begin(), stop_words.end(), w) != stop_words.end()) break;
    if (hex) {
      std::string digits = w;
      if (digits.size() > 2 && digits[0] == '0' && (digits[1] == 'x' || digits[1] == 'X')) digits = digits.substr(2);
      if (digits.empty() || digits.size() % 2 != 0) {
        *error = std::string("bad hex byte '") + w + "' in " + what + " (two hex digits per byte)";
        return false;
      }
      for (size_t k = 0; k < digits.size(); k += 2) {
        int hi = hex_digit(digits[k]);
        int lo = hex_digit(digits[k + 1]);
        if (hi < 0 || lo < 0) {
          *error = std::string("bad hex byte '") + w + "' in " + what;
          return false;
        }
        out->push_back(static_cast<uint8_t>(hi << 4 | lo));
      }
    } else {
      char* end = nullptr;
      errno = 0;
      unsigned long v = std::strtoul(w.c_str(), &end, 0);
      if (w.empty() || w[0] == '-' || errno != 0 || *end != 0 || v > 255) {
        *error = std::string("bad byte '") + w + "' in " + what + " (0..255, 0x.. for hex, or 'hex' first)";
        return false;
      }
      out->push_back(static_cast<uint8_t>(v));
    }
  }
  if (out->size() != want) {
    *error = std::string(what) + " has " + std::to_string(out->size()) + " byte" + (out->size() == 1 ? "" : "s") +
             ", the map needs " + std::to_string(want);
    return false;
  }
  *pos = i;
  return true;
}

std::string hex_bytes(const uint8_t* data, size_t size) {
  static const char kDigits[] = "0123456789abcdef";
  std::string s;
  s.reserve(size * 3);
  for (size_t i = 0; i < size; i++) {
    if (i != 0) s.push_back(' ');
    s.push_back(kDigits[data[i] >> 4]);
    s.push_back(kDigits[data[i] & 15]);
  }
  return s;
}

}  // namespace bpfxx::tool
