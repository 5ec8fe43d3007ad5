// btf_dump__dump_type_data(): values printed as C-like initializers, the
// compact / skip_names / emit_zeroes / emit_strings / indent options, and
// the bounds check (-E2BIG when the data is shorter than the type).
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "btf_dump_support.h"

#include <gtest/gtest.h>

#include <cerrno>
#include <cstdarg>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>

namespace {

using bpfxx::test::append;
using bpfxx::test::BtfPtr;

struct Opts {
  bool compact = false;
  bool skip_names = false;
  bool emit_zeroes = false;
  bool emit_strings = false;
  int indent_level = 0;
  const char* indent_str = nullptr;
};

class BtfDumpData : public ::testing::Test {
 protected:
  void SetUp() override {
    b_.reset(btf__new_empty());
    ASSERT_NE(b_, nullptr);
    int_ = btf__add_int(b(), "int", 4, BTF_INT_SIGNED);
    char_ = btf__add_int(b(), "char", 1, BTF_INT_SIGNED | BTF_INT_CHAR);
    u64_ = btf__add_int(b(), "unsigned long long", 8, 0);
    ASSERT_GT(u64_, 0);
  }
  struct btf* b() { return b_.get(); }

  // The text printed, and the return value in *ret.
  std::string data(int id, const void* p, size_t n, const Opts& o, int* ret) {
    std::string out;
    struct btf_dump* d = btf_dump__new(b(), append, &out, nullptr);
    EXPECT_NE(d, nullptr);
    if (d == nullptr) return out;
    LIBBPF_OPTS(btf_dump_type_data_opts, opts);
    opts.compact = o.compact;
    opts.skip_names = o.skip_names;
    opts.emit_zeroes = o.emit_zeroes;
    opts.emit_strings = o.emit_strings;
    opts.indent_level = o.indent_level;
    opts.indent_str = o.indent_str;
    *ret = btf_dump__dump_type_data(d, static_cast<__u32>(id), p, n, &opts);
    btf_dump__free(d);
    return out;
  }
  std::string data(int id, const void* p, size_t n, const Opts& o = {}) {
    int ret = 0;
    std::string s = data(id, p, n, o, &ret);
    EXPECT_GE(ret, 0) << s;
    return s;
  }

  BtfPtr b_;
  int int_ = 0, char_ = 0, u64_ = 0;
};

TEST_F(BtfDumpData, Scalars) {
  int32_t i = -42;
  EXPECT_EQ(data(int_, &i, sizeof(i)), "(int)-42");
  uint64_t u = 18446744073709551615ull;
  EXPECT_EQ(data(u64_, &u, sizeof(u)), "(unsigned long long)18446744073709551615");
  char c = 'x';
  EXPECT_EQ(data(char_, &c, 1), "(char)120");
  int td = btf__add_typedef(b(), "s32", int_);
  int cs = btf__add_const(b(), td);
  EXPECT_EQ(data(cs, &i, sizeof(i)), "(s32)-42");
  // Zero is shown at top level.
  int32_t z = 0;
  EXPECT_EQ(data(int_, &z, sizeof(z)), "(int)0");
}

TEST_F(BtfDumpData, Int128) {
  int i128 = btf__add_int(b(), "__int128 unsigned", 16, 0);
  uint64_t v[2] = {0x1122334455667788ull, 0};
  EXPECT_EQ(data(i128, v, sizeof(v)), "(__int128 unsigned)0x1122334455667788");
  v[1] = 0xa;
  EXPECT_EQ(data(i128, v, sizeof(v)), "(__int128 unsigned)0xa1122334455667788");
}

TEST_F(BtfDumpData, Floats) {
  int dbl = btf__add_float(b(), "double", 8);
  int flt = btf__add_float(b(), "float", 4);
  double d = 1.5;
  float f = -2.25f;
  EXPECT_EQ(data(dbl, &d, sizeof(d)), "(double)1.500000");
  EXPECT_EQ(data(flt, &f, sizeof(f)), "(float)-2.250000");
}

TEST_F(BtfDumpData, Pointers) {
  int vp = btf__add_ptr(b(), 0);
  void* p = reinterpret_cast<void*>(0x1234);
  EXPECT_EQ(data(vp, &p, sizeof(p)), "(void *)0x1234");
}

TEST_F(BtfDumpData, Struct) {
  int s = btf__add_struct(b(), "s", 12);
  ASSERT_EQ(btf__add_field(b(), "a", int_, 0, 0), 0);
  ASSERT_EQ(btf__add_field(b(), "b", char_, 32, 0), 0);
  ASSERT_EQ(btf__add_field(b(), "c", int_, 64, 0), 0);
  struct {
    int32_t a;
    char b;
    int32_t c;
  } v = {1, 0, 3};
  static_assert(sizeof(v) == 12);
  EXPECT_EQ(data(s, &v, sizeof(v)),
            "(struct s){\n"
            "\t.a = (int)1,\n"
            "\t.c = (int)3,\n"
            "}");
  Opts compact;
  compact.compact = true;
  EXPECT_EQ(data(s, &v, sizeof(v), compact), "(struct s){.a = (int)1,.c = (int)3,}");
  Opts zeroes = compact;
  zeroes.emit_zeroes = true;
  EXPECT_EQ(data(s, &v, sizeof(v), zeroes), "(struct s){.a = (int)1,.b = (char)0,.c = (int)3,}");
  Opts names = compact;
  names.skip_names = true;
  EXPECT_EQ(data(s, &v, sizeof(v), names), "{1,3,}");
  Opts indent;
  indent.indent_level = 1;
  indent.indent_str = "  ";
  EXPECT_EQ(data(s, &v, sizeof(v), indent),
            "  (struct s){\n"
            "    .a = (int)1,\n"
            "    .c = (int)3,\n"
            "  }");
  int ret = 0;
  data(s, &v, sizeof(v), compact, &ret);
  EXPECT_EQ(ret, 12);
}

TEST_F(BtfDumpData, NestedAnonymousStructAndUnion) {
  int in = btf__add_struct(b(), nullptr, 8);
  ASSERT_EQ(btf__add_field(b(), "x", int_, 0, 0), 0);
  ASSERT_EQ(btf__add_field(b(), "y", int_, 32, 0), 0);
  int un = btf__add_union(b(), "u", 4);
  ASSERT_EQ(btf__add_field(b(), "i", int_, 0, 0), 0);
  int out = btf__add_struct(b(), "o", 12);
  ASSERT_EQ(btf__add_field(b(), "in", in, 0, 0), 0);
  ASSERT_EQ(btf__add_field(b(), "u", un, 64, 0), 0);
  int32_t v[3] = {0, 5, 7};
  Opts compact;
  compact.compact = true;
  EXPECT_EQ(data(out, v, sizeof(v), compact), "(struct o){.in = (struct){.y = (int)5,},.u = (union u){.i = (int)7,},}");
}

TEST_F(BtfDumpData, Bitfields) {
  int s = btf__add_struct(b(), "bf", 4);
  ASSERT_EQ(btf__add_field(b(), "a", int_, 0, 3), 0);
  ASSERT_EQ(btf__add_field(b(), "b", int_, 3, 5), 0);
  ASSERT_EQ(btf__add_field(b(), "c", int_, 8, 9), 0);
  uint32_t v = 5u | (3u << 3) | (0x1ffu << 8);
  Opts compact;
  compact.compact = true;
  EXPECT_EQ(data(s, &v, sizeof(v), compact), "(struct bf){.a = (int)0x5,.b = (int)0x3,.c = (int)0x1ff,}");
  v = 5u;
  EXPECT_EQ(data(s, &v, sizeof(v), compact), "(struct bf){.a = (int)0x5,}");
}

TEST_F(BtfDumpData, Arrays) {
  int arr = btf__add_array(b(), int_, int_, 3);
  int32_t v[3] = {1, 0, 2};
  Opts compact;
  compact.compact = true;
  // Zeros inside non-char arrays are kept: leaving them out would shift.
  EXPECT_EQ(data(arr, v, sizeof(v), compact), "(int[3])[1,0,2,]");
  EXPECT_EQ(data(arr, v, sizeof(v)),
            "(int[3])[\n"
            "\t1,\n"
            "\t0,\n"
            "\t2,\n"
            "]");
}

TEST_F(BtfDumpData, CharArrays) {
  int arr = btf__add_array(b(), int_, char_, 8);
  char s[8] = "ab";
  Opts compact;
  compact.compact = true;
  EXPECT_EQ(data(arr, s, sizeof(s), compact), "(char[8])['a','b',]");
  Opts strings = compact;
  strings.emit_strings = true;
  EXPECT_EQ(data(arr, s, sizeof(s), strings), "(char[8])\"ab\"");
  char odd[8] = {'h', 'i', '\n', 0};
  EXPECT_EQ(data(arr, odd, sizeof(odd), strings), "(char[8])\"hi\\x0a\"");
  // No NUL: printed as elements.
  char full[8] = {'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'};
  EXPECT_EQ(data(arr, full, sizeof(full), strings), "(char[8])['a','b','c','d','e','f','g','h',]");
}

TEST_F(BtfDumpData, CharArrayInStructDoesNotChangeLaterBytes) {
  int arr = btf__add_array(b(), int_, char_, 2);
  int u8 = btf__add_int(b(), "u8", 1, 0);
  int s = btf__add_struct(b(), "cs", 3);
  ASSERT_EQ(btf__add_field(b(), "name", arr, 0, 0), 0);
  ASSERT_EQ(btf__add_field(b(), "x", u8, 16, 0), 0);
  unsigned char v[3] = {'o', 'k', 65};
  Opts compact;
  compact.compact = true;
  EXPECT_EQ(data(s, v, sizeof(v), compact), "(struct cs){.name = (char[2])['o','k',],.x = (u8)65,}");
}

TEST_F(BtfDumpData, Enums) {
  int e = btf__add_enum(b(), "color", 4);
  ASSERT_EQ(btf__add_enum_value(b(), "RED", 0), 0);
  ASSERT_EQ(btf__add_enum_value(b(), "GREEN", 1), 0);
  int e64 = btf__add_enum64(b(), "wide", 8, false);
  ASSERT_EQ(btf__add_enum64_value(b(), "W_BIG", 0xffffffff00000000ull), 0);
  uint32_t v = 1;
  EXPECT_EQ(data(e, &v, sizeof(v)), "(enum color)GREEN");
  v = 7;
  EXPECT_EQ(data(e, &v, sizeof(v)), "(enum color)7");
  uint64_t w = 0xffffffff00000000ull;
  EXPECT_EQ(data(e64, &w, sizeof(w)), "(enum wide)W_BIG");
  w = 3;
  EXPECT_EQ(data(e64, &w, sizeof(w)), "(enum wide)3ULL");
}

TEST_F(BtfDumpData, VarsAndDatasec) {
  int var = btf__add_var(b(), "counter", BTF_VAR_STATIC, int_);
  int var2 = btf__add_var(b(), "limit", BTF_VAR_GLOBAL_ALLOCATED, int_);
  int sec = btf__add_datasec(b(), ".data", 8);
  ASSERT_EQ(btf__add_datasec_var_info(b(), var, 0, 4), 0);
  ASSERT_EQ(btf__add_datasec_var_info(b(), var2, 4, 4), 0);
  int32_t v[2] = {3, 9};
  Opts compact;
  compact.compact = true;
  EXPECT_EQ(data(var, v, 4, compact), "static int counter = (int)3");
  EXPECT_EQ(data(sec, v, sizeof(v), compact), "SEC(\".data\") static int counter = (int)3;int limit = (int)9;");
}

TEST_F(BtfDumpData, ShortDataIsE2big) {
  int s = btf__add_struct(b(), "s2", 8);
  ASSERT_EQ(btf__add_field(b(), "a", int_, 0, 0), 0);
  ASSERT_EQ(btf__add_field(b(), "b", int_, 32, 0), 0);
  int32_t v[2] = {1, 2};
  int ret = 0;
  data(s, v, 6, {}, &ret);
  EXPECT_EQ(ret, -E2BIG);
  EXPECT_EQ(errno, E2BIG);
  data(int_, v, 3, {}, &ret);
  EXPECT_EQ(ret, -E2BIG);
  // A zero member that does not fit is reported, not skipped.
  int32_t z[2] = {0, 0};
  data(s, z, 4, {}, &ret);
  EXPECT_EQ(ret, -E2BIG);
  // Bitfields too.
  int bf = btf__add_struct(b(), "bf2", 4);
  ASSERT_EQ(btf__add_field(b(), "hi", int_, 24, 8), 0);
  uint32_t x = 0xff000000u;
  data(bf, &x, 3, {}, &ret);
  EXPECT_EQ(ret, -E2BIG);
  data(bf, &x, 4, {}, &ret);
  EXPECT_EQ(ret, 4);
}

TEST_F(BtfDumpData, BadArguments) {
  std::string out;
  struct btf_dump* d = btf_dump__new(b(), append, &out, nullptr);
  ASSERT_NE(d, nullptr);
  int32_t v = 1;
  EXPECT_EQ(btf_dump__dump_type_data(d, 9999, &v, sizeof(v), nullptr), -ENOENT);
  struct {
    size_t sz;
    char rest[40];
  } big = {};
  big.sz = sizeof(big);
  big.rest[sizeof(big.rest) - 1] = 1;
  EXPECT_EQ(btf_dump__dump_type_data(d, static_cast<__u32>(int_), &v, sizeof(v),
                                     reinterpret_cast<const btf_dump_type_data_opts*>(&big)),
            -EINVAL);
  // NULL opts: defaults.
  EXPECT_EQ(btf_dump__dump_type_data(d, static_cast<__u32>(int_), &v, sizeof(v), nullptr), 4);
  EXPECT_EQ(out, "(int)1");
  // Function types have no data.
  int proto = btf__add_func_proto(b(), int_);
  out.clear();
  EXPECT_EQ(btf_dump__dump_type_data(d, static_cast<__u32>(proto), &v, sizeof(v), nullptr), -EINVAL);
  btf_dump__free(d);
}

}  // namespace
