// vmlinux.h from the running kernel's BTF through the C API: well-known
// definitions are there, every uniquely named record is defined exactly
// once, the dump is deterministic, and it is the text Debian's libbpf
// prints for the same BTF, once the differences bpfxx makes on purpose
// (explained below) are taken out. Also `bpfxx btf dump ... format raw`
// against Debian's bpftool, line for line.
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include <gtest/gtest.h>

#include <dlfcn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <map>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

namespace {

const char kVmlinux[] = "/sys/kernel/btf/vmlinux";

bool have_vmlinux_btf() { return access(kVmlinux, R_OK) == 0; }

void append(void* ctx, const char* fmt, va_list args) {
  auto* s = static_cast<std::string*>(ctx);
  va_list copy;
  va_copy(copy, args);
  int n = std::vsnprintf(nullptr, 0, fmt, copy);
  va_end(copy);
  if (n <= 0) return;
  size_t old = s->size();
  s->resize(old + static_cast<size_t>(n) + 1);
  std::vsnprintf(&(*s)[old], static_cast<size_t>(n) + 1, fmt, args);
  s->resize(old + static_cast<size_t>(n));
}

struct DumpApi {
  decltype(&btf__parse) parse;
  decltype(&btf__free) free_btf;
  decltype(&btf__type_cnt) type_cnt;
  decltype(&btf_dump__new) dump_new;
  decltype(&btf_dump__dump_type) dump_type;
  decltype(&btf_dump__free) dump_free;
};

DumpApi ours() { return {btf__parse, btf__free, btf__type_cnt, btf_dump__new, btf_dump__dump_type, btf_dump__free}; }

std::string dump_all(const DumpApi& api) {
  std::string out;
  struct btf* b = api.parse(kVmlinux, nullptr);
  EXPECT_NE(b, nullptr);
  if (b == nullptr) return out;
  struct btf_dump* d = api.dump_new(b, append, &out, nullptr);
  EXPECT_NE(d, nullptr);
  for (uint32_t id = 1, n = api.type_cnt(b); d != nullptr && id < n; id++) EXPECT_EQ(api.dump_type(d, id), 0);
  if (d != nullptr) api.dump_free(d);
  api.free_btf(b);
  return out;
}

TEST(BtfVmlinuxH, WellKnownDefinitions) {
  if (!have_vmlinux_btf()) GTEST_SKIP() << "no " << kVmlinux;
  const std::string h = dump_all(ours());
  EXPECT_NE(h.find("struct list_head {\n\tstruct list_head *next;\n\tstruct list_head *prev;\n};\n\n"),
            std::string::npos);
  EXPECT_NE(h.find("\nstruct task_struct {\n"), std::string::npos);
  EXPECT_NE(h.find("\ntypedef __u32 u32;\n"), std::string::npos);
  EXPECT_NE(h.find("\nenum bpf_prog_type {\n"), std::string::npos);
  // Forward declarations for records first used through a pointer.
  EXPECT_TRUE(std::regex_search(h, std::regex("\nstruct [a-z_0-9]+;\n")));
}

TEST(BtfVmlinuxH, EveryUniqueRecordIsDefinedOnce) {
  if (!have_vmlinux_btf()) GTEST_SKIP() << "no " << kVmlinux;
  const std::string h = dump_all(ours());
  struct btf* b = btf__parse(kVmlinux, nullptr);
  ASSERT_NE(b, nullptr);
  std::map<std::string, int> named;
  std::map<std::string, int> tags;
  for (uint32_t id = 1; id < btf__type_cnt(b); id++) {
    const btf_type* t = btf__type_by_id(b, id);
    // struct, union and enum tags share one namespace: a name used twice
    // gets ___2 on its second type.
    if (t->name_off != 0 && (btf_is_composite(t) || (btf_is_any_enum(t) && btf_vlen(t) != 0)))
      tags[btf__name_by_offset(b, t->name_off)]++;
    if (btf_is_composite(t) && t->name_off != 0)
      named[std::string(btf_is_struct(t) ? "struct " : "union ") + btf__name_by_offset(b, t->name_off)] =
          tags[btf__name_by_offset(b, t->name_off)];
  }
  btf__free(b);
  // Definitions in the header: top-level lines "struct X {" / "union X {".
  std::map<std::string, int> defined;
  std::istringstream in(h);
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("struct ", 0) != 0 && line.rfind("union ", 0) != 0) continue;
    const size_t brace = line.find(" {");
    if (brace != std::string::npos) defined[line.substr(0, brace)]++;
  }
  size_t checked = 0;
  for (const auto& [name, count] : named) {
    if (count != 1 || tags[name.substr(name.find(' ') + 1)] != 1) continue;
    EXPECT_EQ(defined[name], 1) << name;
    checked++;
  }
  EXPECT_GT(checked, 1000u);
}

TEST(BtfVmlinuxH, Deterministic) {
  if (!have_vmlinux_btf()) GTEST_SKIP() << "no " << kVmlinux;
  EXPECT_EQ(dump_all(ours()), dump_all(ours()));
}

// Our text with what bpfxx prints on purpose beyond Debian's libbpf 1.1
// taken out:
//  - unnamed bitfield padding lines: ours are fewer (clang moves a bitfield
//    that cannot share its unit by itself; __int128 is 16-byte aligned) and
//    exact-width in packed records, so padding is compared by layout in the
//    vmlinux_h.layout test instead;
//  - __attribute__((mode(byte))) on 1-byte enums (libbpf 1.2+ prints it,
//    1.1's enums come out 4 bytes long);
//  - "(void)" for prototypes without parameters, where libbpf 1.1 printed
//    "()" (an old-style declaration in C; libbpf 1.2+ prints "(void)");
//  - __attribute__((packed)) on unions: a union whose BTF size is not a
//    multiple of its widest member's alignment (Debian 6.12's union
//    ec_response_get_next_data_v3: a u64 member, 18 bytes) is 24 bytes in
//    libbpf's text, which never marks a union packed (no version does), and
//    18 in ours, as the vmlinux_h.layout asserts require.
std::string normalize(const std::string& h) {
  static const std::regex pad(R"(^\t+(long|int|short|char): [0-9]+;$)");
  // "union {", "\tunion name {", "typedef union {", ...
  static const std::regex union_open(R"((^|[^A-Za-z0-9_])union( [A-Za-z0-9_]+)? \{$)");
  const std::string packed = " __attribute__((packed))";
  std::vector<bool> open_is_union;  // one entry per record/enum brace open
  std::istringstream in(h);
  std::string line, out;
  while (std::getline(in, line)) {
    if (std::regex_match(line, pad)) continue;
    const size_t text = line.find_first_not_of('\t');
    if (text != std::string::npos && line[text] == '}' && !open_is_union.empty()) {
      if (open_is_union.back() && line.compare(text + 1, packed.size(), packed) == 0)
        line.erase(text + 1, packed.size());
      open_is_union.pop_back();
    } else if (!line.empty() && line.back() == '{') {
      open_is_union.push_back(std::regex_search(line, union_open));
    }
    const std::string attr = " __attribute__((mode(byte)))";
    if (size_t p = line.find(attr); p != std::string::npos) line.erase(p, attr.size());
    for (size_t p; (p = line.find("(void)")) != std::string::npos;) line.replace(p, 6, "()");
    out += line;
    out += '\n';
  }
  return out;
}

TEST(BtfVmlinuxH, SameTextAsDebianLibbpf) {
  if (!have_vmlinux_btf()) GTEST_SKIP() << "no " << kVmlinux;
  void* lib = dlopen("libbpf.so.1", RTLD_NOW | RTLD_LOCAL);
  if (lib == nullptr) GTEST_SKIP() << "Debian's libbpf.so.1 is not installed";
  DumpApi theirs{
      reinterpret_cast<decltype(&btf__parse)>(dlsym(lib, "btf__parse")),
      reinterpret_cast<decltype(&btf__free)>(dlsym(lib, "btf__free")),
      reinterpret_cast<decltype(&btf__type_cnt)>(dlsym(lib, "btf__type_cnt")),
      reinterpret_cast<decltype(&btf_dump__new)>(dlsym(lib, "btf_dump__new")),
      reinterpret_cast<decltype(&btf_dump__dump_type)>(dlsym(lib, "btf_dump__dump_type")),
      reinterpret_cast<decltype(&btf_dump__free)>(dlsym(lib, "btf_dump__free")),
  };
  ASSERT_TRUE(theirs.parse && theirs.free_btf && theirs.type_cnt && theirs.dump_new && theirs.dump_type &&
              theirs.dump_free);
  const std::string a = normalize(dump_all(ours()));
  const std::string b = normalize(dump_all(theirs));
  dlclose(lib);
  if (a != b) {
    // Show the first difference.
    std::istringstream ia(a), ib(b);
    std::string la, lb;
    int n = 0;
    while (std::getline(ia, la) && std::getline(ib, lb)) {
      n++;
      if (la != lb) break;
    }
    FAIL() << "first difference at line " << n << ":\n  bpfxx:  " << la << "\n  libbpf: " << lb;
  }
}

// <build>/tests/bpfxx_kernel_tests -> <build>/tools/bpfxx/bpfxx
std::string tool_path() {
  char self[PATH_MAX];
  ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
  if (n <= 0) return {};
  std::string path(self, static_cast<size_t>(n));
  path = path.substr(0, path.rfind('/'));
  return path.substr(0, path.rfind('/')) + "/tools/bpfxx/bpfxx";
}

std::string run(const std::string& cmd, int* status) {
  std::string out;
  FILE* p = popen(cmd.c_str(), "r");
  if (p == nullptr) return out;
  char buf[65536];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof(buf), p)) > 0) out.append(buf, n);
  *status = pclose(p);
  return out;
}

TEST(BtfVmlinuxH, RawListingMatchesBpftool) {
  if (!have_vmlinux_btf()) GTEST_SKIP() << "no " << kVmlinux;
  const std::string tool = tool_path();
  if (access(tool.c_str(), X_OK) != 0) GTEST_SKIP() << "no " << tool;
  int st = 0;
  const std::string ours_raw = run(tool + " btf dump file " + kVmlinux + " format raw", &st);
  ASSERT_EQ(st, 0);
  // The listing starts with type 1, named as the library parses it (which
  // type comes first depends on how the kernel was built).
  struct btf* parsed = btf__parse_raw(kVmlinux);
  ASSERT_NE(parsed, nullptr);
  const struct btf_type* first = btf__type_by_id(parsed, 1);
  ASSERT_NE(first, nullptr);
  const char* first_name = btf__name_by_offset(parsed, first->name_off);
  const std::string want_name = std::string("'") + (first_name[0] != '\0' ? first_name : "(anon)") + "'";
  btf__free(parsed);
  EXPECT_EQ(ours_raw.rfind("[1] ", 0), 0u) << ours_raw.substr(0, 80);
  const std::string first_line = ours_raw.substr(0, ours_raw.find('\n'));
  EXPECT_NE(first_line.find(want_name), std::string::npos) << first_line << " does not name " << want_name;
  if (system("command -v bpftool > /dev/null 2>&1") != 0) GTEST_SKIP() << "bpftool is not installed";
  const std::string theirs = run(std::string("bpftool btf dump file ") + kVmlinux, &st);
  ASSERT_EQ(st, 0);
  EXPECT_TRUE(ours_raw == theirs) << "the raw listings differ";
}

TEST(BtfVmlinuxH, ToolSelectsTypesById) {
  if (!have_vmlinux_btf()) GTEST_SKIP() << "no " << kVmlinux;
  const std::string tool = tool_path();
  if (access(tool.c_str(), X_OK) != 0) GTEST_SKIP() << "no " << tool;
  struct btf* b = btf__parse(kVmlinux, nullptr);
  ASSERT_NE(b, nullptr);
  const int id = btf__find_by_name_kind(b, "list_head", BTF_KIND_STRUCT);
  btf__free(b);
  ASSERT_GT(id, 0);
  int st = 0;
  const std::string c = run(tool + " btf dump file " + kVmlinux + " format c id " + std::to_string(id), &st);
  ASSERT_EQ(st, 0);
  EXPECT_NE(c.find("#define __VMLINUX_H__\n"), std::string::npos);
  EXPECT_NE(c.find("struct list_head {\n"), std::string::npos);
  EXPECT_EQ(c.find("struct task_struct {"), std::string::npos);
  const std::string raw = run(tool + " btf dump file " + kVmlinux + " id " + std::to_string(id), &st);
  ASSERT_EQ(st, 0);
  EXPECT_EQ(raw.compare(0, raw.find('\n'), "[" + std::to_string(id) + "] STRUCT 'list_head' size=16 vlen=2"), 0)
      << raw;
  const std::string json = run(tool + " -j btf dump file " + kVmlinux + " id " + std::to_string(id), &st);
  ASSERT_EQ(st, 0);
  EXPECT_EQ(json.rfind("{\"types\":[{\"id\":" + std::to_string(id) + ",\"kind\":\"STRUCT\",\"name\":\"list_head\"", 0),
            0u)
      << json;
  run(tool + " btf dump file " + kVmlinux + " format c id 999999999 2>/dev/null", &st);
  EXPECT_NE(st, 0);
}

}  // namespace
