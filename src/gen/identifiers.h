// Names in generated C: turning map, program and variable names into
// identifiers that compile as C and as C++.
#pragma once

#include <string>
#include <string_view>
#include <unordered_set>

namespace bpfxx::gen {

// Every character that is not a letter, digit or '_' becomes '_' (static
// variables are named "func.var" in BTF, custom sections ".data.foo").
std::string sanitize_identifier(std::string_view name);

// True for the reserved words of C11 and C++20 (e.g. "class", "new").
bool is_keyword(std::string_view word);

// True when name is a non-empty C identifier: [A-Za-z_][A-Za-z0-9_]*.
bool is_identifier(std::string_view name);

// The identifiers of one C scope (a struct's members): hands out each
// name once. A keyword gets a trailing '_'; a name already taken gets
// "_2", "_3", ... so two maps that sanitize alike still both compile.
class IdentScope {
 public:
  std::string claim(std::string_view name);
  // Marks a name as used without handing it out (fixed members).
  void reserve(std::string_view name) { used_.emplace(name); }

 private:
  std::unordered_set<std::string> used_;
};

}  // namespace bpfxx::gen
