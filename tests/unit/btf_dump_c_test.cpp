// btf_dump__dump_type(): C definitions from hand-built BTF, compared with
// the exact text libbpf's dumper prints for the same BTF (its format is
// what every vmlinux.h user knows), plus the layout cases bpfxx handles
// beyond it.
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "btf_dump_support.h"

#include <gtest/gtest.h>

#include <cerrno>
#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>

namespace {

using bpfxx::test::append;
using bpfxx::test::BtfPtr;

// Dumps the given types, in order, with one dumper.
std::string dump(const struct btf* b, std::initializer_list<uint32_t> ids) {
  std::string out;
  struct btf_dump* d = btf_dump__new(b, append, &out, nullptr);
  EXPECT_NE(d, nullptr);
  if (d == nullptr) return out;
  for (uint32_t id : ids) EXPECT_EQ(btf_dump__dump_type(d, id), 0) << "type " << id;
  btf_dump__free(d);
  return out;
}

// Every type of the object, as bpftool does for a vmlinux.h.
std::string dump_all(const struct btf* b) {
  std::string out;
  struct btf_dump* d = btf_dump__new(b, append, &out, nullptr);
  EXPECT_NE(d, nullptr);
  for (uint32_t id = 1; id < btf__type_cnt(b); id++) EXPECT_EQ(btf_dump__dump_type(d, id), 0) << "type " << id;
  btf_dump__free(d);
  return out;
}

class BtfDumpC : public ::testing::Test {
 protected:
  void SetUp() override {
    b_.reset(btf__new_empty());
    ASSERT_NE(b_, nullptr);
    int_ = btf__add_int(b(), "int", 4, BTF_INT_SIGNED);
    char_ = btf__add_int(b(), "char", 1, BTF_INT_SIGNED | BTF_INT_CHAR);
    long_ = btf__add_int(b(), "long", 8, BTF_INT_SIGNED);
    ASSERT_GT(long_, 0);
  }
  struct btf* b() { return b_.get(); }

  BtfPtr b_;
  int int_ = 0, char_ = 0, long_ = 0;
};

TEST_F(BtfDumpC, SimpleStructWithSelfPointer) {
  // The builder only refers back: the pointer goes to a forward
  // declaration, which is printed as such.
  int fwd = btf__add_fwd(b(), "node", BTF_FWD_STRUCT);
  int p = btf__add_ptr(b(), fwd);
  int s = btf__add_struct(b(), "node", 16);
  ASSERT_EQ(btf__add_field(b(), "value", int_, 0, 0), 0);
  ASSERT_EQ(btf__add_field(b(), "tag", char_, 32, 0), 0);
  ASSERT_EQ(btf__add_field(b(), "next", p, 64, 0), 0);
  EXPECT_EQ(dump(b(), {static_cast<uint32_t>(s)}),
            "struct node;\n\n"
            "struct node {\n"
            "\tint value;\n"
            "\tchar tag;\n"
            "\tstruct node *next;\n"
            "};\n\n");
}

TEST_F(BtfDumpC, ForwardDeclarations) {
  // struct b; struct a { struct b *pb; }; struct b { struct a a; };
  int fwd = btf__add_fwd(b(), "b", BTF_FWD_STRUCT);
  int pfwd = btf__add_ptr(b(), fwd);
  int a = btf__add_struct(b(), "a", 8);
  ASSERT_EQ(btf__add_field(b(), "pb", pfwd, 0, 0), 0);
  int bs = btf__add_struct(b(), "b", 8);
  ASSERT_EQ(btf__add_field(b(), "a", a, 0, 0), 0);
  EXPECT_EQ(dump(b(), {static_cast<uint32_t>(a), static_cast<uint32_t>(bs)}),
            "struct b;\n\n"
            "struct a {\n"
            "\tstruct b *pb;\n"
            "};\n\n"
            "struct b {\n"
            "\tstruct a a;\n"
            "};\n\n");
}

TEST_F(BtfDumpC, MutualPointersNeedOneForwardDeclaration) {
  // Built from raw ids: struct x { struct y *y; }; struct y { struct x *x; };
  // ids: 4 x, 5 ptr->6, 6 y, 7 ptr->4
  BtfPtr c(btf__new_empty());
  ASSERT_EQ(btf__add_int(c.get(), "int", 4, BTF_INT_SIGNED), 1);
  ASSERT_EQ(btf__add_fwd(c.get(), "y", BTF_FWD_STRUCT), 2);
  ASSERT_EQ(btf__add_ptr(c.get(), 2), 3);
  ASSERT_EQ(btf__add_struct(c.get(), "x", 8), 4);
  ASSERT_EQ(btf__add_field(c.get(), "y", 3, 0, 0), 0);
  ASSERT_EQ(btf__add_ptr(c.get(), 4), 5);
  ASSERT_EQ(btf__add_struct(c.get(), "y", 8), 6);
  ASSERT_EQ(btf__add_field(c.get(), "x", 5, 0, 0), 0);
  EXPECT_EQ(dump_all(c.get()),
            "struct y;\n\n"
            "struct x {\n"
            "\tstruct y *y;\n"
            "};\n\n"
            "struct y {\n"
            "\tstruct x *x;\n"
            "};\n\n");
}

TEST_F(BtfDumpC, AnonymousNestedTypesAreInlined) {
  int inner = btf__add_struct(b(), nullptr, 4);
  ASSERT_EQ(btf__add_field(b(), "x", int_, 0, 0), 0);
  int un = btf__add_union(b(), nullptr, 4);
  ASSERT_EQ(btf__add_field(b(), "u1", int_, 0, 0), 0);
  ASSERT_EQ(btf__add_field(b(), "u2", char_, 0, 0), 0);
  int en = btf__add_enum(b(), nullptr, 4);
  ASSERT_EQ(btf__add_enum_value(b(), "V1", 0), 0);
  ASSERT_EQ(btf__add_enum_value(b(), "V2", 1), 0);
  ASSERT_GT(btf__add_struct(b(), "outer", 12), 0);
  ASSERT_EQ(btf__add_field(b(), "in", inner, 0, 0), 0);
  ASSERT_EQ(btf__add_field(b(), nullptr, un, 32, 0), 0);
  ASSERT_EQ(btf__add_field(b(), "e", en, 64, 0), 0);
  EXPECT_EQ(dump_all(b()),
            "struct outer {\n"
            "\tstruct {\n"
            "\t\tint x;\n"
            "\t} in;\n"
            "\tunion {\n"
            "\t\tint u1;\n"
            "\t\tchar u2;\n"
            "\t};\n"
            "\tenum {\n"
            "\t\tV1 = 0,\n"
            "\t\tV2 = 1,\n"
            "\t} e;\n"
            "};\n\n");
}

TEST_F(BtfDumpC, TopLevelAnonymousEnumIsPrinted) {
  ASSERT_GT(btf__add_enum(b(), nullptr, 4), 0);
  ASSERT_EQ(btf__add_enum_value(b(), "LIMIT_A", 10), 0);
  ASSERT_EQ(btf__add_enum_value(b(), "LIMIT_B", -1), 0);
  EXPECT_EQ(dump_all(b()),
            "enum {\n"
            "\tLIMIT_A = 10,\n"
            "\tLIMIT_B = -1,\n"
            "};\n\n");
}

TEST_F(BtfDumpC, BitfieldsAndPadding) {
  int s = btf__add_struct(b(), "bf", 16);
  ASSERT_EQ(btf__add_field(b(), "a", int_, 0, 3), 0);
  ASSERT_EQ(btf__add_field(b(), "b", int_, 8, 5), 0);  // 5 bits of gap before
  ASSERT_EQ(btf__add_field(b(), "c", long_, 64, 0), 0);
  EXPECT_EQ(dump(b(), {static_cast<uint32_t>(s)}),
            "struct bf {\n"
            "\tint a: 3;\n"
            "\tchar: 5;\n"
            "\tint b: 5;\n"
            "\tlong c;\n"
            "};\n\n");
}

TEST_F(BtfDumpC, BitfieldThatMovesByItselfNeedsNoPadding) {
  // A 6-bit char bitfield at bit 8 after a 4-bit one: it cannot share the
  // first byte (4 + 6 > 8), so clang moves it there without help.
  int s = btf__add_struct(b(), "kb", 2);
  ASSERT_EQ(btf__add_field(b(), "lo", char_, 0, 4), 0);
  ASSERT_EQ(btf__add_field(b(), "hi", char_, 8, 6), 0);
  EXPECT_EQ(dump(b(), {static_cast<uint32_t>(s)}),
            "struct kb {\n"
            "\tchar lo: 4;\n"
            "\tchar hi: 6;\n"
            "};\n\n");
}

TEST_F(BtfDumpC, BitfieldAfterPlainMemberWithGap) {
  // char a; then an int bitfield at bit 32: clang would put it at bit 8.
  int s = btf__add_struct(b(), "gap", 8);
  ASSERT_EQ(btf__add_field(b(), "a", char_, 0, 0), 0);
  ASSERT_EQ(btf__add_field(b(), "b", int_, 32, 3), 0);
  EXPECT_EQ(dump(b(), {static_cast<uint32_t>(s)}),
            "struct gap {\n"
            "\tchar a;\n"
            "\tint: 0;\n"
            "\tint b: 3;\n"
            "};\n\n");
}

TEST_F(BtfDumpC, TailPadding) {
  int s = btf__add_struct(b(), "tp", 16);
  ASSERT_EQ(btf__add_field(b(), "a", int_, 0, 0), 0);
  EXPECT_EQ(dump(b(), {static_cast<uint32_t>(s)}),
            "struct tp {\n"
            "\tint a;\n"
            "\tlong: 64;\n"
            "};\n\n");
}

TEST_F(BtfDumpC, GapBeforeMember) {
  int s = btf__add_struct(b(), "hole", 24);
  ASSERT_EQ(btf__add_field(b(), "a", char_, 0, 0), 0);
  ASSERT_EQ(btf__add_field(b(), "b", char_, 128, 0), 0);
  EXPECT_EQ(dump(b(), {static_cast<uint32_t>(s)}),
            "struct hole {\n"
            "\tchar a;\n"
            "\tlong: 64;\n"
            "\tchar b;\n"
            "\tlong: 0;\n"
            "};\n\n");
}

TEST_F(BtfDumpC, PackedStruct) {
  int s = btf__add_struct(b(), "p", 5);
  ASSERT_EQ(btf__add_field(b(), "a", char_, 0, 0), 0);
  ASSERT_EQ(btf__add_field(b(), "b", int_, 8, 0), 0);
  EXPECT_EQ(dump(b(), {static_cast<uint32_t>(s)}),
            "struct p {\n"
            "\tchar a;\n"
            "\tint b;\n"
            "} __attribute__((packed));\n\n");
}

TEST_F(BtfDumpC, PackedMemberDoesNotMakeContainerPacked) {
  // struct a { int x; char y; } packed (5 bytes); struct b { short x;
  // struct a a; } is not packed: a at 2 is fine for a 1-aligned type.
  int sh = btf__add_int(b(), "short", 2, BTF_INT_SIGNED);
  int a = btf__add_struct(b(), "pa", 5);
  ASSERT_EQ(btf__add_field(b(), "x", int_, 0, 0), 0);
  ASSERT_EQ(btf__add_field(b(), "y", char_, 32, 0), 0);
  int bs = btf__add_struct(b(), "pb", 8);
  ASSERT_EQ(btf__add_field(b(), "x", sh, 0, 0), 0);
  ASSERT_EQ(btf__add_field(b(), "a", a, 16, 0), 0);
  EXPECT_EQ(dump(b(), {static_cast<uint32_t>(bs)}),
            "struct pa {\n"
            "\tint x;\n"
            "\tchar y;\n"
            "} __attribute__((packed));\n\n"
            "struct pb {\n"
            "\tshort x;\n"
            "\tstruct pa a;\n"
            "};\n\n");
}

TEST_F(BtfDumpC, PackedWithGapUsesExactWidths) {
  int s = btf__add_struct(b(), "pg", 7);
  ASSERT_EQ(btf__add_field(b(), "a", char_, 0, 0), 0);
  ASSERT_EQ(btf__add_field(b(), "b", int_, 24, 0), 0);
  EXPECT_EQ(dump(b(), {static_cast<uint32_t>(s)}),
            "struct pg {\n"
            "\tchar a;\n"
            "\tshort: 16;\n"
            "\tint b;\n"
            "} __attribute__((packed));\n\n");
}

// The shape of union ec_response_get_next_data_v3 (cros_ec, Debian's 6.12):
// an 8-byte member but 18 bytes in all, so only packed gives clang BTF's
// size (natural alignment rounds it up to 24). Packed also makes its
// alignment 1, so the struct holding it at offset 1 needs no attribute.
// libbpf never prints packed on a union: 24 bytes, and data lands at 8.
TEST_F(BtfDumpC, UnionSmallerThanItsAlignmentIsPacked) {
  int bytes = btf__add_array(b(), int_, char_, 18);
  int u = btf__add_union(b(), "pu", 18);
  ASSERT_EQ(btf__add_field(b(), "raw", bytes, 0, 0), 0);
  ASSERT_EQ(btf__add_field(b(), "word", int_, 0, 0), 0);
  ASSERT_EQ(btf__add_field(b(), "wide", long_, 0, 0), 0);
  int s = btf__add_struct(b(), "ev", 19);
  ASSERT_EQ(btf__add_field(b(), "kind", char_, 0, 0), 0);
  ASSERT_EQ(btf__add_field(b(), "data", u, 8, 0), 0);
  // The same members in 24 bytes: natural, no attribute.
  int plain = btf__add_union(b(), "plain", 24);
  ASSERT_EQ(btf__add_field(b(), "raw", bytes, 0, 0), 0);
  ASSERT_EQ(btf__add_field(b(), "wide", long_, 0, 0), 0);
  EXPECT_EQ(dump(b(), {static_cast<uint32_t>(s), static_cast<uint32_t>(plain)}),
            "union pu {\n"
            "\tchar raw[18];\n"
            "\tint word;\n"
            "\tlong wide;\n"
            "} __attribute__((packed));\n\n"
            "struct ev {\n"
            "\tchar kind;\n"
            "\tunion pu data;\n"
            "};\n\n"
            "union plain {\n"
            "\tchar raw[18];\n"
            "\tlong wide;\n"
            "};\n\n");
}

TEST_F(BtfDumpC, AlignedUnion) {
  int u = btf__add_union(b(), "au", 8);
  ASSERT_EQ(btf__add_field(b(), "c", char_, 0, 0), 0);
  EXPECT_EQ(dump(b(), {static_cast<uint32_t>(u)}),
            "union au {\n"
            "\tchar c;\n"
            "} __attribute__((aligned(8)));\n\n");
}

TEST_F(BtfDumpC, EmptyUnionWithSizeGetsBitfield) {
  int u = btf__add_union(b(), "eu", 8);
  int t = btf__add_typedef(b(), "eu_t", u);
  EXPECT_EQ(dump(b(), {static_cast<uint32_t>(t)}),
            "union eu {\n"
            "\tlong: 64;\n"
            "};\n\n"
            "typedef union eu eu_t;\n\n");
}

TEST_F(BtfDumpC, EmptyStructStaysOnOneLine) {
  int s = btf__add_struct(b(), "empty", 0);
  EXPECT_EQ(dump(b(), {static_cast<uint32_t>(s)}), "struct empty {};\n\n");
}

TEST_F(BtfDumpC, Enums) {
  int e1 = btf__add_enum(b(), "small", 1);
  ASSERT_EQ(btf__add_enum_value(b(), "S0", 0), 0);
  ASSERT_EQ(btf__add_enum_value(b(), "S1", 1), 0);
  int e2 = btf__add_enum64(b(), "big", 8, false);
  ASSERT_EQ(btf__add_enum64_value(b(), "B_MAX", 0xffffffffffffffffull), 0);
  int e3 = btf__add_enum64(b(), "wide", 8, false);
  ASSERT_EQ(btf__add_enum64_value(b(), "W1", 1), 0);
  int e4 = btf__add_enum64(b(), "sbig", 8, true);
  ASSERT_EQ(btf__add_enum64_value(b(), "SB_NEG", static_cast<uint64_t>(-5ll)), 0);
  int e5 = btf__add_enum(b(), "uns", 4);
  ASSERT_EQ(btf__add_enum_value(b(), "U_TOP", static_cast<int64_t>(0xffffffffu)), 0);
  int e6 = btf__add_enum(b(), "half", 2);
  ASSERT_EQ(btf__add_enum_value(b(), "H_300", 300), 0);
  EXPECT_EQ(dump(b(), {static_cast<uint32_t>(e1), static_cast<uint32_t>(e2), static_cast<uint32_t>(e3),
                       static_cast<uint32_t>(e4), static_cast<uint32_t>(e5), static_cast<uint32_t>(e6)}),
            "enum small {\n\tS0 = 0,\n\tS1 = 1,\n} __attribute__((mode(byte)));\n\n"
            "enum big {\n\tB_MAX = 18446744073709551615ULL,\n};\n\n"
            "enum wide {\n\tW1 = 1ULL,\n} __attribute__((mode(word)));\n\n"
            "enum sbig {\n\tSB_NEG = -5LL,\n} __attribute__((mode(word)));\n\n"
            "enum uns {\n\tU_TOP = 4294967295,\n};\n\n"
            "enum half {\n\tH_300 = 300,\n} __attribute__((mode(HI)));\n\n");
}

TEST_F(BtfDumpC, EnumForwardDeclaration) {
  int e = btf__add_fwd(b(), "later", BTF_FWD_ENUM);
  int u = btf__add_fwd(b(), "uf", BTF_FWD_UNION);
  EXPECT_EQ(dump(b(), {static_cast<uint32_t>(e), static_cast<uint32_t>(u)}),
            "enum later;\n\n"
            "union uf;\n\n");
}

TEST_F(BtfDumpC, TypedefsAndFunctionPointers) {
  int vp = btf__add_ptr(b(), 0);
  int proto = btf__add_func_proto(b(), int_);
  ASSERT_EQ(btf__add_func_param(b(), "ctx", vp), 0);
  ASSERT_EQ(btf__add_func_param(b(), "flags", int_), 0);
  int pproto = btf__add_ptr(b(), proto);
  int cb = btf__add_typedef(b(), "cb_t", pproto);
  int vproto = btf__add_func_proto(b(), 0);  // void (int, ...)
  ASSERT_EQ(btf__add_func_param(b(), nullptr, int_), 0);
  ASSERT_EQ(btf__add_func_param(b(), nullptr, 0), 0);
  int pv = btf__add_ptr(b(), vproto);
  int noargs = btf__add_func_proto(b(), long_);
  int pnoargs = btf__add_ptr(b(), noargs);
  int ops = btf__add_struct(b(), "ops", 24);
  ASSERT_EQ(btf__add_field(b(), "cb", cb, 0, 0), 0);
  ASSERT_EQ(btf__add_field(b(), "log", pv, 64, 0), 0);
  ASSERT_EQ(btf__add_field(b(), "now", pnoargs, 128, 0), 0);
  int fn_t = btf__add_typedef(b(), "handler_fn", proto);
  EXPECT_EQ(dump(b(), {static_cast<uint32_t>(ops), static_cast<uint32_t>(fn_t)}),
            "typedef int (*cb_t)(void *ctx, int flags);\n\n"
            "struct ops {\n"
            "\tcb_t cb;\n"
            "\tvoid (*log)(int, ...);\n"
            "\tlong (*now)(void);\n"
            "};\n\n"
            "typedef int handler_fn(void *ctx, int flags);\n\n");
}

TEST_F(BtfDumpC, ArraysAndQualifiers) {
  int i3 = btf__add_array(b(), int_, int_, 3);
  int i23 = btf__add_array(b(), int_, i3, 2);
  int pc = btf__add_ptr(b(), char_);
  int names = btf__add_array(b(), int_, pc, 4);
  int i5 = btf__add_array(b(), int_, int_, 5);
  int p_i5 = btf__add_ptr(b(), i5);
  int ci = btf__add_const(b(), int_);
  int vci = btf__add_volatile(b(), ci);
  int p_vci = btf__add_ptr(b(), vci);
  int pi = btf__add_ptr(b(), int_);
  int cpi = btf__add_const(b(), pi);
  int s = btf__add_struct(b(), "arr", 96);
  ASSERT_EQ(btf__add_field(b(), "m", i23, 0, 0), 0);
  ASSERT_EQ(btf__add_field(b(), "names", names, 192, 0), 0);
  ASSERT_EQ(btf__add_field(b(), "pa", p_i5, 448, 0), 0);
  ASSERT_EQ(btf__add_field(b(), "cv", p_vci, 512, 0), 0);
  ASSERT_EQ(btf__add_field(b(), "cp", cpi, 576, 0), 0);
  ASSERT_EQ(btf__add_field(b(), "flex", i3, 640, 0), 0);
  EXPECT_EQ(dump(b(), {static_cast<uint32_t>(s)}),
            "struct arr {\n"
            "\tint m[2][3];\n"
            "\tchar *names[4];\n"
            "\tint (*pa)[5];\n"
            "\tconst volatile int *cv;\n"
            "\tint * const cp;\n"
            "\tint flex[3];\n"
            "};\n\n");
}

TEST_F(BtfDumpC, DuplicateNamesGetSuffixes) {
  int s1 = btf__add_struct(b(), "dup", 4);
  ASSERT_EQ(btf__add_field(b(), "a", int_, 0, 0), 0);
  int s2 = btf__add_struct(b(), "dup", 8);
  ASSERT_EQ(btf__add_field(b(), "b", long_, 0, 0), 0);
  int e1 = btf__add_enum(b(), "e1", 4);
  ASSERT_EQ(btf__add_enum_value(b(), "X", 1), 0);
  int e2 = btf__add_enum(b(), "e2", 4);
  ASSERT_EQ(btf__add_enum_value(b(), "X", 2), 0);
  int t1 = btf__add_typedef(b(), "td", int_);
  int t2 = btf__add_typedef(b(), "td", long_);
  EXPECT_EQ(dump_all(b()),
            "struct dup {\n\tint a;\n};\n\n"
            "struct dup___2 {\n\tlong b;\n};\n\n"
            "enum e1 {\n\tX = 1,\n};\n\n"
            "enum e2 {\n\tX___2 = 2,\n};\n\n"
            "typedef int td;\n\n"
            "typedef long td___2;\n\n");
  (void)s1;
  (void)s2;
  (void)e1;
  (void)e2;
  (void)t1;
  (void)t2;
}

TEST_F(BtfDumpC, TypeTags) {
  int tag = btf__add_type_tag(b(), "user", int_);
  int p = btf__add_ptr(b(), tag);
  int rcu = btf__add_type_tag(b(), "rcu", int_);
  int prcu = btf__add_ptr(b(), rcu);
  int s = btf__add_struct(b(), "tagged", 16);
  ASSERT_EQ(btf__add_field(b(), "p", p, 0, 0), 0);
  ASSERT_EQ(btf__add_field(b(), "r", prcu, 64, 0), 0);
  EXPECT_EQ(dump(b(), {static_cast<uint32_t>(s)}),
            "struct tagged {\n"
            "\tint __attribute__((btf_type_tag(\"user\"))) *p;\n"
            "\tint __attribute__((btf_type_tag(\"rcu\"))) *r;\n"
            "};\n\n");
}

TEST_F(BtfDumpC, TypeAttribute) {
  int attr = btf__add_type_attr(b(), "address_space(1)", 0);
  int p = btf__add_ptr(b(), attr);
  int t = btf__add_typedef(b(), "arena_ptr", p);
  EXPECT_EQ(dump(b(), {static_cast<uint32_t>(t)}),
            "typedef void __attribute__((address_space(1))) *arena_ptr;\n\n");
}

TEST_F(BtfDumpC, TypedefStandsInForForwardDeclaration) {
  // typedef struct list list_t; struct list { list_t *next; };
  BtfPtr e(btf__new_empty());
  ASSERT_EQ(btf__add_fwd(e.get(), "list", BTF_FWD_STRUCT), 1);
  ASSERT_EQ(btf__add_typedef(e.get(), "list_t", 1), 2);
  ASSERT_EQ(btf__add_ptr(e.get(), 2), 3);
  ASSERT_EQ(btf__add_struct(e.get(), "list", 8), 4);
  ASSERT_EQ(btf__add_field(e.get(), "next", 3, 0, 0), 0);
  EXPECT_EQ(dump_all(e.get()),
            "struct list;\n\n"
            "typedef struct list list_t;\n\n"
            "struct list {\n"
            "\tlist_t *next;\n"
            "};\n\n");
}

TEST_F(BtfDumpC, BuiltinVaListIsNotRedefined) {
  int vp = btf__add_ptr(b(), 0);
  int va = btf__add_typedef(b(), "__builtin_va_list", vp);
  int gva = btf__add_typedef(b(), "va_list", va);
  EXPECT_EQ(dump(b(), {static_cast<uint32_t>(gva)}), "typedef __builtin_va_list va_list;\n\n");
}

TEST_F(BtfDumpC, GnucVaListOfVoidIsFixedUp) {
  int g = btf__add_typedef(b(), "__gnuc_va_list", 0);
  EXPECT_EQ(dump(b(), {static_cast<uint32_t>(g)}), "typedef __builtin_va_list __gnuc_va_list;\n\n");
}

TEST_F(BtfDumpC, TypesAreEmittedOnce) {
  int s = btf__add_struct(b(), "once", 4);
  ASSERT_EQ(btf__add_field(b(), "a", int_, 0, 0), 0);
  int t = btf__add_typedef(b(), "once_t", s);
  EXPECT_EQ(dump(b(), {static_cast<uint32_t>(t), static_cast<uint32_t>(s), static_cast<uint32_t>(t)}),
            "struct once {\n\tint a;\n};\n\n"
            "typedef struct once once_t;\n\n");
}

TEST_F(BtfDumpC, TypesAddedAfterCreationAreDumped) {
  std::string out;
  struct btf_dump* d = btf_dump__new(b(), append, &out, nullptr);
  ASSERT_NE(d, nullptr);
  int s = btf__add_struct(b(), "late", 4);
  ASSERT_EQ(btf__add_field(b(), "a", int_, 0, 0), 0);
  EXPECT_EQ(btf_dump__dump_type(d, s), 0);
  btf_dump__free(d);
  EXPECT_EQ(out, "struct late {\n\tint a;\n};\n\n");
}

TEST_F(BtfDumpC, SplitBtfPullsInBaseTypes) {
  int base_s = btf__add_struct(b(), "base_rec", 4);
  ASSERT_EQ(btf__add_field(b(), "a", int_, 0, 0), 0);
  BtfPtr split(btf__new_empty_split(b()));
  ASSERT_NE(split, nullptr);
  int ps = btf__add_ptr(split.get(), base_s);
  int s = btf__add_struct(split.get(), "mod_rec", 16);
  ASSERT_EQ(btf__add_field(split.get(), "embedded", base_s, 0, 0), 0);
  ASSERT_EQ(btf__add_field(split.get(), "ptr", ps, 64, 0), 0);
  EXPECT_EQ(dump(split.get(), {static_cast<uint32_t>(s)}),
            "struct base_rec {\n\tint a;\n};\n\n"
            "struct mod_rec {\n"
            "\tstruct base_rec embedded;\n"
            "\tstruct base_rec *ptr;\n"
            "};\n\n");
}

TEST_F(BtfDumpC, BadArguments) {
  std::string out;
  errno = 0;
  EXPECT_EQ(btf_dump__new(b(), nullptr, &out, nullptr), nullptr);
  EXPECT_EQ(errno, EINVAL);
  struct {
    size_t sz;
    long junk;
  } bad_opts = {sizeof(bad_opts), 1};
  EXPECT_EQ(btf_dump__new(b(), append, &out, reinterpret_cast<const btf_dump_opts*>(&bad_opts)), nullptr);
  EXPECT_EQ(errno, EINVAL);
  LIBBPF_OPTS(btf_dump_opts, opts);
  struct btf_dump* d = btf_dump__new(b(), append, &out, &opts);
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(btf_dump__dump_type(d, 1000), -EINVAL);
  EXPECT_EQ(errno, EINVAL);
  btf_dump__free(d);
  btf_dump__free(nullptr);
}

TEST_F(BtfDumpC, ValueLoopIsAnError) {
  // struct loop { struct loop self; } cannot be written in C. Build it from
  // raw bytes: hdr + int + struct with a member of its own type.
  struct {
    btf_header hdr;
    uint32_t types[3 + 3];
    char strs[12];
  } raw = {};
  raw.hdr.magic = BTF_MAGIC;
  raw.hdr.version = BTF_VERSION;
  raw.hdr.hdr_len = sizeof(btf_header);
  raw.hdr.type_off = 0;
  raw.hdr.type_len = sizeof(raw.types);
  raw.hdr.str_off = sizeof(raw.types);
  raw.hdr.str_len = sizeof(raw.strs);
  std::memcpy(raw.strs, "\0loop\0self\0", 11);
  // [1] STRUCT 'loop' size=4 vlen=1 { 'self' type=1 off=0 }
  raw.types[0] = 1;
  raw.types[1] = (static_cast<uint32_t>(BTF_KIND_STRUCT) << 24) | 1u;
  raw.types[2] = 4;
  raw.types[3] = 6;
  raw.types[4] = 1;
  raw.types[5] = 0;
  BtfPtr c(btf__new(&raw, sizeof(raw)));
  if (c == nullptr) GTEST_SKIP() << "the parser rejects this loop already";
  std::string out;
  struct btf_dump* d = btf_dump__new(c.get(), append, &out, nullptr);
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(btf_dump__dump_type(d, 1), -ELOOP);
  btf_dump__free(d);
}

}  // namespace
