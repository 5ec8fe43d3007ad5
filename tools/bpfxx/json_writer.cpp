#include "json_writer.h"

#include <cstdio>

namespace bpfxx::tool {

std::string json_quote(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 2);
  out.push_back('"');
  for (char c : s) {
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
        } else {
          out.push_back(c);
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
