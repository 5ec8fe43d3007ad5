// Helper of the vmlinux.h tests.
//
//   vmlinux_h_tool asserts BTF_FILE OUT_C
//     writes a C file of _Static_assert checks, one for the size of every
//     struct and union whose name is unique in the BTF (and of typedefs of
//     anonymous ones), and one for the offset of each of their members
//     that is not a bitfield (members of anonymous members included, as C
//     lets offsetof name them). Compiled against the vmlinux.h under test,
//     it proves that clang lays every record out as BTF says.
//
//   vmlinux_h_tool names HEADER
//     prints, sorted, the names a btf_dump-style header declares at top
//     level: "struct X", "union X", "enum X", "typedef X", "enumerator X".
//     Two headers' lists are compared to show they declare the same types.
//
// Uses only the public <bpf/btf.h> API.
#include <bpf/btf.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace {

struct Counts {
  std::map<std::string, int> tags;      // struct/union/enum names
  std::map<std::string, int> typedefs;  // typedef names
};

const char* name_of(const struct btf* btf, uint32_t off) {
  const char* s = btf__name_by_offset(btf, off);
  return s != nullptr ? s : "";
}

uint32_t skip_mods(const struct btf* btf, uint32_t id) {
  for (int i = 0; i < 32; i++) {
    const btf_type* t = btf__type_by_id(btf, id);
    if (t == nullptr || !btf_is_mod(t)) return id;
    id = t->type;
  }
  return id;
}

class AssertWriter {
 public:
  explicit AssertWriter(const struct btf* btf) : btf_(btf) {}

  // Assertions for the members of record t (at bit offset base), as
  // offsetof(spelling, member).
  void members(const std::string& spelling, const btf_type* t, uint64_t base) {
    for (uint32_t i = 0, n = btf_vlen(t); i < n; i++) {
      const btf_member* m = btf_members(t) + i;
      const uint64_t off = base + btf_member_bit_offset(t, i);
      if (btf_member_bitfield_size(t, i) != 0) continue;  // offsetof cannot name a bitfield
      const btf_type* mt = btf__type_by_id(btf_, m->type);
      if (mt == nullptr) continue;
      if (m->name_off == 0) {
        const btf_type* inner = btf__type_by_id(btf_, skip_mods(btf_, m->type));
        if (inner != nullptr && btf_is_composite(inner) && inner->name_off == 0) members(spelling, inner, off);
        continue;
      }
      if (off % 8 != 0) continue;
      const char* mname = name_of(btf_, m->name_off);
      out_ << "_Static_assert(__builtin_offsetof(" << spelling << ", " << mname << ") == " << off / 8 << ", \""
           << spelling << "." << mname << "\");\n";
      checks_++;
    }
  }

  void record(const std::string& spelling, const btf_type* t) {
    out_ << "_Static_assert(sizeof(" << spelling << ") == " << t->size << ", \"sizeof(" << spelling << ")\");\n";
    checks_++;
    records_++;
    members(spelling, t, 0);
  }

  std::string text() const { return out_.str(); }
  size_t checks() const { return checks_; }
  size_t records() const { return records_; }

 private:
  const struct btf* btf_;
  std::ostringstream out_;
  size_t checks_ = 0;
  size_t records_ = 0;
};

// Whether the record embeds __builtin_va_list: vmlinux.h leaves that to
// the compiler, and BPF's (a pointer) is smaller than x86-64's (24 bytes),
// so such records cannot have BTF's layout (bpftool's header neither).
bool has_builtin_va_list(const struct btf* btf, uint32_t id, int depth = 0) {
  if (depth > 32) return false;
  for (int i = 0; i < 64; i++) {
    const btf_type* t = btf__type_by_id(btf, id);
    if (t == nullptr) return false;
    if (btf_is_typedef(t) && std::strcmp(name_of(btf, t->name_off), "__builtin_va_list") == 0) return true;
    if (btf_is_mod(t) || btf_is_typedef(t)) {
      id = t->type;
    } else if (btf_is_array(t)) {
      id = btf_array(t)->type;
    } else if (btf_is_composite(t)) {
      for (uint32_t m = 0; m < btf_vlen(t); m++)
        if (has_builtin_va_list(btf, btf_members(t)[m].type, depth + 1)) return true;
      return false;
    } else {
      return false;
    }
  }
  return false;
}

int cmd_asserts(const char* btf_path, const char* out_path) {
  struct btf* btf = btf__parse(btf_path, nullptr);
  if (btf == nullptr) {
    std::fprintf(stderr, "cannot parse %s: %s\n", btf_path, std::strerror(errno));
    return 1;
  }
  const uint32_t cnt = btf__type_cnt(btf);
  Counts counts;
  for (uint32_t id = 1; id < cnt; id++) {
    const btf_type* t = btf__type_by_id(btf, id);
    if (t->name_off == 0) continue;
    if (btf_is_composite(t) || (btf_is_any_enum(t) && btf_vlen(t) != 0)) counts.tags[name_of(btf, t->name_off)]++;
    if (btf_is_typedef(t)) counts.typedefs[name_of(btf, t->name_off)]++;
  }
  AssertWriter w(btf);
  size_t skipped = 0;
  for (uint32_t id = 1; id < cnt; id++) {
    const btf_type* t = btf__type_by_id(btf, id);
    if (t->name_off == 0) continue;
    if ((btf_is_composite(t) || btf_is_typedef(t)) && has_builtin_va_list(btf, id)) {
      skipped++;
      continue;
    }
    const std::string name = name_of(btf, t->name_off);
    if (btf_is_composite(t)) {
      if (counts.tags[name] != 1) continue;  // renamed with ___N in the header
      w.record(std::string(btf_is_struct(t) ? "struct " : "union ") + name, t);
    } else if (btf_is_typedef(t)) {
      const btf_type* target = btf__type_by_id(btf, t->type);
      if (target == nullptr || !btf_is_composite(target) || target->name_off != 0) continue;
      if (counts.typedefs[name] != 1) continue;
      w.record(name, target);
    }
  }
  btf__free(btf);
  std::ofstream out(out_path);
  out << "// Generated by vmlinux_h_tool from " << btf_path << ": the record layouts BTF describes.\n"
      << "#include \"vmlinux.h\"\n\n"
      << w.text();
  out.close();
  if (!out) {
    std::fprintf(stderr, "cannot write %s\n", out_path);
    return 1;
  }
  std::printf("%zu records, %zu checks (%zu records embedding __builtin_va_list left out)\n", w.records(),
              w.checks(), skipped);
  return 0;
}

bool ident_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_'; }

// Removes every {...} body and __attribute__((...)) from a declaration.
std::string strip_bodies(const std::string& s) {
  std::string r;
  int depth = 0;
  for (size_t i = 0; i < s.size(); i++) {
    if (s.compare(i, 15, "__attribute__((") == 0) {
      int paren = 0;
      size_t j = i + 13;
      for (; j < s.size(); j++) {
        if (s[j] == '(') paren++;
        if (s[j] == ')' && --paren == 0) break;
      }
      i = j;
      continue;
    }
    if (s[i] == '{') depth++;
    if (depth == 0) r += s[i];
    if (s[i] == '}') depth--;
  }
  return r;
}

// The name a typedef declares: the first identifier after "typedef" that
// is directly followed by ';', '[', ')' or '(' (base types are followed
// by a space or '*').
std::string typedef_name(const std::string& decl) {
  const std::string s = strip_bodies(decl);
  size_t i = s.find("typedef");
  if (i == std::string::npos) return {};
  i += 7;
  while (i < s.size()) {
    if (!ident_char(s[i]) || std::isdigit(static_cast<unsigned char>(s[i])) != 0) {
      i++;
      continue;
    }
    size_t j = i;
    while (j < s.size() && ident_char(s[j])) j++;
    if (j < s.size() && std::strchr(";[)(", s[j]) != nullptr) return s.substr(i, j - i);
    i = j;
  }
  return {};
}

int cmd_names(const char* path) {
  std::ifstream in(path);
  if (!in) {
    std::fprintf(stderr, "cannot read %s\n", path);
    return 1;
  }
  std::set<std::string> names;
  std::string line;
  std::string item;  // a top-level declaration spanning several lines
  bool in_enum = false;
  auto tag_of = [](const std::string& l, const char* kw) -> std::string {
    const size_t n = std::strlen(kw);
    if (l.compare(0, n, kw) != 0 || l.size() <= n || l[n] != ' ') return {};
    size_t j = n + 1;
    while (j < l.size() && ident_char(l[j])) j++;
    return l.substr(n + 1, j - n - 1);
  };
  while (std::getline(in, line)) {
    if (!item.empty()) {
      item += '\n' + line;
      if (line.compare(0, 1, "}") == 0) {
        if (item.compare(0, 7, "typedef") == 0) names.insert("typedef " + typedef_name(item));
        item.clear();
      }
      if (in_enum && line.size() > 1 && line[0] == '\t' && ident_char(line[1])) {
        size_t j = 1;
        while (j < line.size() && ident_char(line[j])) j++;
        names.insert("enumerator " + line.substr(1, j - 1));
      }
      if (line.compare(0, 1, "}") == 0) in_enum = false;
      continue;
    }
    if (line.compare(0, 7, "typedef") == 0) {
      if (line.back() == '{') {
        item = line;
        in_enum = line.find(" enum ") != std::string::npos || line.find("enum {") != std::string::npos;
      } else {
        names.insert("typedef " + typedef_name(line));
      }
      continue;
    }
    for (const char* kw : {"struct", "union", "enum"}) {
      std::string tag = tag_of(line, kw);
      if (tag.empty() && line.compare(0, std::strlen(kw) + 2, std::string(kw) + " {") != 0) continue;
      if (!tag.empty()) names.insert(std::string(kw) + " " + tag);
      if (line.back() == '{') {
        item = line;
        in_enum = std::strcmp(kw, "enum") == 0;
      }
      break;
    }
  }
  for (const std::string& n : names) std::printf("%s\n", n.c_str());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc == 4 && std::strcmp(argv[1], "asserts") == 0) return cmd_asserts(argv[2], argv[3]);
  if (argc == 3 && std::strcmp(argv[1], "names") == 0) return cmd_names(argv[2]);
  std::fprintf(stderr, "usage: %s asserts BTF_FILE OUT_C | names HEADER\n", argv[0]);
  return 2;
}
