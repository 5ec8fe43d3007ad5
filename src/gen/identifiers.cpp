// Identifier rules of the skeleton generator (identifiers.h).
#include "gen/identifiers.h"

#include <algorithm>
#include <iterator>

namespace bpfxx::gen {
namespace {

// C11 and C++20 keywords plus the alternative operator spellings of C++:
// a member with one of these names would not compile in one language.
constexpr std::string_view kKeywords[] = {
    "_Alignas", "_Alignof", "_Atomic", "_Bool", "_Complex", "_Generic", "_Imaginary", "_Noreturn",
    "_Static_assert", "_Thread_local", "alignas", "alignof", "and", "and_eq", "asm", "auto", "bitand",
    "bitor", "bool", "break", "case", "catch", "char", "char16_t", "char32_t", "char8_t", "class",
    "co_await", "co_return", "co_yield", "compl", "concept", "const", "const_cast", "consteval", "constexpr",
    "constinit", "continue", "decltype", "default", "delete", "do", "double", "dynamic_cast", "else", "enum",
    "explicit", "export", "extern", "false", "float", "for", "friend", "goto", "if", "inline", "int", "long",
    "mutable", "namespace", "new", "noexcept", "not", "not_eq", "nullptr", "operator", "or", "or_eq",
    "private", "protected", "public", "register", "reinterpret_cast", "requires", "restrict", "return",
    "short", "signed", "sizeof", "static", "static_assert", "static_cast", "struct", "switch", "template",
    "this", "thread_local", "throw", "true", "try", "typedef", "typeid", "typename", "union", "unsigned",
    "using", "virtual", "void", "volatile", "wchar_t", "while", "xor", "xor_eq",
};

bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

std::string sanitize_identifier(std::string_view name) {
  std::string out(name);
  for (char& c : out) {
    if (!is_alpha(c) && !is_digit(c)) c = '_';
  }
  return out;
}

bool is_keyword(std::string_view word) {
  return std::find(std::begin(kKeywords), std::end(kKeywords), word) != std::end(kKeywords);
}

bool is_identifier(std::string_view name) {
  if (name.empty() || !is_alpha(name[0])) return false;
  return std::all_of(name.begin(), name.end(), [](char c) { return is_alpha(c) || is_digit(c); });
}

std::string IdentScope::claim(std::string_view name) {
  std::string base = sanitize_identifier(name);
  if (base.empty() || is_digit(base[0])) base.insert(base.begin(), '_');
  if (is_keyword(base)) base.push_back('_');
  std::string ident = base;
  for (int n = 2; used_.count(ident) != 0; n++) ident = base + "_" + std::to_string(n);
  used_.insert(ident);
  return ident;
}

}  // namespace bpfxx::gen
