// A small streaming JSON writer for the bpfxx command's -j / -p output.
//
// Callers emit structure in order (begin_object, key, value, ...); the writer
// adds commas, quotes, escapes and, when pretty, newlines and indentation.
// It does not validate the structure beyond what it needs for separators.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace bpfxx::tool {

class JsonWriter {
 public:
  explicit JsonWriter(bool pretty) : pretty_(pretty) {}

  void begin_object() { open('{', true); }
  void end_object() { close('}'); }
  void begin_array() { open('[', false); }
  void end_array() { close(']'); }

  // The name of the next member of the enclosing object.
  void key(std::string_view name);

  void string(std::string_view value);
  // nullptr writes null.
  void string_or_null(const char* value);
  void boolean(bool value);
  void number(int64_t value);
  void null();

  // The document written so far (complete once every container is closed).
  const std::string& text() const;

 private:
  struct Level {
    bool object;
    bool empty = true;
  };
  void before_value();
  void open(char bracket, bool object);
  void close(char bracket);
  void newline_indent();

  bool pretty_;
  bool after_key_ = false;
  std::vector<Level> levels_;
  std::string out_;
};

// s as a JSON string literal, quotes included.
std::string json_quote(std::string_view s);

}  // namespace bpfxx::tool
