// Parsing /proc/kallsyms.
#include "sys/kallsyms.h"

#include "sys/files.h"

namespace bpfxx::sys {
namespace {

// Far above any kernel's symbol table (~10 MiB with KALLSYMS_ALL).
constexpr size_t kMaxKallsyms = 256u << 20;

bool parse_hex(std::string_view s, uint64_t& out) {
  if (s.empty() || s.size() > 16) return false;
  uint64_t v = 0;
  for (char c : s) {
    unsigned d;
    if (c >= '0' && c <= '9') d = static_cast<unsigned>(c - '0');
    else if (c >= 'a' && c <= 'f') d = static_cast<unsigned>(c - 'a' + 10);
    else if (c >= 'A' && c <= 'F') d = static_cast<unsigned>(c - 'A' + 10);
    else return false;
    v = v << 4 | d;
  }
  out = v;
  return true;
}

// The next field of line separated by any of seps; empty if none left.
std::string_view next_field(std::string_view& line, std::string_view seps) {
  const size_t start = line.find_first_not_of(seps);
  if (start == std::string_view::npos) {
    line = {};
    return {};
  }
  line.remove_prefix(start);
  const size_t end = line.find_first_of(seps);
  std::string_view f = line.substr(0, end);
  line.remove_prefix(end == std::string_view::npos ? line.size() : end);
  return f;
}

}  // namespace

Result<void> for_each_kallsym(std::string_view text, const std::function<bool(const Kallsym&)>& each) {
  size_t line_no = 0;
  while (!text.empty()) {
    line_no++;
    const size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
    if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;
    Kallsym s;
    const std::string_view addr = next_field(line, " \t");
    const std::string_view type = next_field(line, " \t");
    s.name = next_field(line, " \t\r");
    if (!parse_hex(addr, s.addr) || type.size() != 1 || s.name.empty())
      return fail(EINVAL, "kallsyms line " + std::to_string(line_no) + " is malformed");
    s.type = type[0];
    std::string_view mod = next_field(line, " \t\r");
    if (mod.size() >= 2 && mod.front() == '[' && mod.back() == ']') s.module = mod.substr(1, mod.size() - 2);
    if (!each(s)) break;
  }
  return {};
}

std::string_view kallsym_match_name(const Kallsym& s) noexcept {
  if (s.type != 'd') return s.name;
  const size_t sfx = s.name.find(".llvm.");
  return sfx == std::string_view::npos ? s.name : s.name.substr(0, sfx);
}

Result<std::string> read_kallsyms() { return read_file("/proc/kallsyms", kMaxKallsyms); }

}  // namespace bpfxx::sys
