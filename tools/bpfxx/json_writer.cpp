#include "json_writer.h"

#include <cstdint>
#include <cstdio>

namespace bpfxx::tool {

namespace {

// The length of the valid UTF-8 sequence starting at s[i] (a lead byte of
// 0x80 or more), or 0 when it is not one: bad lead or continuation bytes,
// overlong forms, surrogates and code points past U+10FFFF.
size_t utf8_sequence(std::string_view s, size_t i) {
  const auto at = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char lead = at(i);
  size_t len = 0;
  uint32_t cp = 0;
  if (lead >= 0xc2 && lead <= 0xdf) {
    len = 2;
    cp = lead & 0x1f;
  } else if (lead >= 0xe0 && lead <= 0xef) {
    len = 3;
    cp = lead & 0x0f;
  } else if (lead >= 0xf0 && lead <= 0xf4) {
    len = 4;
    cp = lead & 0x07;
  } else {
    return 0;
  }
  if (i + len > s.size()) return 0;
  for (size_t k = 1; k < len; k++) {
    if ((at(i + k) & 0xc0) != 0x80) return 0;
    cp = (cp << 6) | (at(i + k) & 0x3f);
  }
  if (len == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) return 0;
  if (len == 4 && (cp < 0x10000 || cp > 0x10ffff)) return 0;
  return len;
}

}  // namespace

std::string json_quote(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 2);
  out.push_back('"');
  for (size_t i = 0; i < s.size(); i++) {
    const char c = s[i];
    auto u = static_cast<unsigned char>(c);
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (u < 0x20) {
          // Other control characters have no short escape.
          char buf[8];
          std::snprintf(buf, sizeof(buf), "\\u%04x", u);
          out += buf;
        } else if (u < 0x80) {
          out.push_back(c);
        } else if (size_t n = utf8_sequence(s, i); n != 0) {
          out.append(s.substr(i, n));
          i += n - 1;
        } else {
          // Not UTF-8 (a raw byte of a name or path): JSON text must be,
          // so the byte goes as the code point of the same number.
          char buf[8];
          std::snprintf(buf, sizeof(buf), "\\u%04x", u);
          out += buf;
        }
    }
  }
  out.push_back('"');
  return out;
}

void JsonWriter::newline_indent() {
  if (!pretty_) return;
  out_.push_back('\n');
  out_.append(levels_.size() * 2, ' ');
}

void JsonWriter::before_value() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (levels_.empty()) return;
  Level& level = levels_.back();
  if (!level.empty) out_.push_back(',');
  level.empty = false;
  newline_indent();
}

void JsonWriter::key(std::string_view name) {
  before_value();
  out_ += json_quote(name);
  out_ += pretty_ ? ": " : ":";
  after_key_ = true;
}

void JsonWriter::open(char bracket, bool object) {
  before_value();
  out_.push_back(bracket);
  levels_.push_back(Level{object});
}

void JsonWriter::close(char bracket) {
  if (levels_.empty()) return;
  bool was_empty = levels_.back().empty;
  levels_.pop_back();
  if (!was_empty) newline_indent();
  out_.push_back(bracket);
}

void JsonWriter::string(std::string_view value) {
  before_value();
  out_ += json_quote(value);
}

void JsonWriter::string_or_null(const char* value) {
  if (value == nullptr) {
    null();
  } else {
    string(value);
  }
}

void JsonWriter::boolean(bool value) {
  before_value();
  out_ += value ? "true" : "false";
}

void JsonWriter::number(int64_t value) {
  before_value();
  out_ += std::to_string(value);
}

void JsonWriter::null() {
  before_value();
  out_ += "null";
}

const std::string& JsonWriter::text() const { return out_; }

}  // namespace bpfxx::tool
