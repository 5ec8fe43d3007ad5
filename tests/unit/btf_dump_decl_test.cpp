// btf_dump__emit_type_decl(): one declaration around a field name, with
// indentation of multi-line (anonymous) types and without qualifiers on
// request.
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "btf_dump_support.h"

#include <gtest/gtest.h>

#include <cerrno>
#include <cstdarg>
#include <cstdio>
#include <memory>
#include <string>

namespace {

using bpfxx::test::append;
using bpfxx::test::BtfPtr;

class BtfDumpDecl : public ::testing::Test {
 protected:
  void SetUp() override {
    b_.reset(btf__new_empty());
    ASSERT_NE(b_, nullptr);
    int_ = btf__add_int(b(), "int", 4, BTF_INT_SIGNED);
    char_ = btf__add_int(b(), "char", 1, BTF_INT_SIGNED | BTF_INT_CHAR);
  }
  struct btf* b() { return b_.get(); }

  std::string decl(int id, const char* name, int indent = 0, bool strip = false, int* ret = nullptr) {
    std::string out;
    struct btf_dump* d = btf_dump__new(b(), append, &out, nullptr);
    EXPECT_NE(d, nullptr);
    if (d == nullptr) return out;
    LIBBPF_OPTS(btf_dump_emit_type_decl_opts, opts);
    opts.field_name = name;
    opts.indent_level = indent;
    opts.strip_mods = strip;
    int r = btf_dump__emit_type_decl(d, static_cast<__u32>(id), &opts);
    if (ret != nullptr)
      *ret = r;
    else
      EXPECT_EQ(r, 0);
    btf_dump__free(d);
    return out;
  }

  BtfPtr b_;
  int int_ = 0, char_ = 0;
};

TEST_F(BtfDumpDecl, PlainTypes) {
  EXPECT_EQ(decl(int_, "x"), "int x");
  EXPECT_EQ(decl(int_, nullptr), "int");
  EXPECT_EQ(decl(0, "v"), "void v");
  int p = btf__add_ptr(b(), int_);
  int pp = btf__add_ptr(b(), p);
  EXPECT_EQ(decl(pp, "pp"), "int **pp");
  EXPECT_EQ(decl(pp, ""), "int **");
}

TEST_F(BtfDumpDecl, Qualifiers) {
  int c = btf__add_const(b(), int_);
  int v = btf__add_volatile(b(), c);
  int pv = btf__add_ptr(b(), v);
  int r = btf__add_restrict(b(), pv);
  EXPECT_EQ(decl(r, "q"), "const volatile int * restrict q");
  EXPECT_EQ(decl(r, "q", 0, true), "int *q");
  EXPECT_EQ(decl(c, "k", 0, true), "int k");
}

TEST_F(BtfDumpDecl, ArraysOfPointersToFunctions) {
  int proto = btf__add_func_proto(b(), int_);
  ASSERT_EQ(btf__add_func_param(b(), "a", char_), 0);
  int pp = btf__add_ptr(b(), proto);
  int arr = btf__add_array(b(), int_, pp, 8);
  EXPECT_EQ(decl(arr, "table"), "int (*table[8])(char a)");
  EXPECT_EQ(decl(proto, "fn"), "int fn(char a)");
  EXPECT_EQ(decl(pp, nullptr), "int (*)(char a)");
}

TEST_F(BtfDumpDecl, FunctionReturningFunctionPointer) {
  int inner = btf__add_func_proto(b(), int_);
  ASSERT_EQ(btf__add_func_param(b(), nullptr, int_), 0);
  int pinner = btf__add_ptr(b(), inner);
  int outer = btf__add_func_proto(b(), pinner);
  ASSERT_EQ(btf__add_func_param(b(), "c", char_), 0);
  int pouter = btf__add_ptr(b(), outer);
  // libbpf spells nested function pointers with a space: "(* (*f)...".
  EXPECT_EQ(decl(pouter, "f"), "int (* (*f)(char c))(int)");
}

TEST_F(BtfDumpDecl, AnonymousStructIsIndented) {
  int s = btf__add_struct(b(), nullptr, 8);
  ASSERT_EQ(btf__add_field(b(), "a", int_, 0, 0), 0);
  ASSERT_EQ(btf__add_field(b(), "b", int_, 32, 0), 0);
  EXPECT_EQ(decl(s, "pair", 1),
            "struct {\n"
            "\t\tint a;\n"
            "\t\tint b;\n"
            "\t} pair");
}

TEST_F(BtfDumpDecl, NamedTypesAreNotExpanded) {
  int s = btf__add_struct(b(), "named", 4);
  ASSERT_EQ(btf__add_field(b(), "a", int_, 0, 0), 0);
  int e = btf__add_enum(b(), "color", 4);
  ASSERT_EQ(btf__add_enum_value(b(), "RED", 0), 0);
  int t = btf__add_typedef(b(), "color_t", e);
  EXPECT_EQ(decl(s, "n"), "struct named n");
  EXPECT_EQ(decl(e, "c"), "enum color c");
  EXPECT_EQ(decl(t, "ct"), "color_t ct");
}

TEST_F(BtfDumpDecl, TypeTagBeforeStar) {
  int tag = btf__add_type_tag(b(), "percpu", int_);
  int p = btf__add_ptr(b(), tag);
  EXPECT_EQ(decl(p, "pc"), "int __attribute__((btf_type_tag(\"percpu\"))) *pc");
  // strip_mods leaves type tags out too.
  EXPECT_EQ(decl(p, "pc", 0, true), "int *pc");
}

TEST_F(BtfDumpDecl, ModifiersOnArraysAreDropped) {
  int arr = btf__add_array(b(), int_, char_, 4);
  int c = btf__add_const(b(), arr);
  EXPECT_EQ(decl(c, "s"), "char s[4]");
}

TEST_F(BtfDumpDecl, Errors) {
  std::string out;
  struct btf_dump* d = btf_dump__new(b(), append, &out, nullptr);
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(btf_dump__emit_type_decl(d, 999, nullptr), -EINVAL);
  struct {
    size_t sz;
    const char* name;
    int indent;
    bool strip;
    long future;
  } bigger = {sizeof(bigger), "x", 0, false, 7};
  EXPECT_EQ(btf_dump__emit_type_decl(d, static_cast<__u32>(int_),
                                     reinterpret_cast<const btf_dump_emit_type_decl_opts*>(&bigger)),
            -EINVAL);
  EXPECT_EQ(errno, EINVAL);
  // Defaults with NULL opts: no name.
  EXPECT_EQ(btf_dump__emit_type_decl(d, static_cast<__u32>(int_), nullptr), 0);
  EXPECT_EQ(out, "int");
  btf_dump__free(d);
}

TEST_F(BtfDumpDecl, VariadicAndVoidParams) {
  BtfPtr c(btf__new_empty());
  int ci = btf__add_int(c.get(), "char", 1, BTF_INT_SIGNED);
  int cp = btf__add_ptr(c.get(), ci);
  int pr = btf__add_func_proto(c.get(), 0);
  ASSERT_EQ(btf__add_func_param(c.get(), "fmt", cp), 0);
  ASSERT_EQ(btf__add_func_param(c.get(), nullptr, 0), 0);
  std::string out;
  struct btf_dump* d = btf_dump__new(c.get(), append, &out, nullptr);
  ASSERT_NE(d, nullptr);
  LIBBPF_OPTS(btf_dump_emit_type_decl_opts, opts, .field_name = "printk");
  EXPECT_EQ(btf_dump__emit_type_decl(d, static_cast<__u32>(pr), &opts), 0);
  btf_dump__free(d);
  EXPECT_EQ(out, "void printk(char *fmt, ...)");
}

}  // namespace
