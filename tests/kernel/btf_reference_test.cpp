// Differential tests against Debian's libbpf (dlopen, same process): on the
// running kernel's BTF, every type's size, alignment and resolved type, a
// sample of name look-ups, and the pointer size must agree; and a BPF
// object compiled by clang-19 must yield the same BTF and .BTF.ext bytes.
#include "test_support.h"

#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "btf/ext.h"

#include <gtest/gtest.h>

#include <dlfcn.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

namespace {

// Debian's libbpf, kept out of the global symbol namespace.
class RefLibbpf {
 public:
  RefLibbpf() : h_(dlopen("libbpf.so.1", RTLD_NOW | RTLD_LOCAL)) {}
  ~RefLibbpf() {
    if (h_ != nullptr) dlclose(h_);
  }
  bool ok() const { return h_ != nullptr; }
  template <class Fn>
  Fn* get(const char* name, Fn*) const {
    return reinterpret_cast<Fn*>(dlsym(h_, name));
  }

 private:
  void* h_;
};

struct Ref {
  decltype(&btf__parse_raw) parse_raw;
  decltype(&btf__parse_elf) parse_elf;
  decltype(&btf__free) free;
  decltype(&btf__type_cnt) type_cnt;
  decltype(&btf__resolve_size) resolve_size;
  decltype(&btf__resolve_type) resolve_type;
  decltype(&btf__align_of) align_of;
  decltype(&btf__find_by_name_kind) find;
  decltype(&btf__pointer_size) pointer_size;
  decltype(&btf__raw_data) raw_data;
  decltype(&btf_ext__free) ext_free;
  decltype(&libbpf_set_print) set_print;
};

Ref load_ref(const RefLibbpf& lib) {
  return {lib.get("btf__parse_raw", &btf__parse_raw),
          lib.get("btf__parse_elf", &btf__parse_elf),
          lib.get("btf__free", &btf__free),
          lib.get("btf__type_cnt", &btf__type_cnt),
          lib.get("btf__resolve_size", &btf__resolve_size),
          lib.get("btf__resolve_type", &btf__resolve_type),
          lib.get("btf__align_of", &btf__align_of),
          lib.get("btf__find_by_name_kind", &btf__find_by_name_kind),
          lib.get("btf__pointer_size", &btf__pointer_size),
          lib.get("btf__raw_data", &btf__raw_data),
          lib.get("btf_ext__free", &btf_ext__free),
          lib.get("libbpf_set_print", &libbpf_set_print)};
}

int quiet(enum libbpf_print_level, const char*, va_list) { return 0; }

TEST(BtfReference, VmlinuxQueriesAgreeWithLibbpf) {
  if (access("/sys/kernel/btf/vmlinux", R_OK) != 0) GTEST_SKIP() << "no vmlinux BTF";
  RefLibbpf lib;
  if (!lib.ok()) GTEST_SKIP() << "Debian's libbpf.so.1 is not installed";
  const Ref ref = load_ref(lib);
  ref.set_print(quiet);
  auto old = libbpf_set_print(quiet);

  struct btf* ours = btf__parse_raw("/sys/kernel/btf/vmlinux");
  struct btf* theirs = ref.parse_raw("/sys/kernel/btf/vmlinux");
  ASSERT_NE(ours, nullptr);
  ASSERT_NE(theirs, nullptr);
  ASSERT_EQ(btf__type_cnt(ours), ref.type_cnt(theirs));
  EXPECT_EQ(btf__pointer_size(ours), ref.pointer_size(theirs));
  int mismatches = 0;
  for (__u32 id = 0; id < btf__type_cnt(ours) && mismatches < 10; id++) {
    const __s64 s1 = btf__resolve_size(ours, id), s2 = ref.resolve_size(theirs, id);
    const int t1 = btf__resolve_type(ours, id), t2 = ref.resolve_type(theirs, id);
    const int a1 = btf__align_of(ours, id), a2 = ref.align_of(theirs, id);
    if (s1 != s2 || t1 != t2 || a1 != a2) {
      ADD_FAILURE() << "type " << id << ": size " << s1 << " vs " << s2 << ", resolved " << t1
                    << " vs " << t2 << ", align " << a1 << " vs " << a2;
      mismatches++;
    }
  }
  // Name look-ups: every 50th named type, each kind.
  for (__u32 id = 1; id < btf__type_cnt(ours); id += 50) {
    const btf_type* t = btf__type_by_id(ours, id);
    if (t->name_off == 0) continue;
    const char* name = btf__name_by_offset(ours, t->name_off);
    EXPECT_EQ(btf__find_by_name_kind(ours, name, btf_kind(t)),
              ref.find(theirs, name, btf_kind(t)))
        << name;
  }
  ref.free(theirs);
  btf__free(ours);
  libbpf_set_print(old);
}

TEST(BtfReference, ClangObjectGivesLibbpfsBytes) {
  if (system("command -v clang-19 >/dev/null 2>&1") != 0) GTEST_SKIP() << "no clang-19";
  RefLibbpf lib;
  if (!lib.ok()) GTEST_SKIP() << "Debian's libbpf.so.1 is not installed";
  const Ref ref = load_ref(lib);
  ref.set_print(quiet);

  char dir[] = "/tmp/bpfxx_btf_clang_XXXXXX";
  ASSERT_NE(mkdtemp(dir), nullptr);
  const std::string src = std::string(dir) + "/prog.c";
  const std::string obj = std::string(dir) + "/prog.o";
  FILE* f = std::fopen(src.c_str(), "w");
  ASSERT_NE(f, nullptr);
  std::fputs(
      "#define SEC(n) __attribute__((section(n), used))\n"
      "#define __tag __attribute__((btf_decl_tag(\"my_tag\")))\n"
      "struct pt { int x; long y; unsigned flag : 3; double d; } __attribute__((preserve_access_index));\n"
      "enum big { BIG = 0x100000000ULL };\n"
      "enum big big_var = BIG;\n"
      "int counter = 1;\n"
      "const volatile int knob = 3;\n"
      "static __attribute__((noinline)) int helper(struct pt *p __tag) { return p->x + BIG; }\n"
      "SEC(\"socket\") int prog(void *ctx) {\n"
      "  struct pt p = {0};\n"
      "  counter += helper(&p) + knob;\n"
      "  return 0;\n"
      "}\n"
      "char LICENSE[] SEC(\"license\") = \"GPL\";\n",
      f);
  std::fclose(f);
  const std::string cmd = "clang-19 -target bpf -g -O2 -c " + src + " -o " + obj;
  ASSERT_EQ(system(cmd.c_str()), 0) << cmd;

  struct btf_ext* ext = nullptr;
  struct btf* ours = btf__parse_elf(obj.c_str(), &ext);
  ASSERT_NE(ours, nullptr) << std::strerror(errno);
  ASSERT_NE(ext, nullptr);
  struct btf_ext* ref_ext = nullptr;
  struct btf* theirs = ref.parse_elf(obj.c_str(), &ref_ext);
  ASSERT_NE(theirs, nullptr);
  __u32 n1, n2;
  const void* r1 = btf__raw_data(ours, &n1);
  const void* r2 = ref.raw_data(theirs, &n2);
  ASSERT_EQ(n1, n2);
  EXPECT_EQ(std::memcmp(r1, r2, n1), 0) << "the .BTF section, as read";
  EXPECT_GT(btf__find_by_name_kind(ours, "pt", BTF_KIND_STRUCT), 0);
  EXPECT_GT(btf__find_by_name_kind(ours, "my_tag", BTF_KIND_DECL_TAG), 0);
  EXPECT_GT(btf__find_by_name_kind(ours, ".data", BTF_KIND_DATASEC), 0);
  EXPECT_GT(btf__find_by_name_kind(ours, "big", BTF_KIND_ENUM64), 0);
  // .BTF.ext: func_info for "socket" (prog) and ".text" (helper), line
  // info, and the CO-RE relocation of p->x in the helper.
  ASSERT_EQ(ext->func_info().sections.size(), 2u);
  EXPECT_STREQ(btf__name_by_offset(ours, ext->func_info().sections[0].sec_name_off), "socket");
  EXPECT_STREQ(btf__name_by_offset(ours, ext->func_info().sections[1].sec_name_off), ".text");
  EXPECT_EQ(ext->line_info().sections.size(), 2u);
  ASSERT_EQ(ext->core_relo().sections.size(), 1u);
  const auto& core = ext->core_relo();
  const char* sec = btf__name_by_offset(ours, core.sections[0].sec_name_off);
  ASSERT_NE(sec, nullptr);
  EXPECT_STREQ(sec, ".text");
  const auto* relo = core.record<bpfxx::btf::CoreRelo>(core.sections[0], 0);
  EXPECT_STREQ(btf__name_by_offset(ours, relo->access_str_off), "0:0");
  btf_ext__free(ext);
  ref.ext_free(ref_ext);
  ref.free(theirs);
  btf__free(ours);
  unlink(obj.c_str());
  unlink(src.c_str());
  rmdir(dir);
}

}  // namespace
