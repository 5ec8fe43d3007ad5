// Building BTF with btf__add_*(): every kind, argument checks, round trips
// (build -> raw -> parse -> identical bytes), sizes and alignments against
// the compiler's, btf__add_type/btf__add_btf, the layout section, and the
// kernel sanitizer's rewrites.
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "btf/btf.h"
#include "btf/load.h"

#include <gtest/gtest.h>

#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

namespace {

struct BtfDeleter {
  void operator()(struct btf* b) const { btf__free(b); }
};
using BtfPtr = std::unique_ptr<struct btf, BtfDeleter>;

std::vector<uint8_t> raw_of(const struct btf* b) {
  __u32 size = 0;
  const void* p = btf__raw_data(b, &size);
  if (p == nullptr) return {};
  const auto* u = static_cast<const uint8_t*>(p);
  return {u, u + size};
}

// Builds one of everything; returns the object (ids noted in comments).
BtfPtr build_everything() {
  BtfPtr b(btf__new_empty());
  EXPECT_EQ(btf__add_int(b.get(), "int", 4, BTF_INT_SIGNED), 1);
  EXPECT_EQ(btf__add_int(b.get(), "long", 8, BTF_INT_SIGNED), 2);
  EXPECT_EQ(btf__add_int(b.get(), "char", 1, BTF_INT_CHAR), 3);
  EXPECT_EQ(btf__add_float(b.get(), "double", 8), 4);
  EXPECT_EQ(btf__add_ptr(b.get(), 0), 5);  // void *
  EXPECT_EQ(btf__add_array(b.get(), 1, 3, 16), 6);  // char[16]
  EXPECT_EQ(btf__add_struct(b.get(), "pt", 24), 7);
  EXPECT_EQ(btf__add_field(b.get(), "x", 1, 0, 0), 0);
  EXPECT_EQ(btf__add_field(b.get(), "flag", 1, 32, 3), 0);
  EXPECT_EQ(btf__add_field(b.get(), "d", 4, 64, 0), 0);
  EXPECT_EQ(btf__add_field(b.get(), "p", 5, 128, 0), 0);
  EXPECT_EQ(btf__add_union(b.get(), nullptr, 8), 8);
  EXPECT_EQ(btf__add_field(b.get(), "i", 1, 0, 0), 0);
  EXPECT_EQ(btf__add_field(b.get(), "l", 2, 0, 0), 0);
  EXPECT_EQ(btf__add_enum(b.get(), "color", 4), 9);
  EXPECT_EQ(btf__add_enum_value(b.get(), "RED", 0), 0);
  EXPECT_EQ(btf__add_enum_value(b.get(), "NEG", -5), 0);
  EXPECT_EQ(btf__add_enum64(b.get(), "big", 8, false), 10);
  EXPECT_EQ(btf__add_enum64_value(b.get(), "HUGE", 0xffffffff00000001ull), 0);
  EXPECT_EQ(btf__add_fwd(b.get(), "fs", BTF_FWD_STRUCT), 11);
  EXPECT_EQ(btf__add_fwd(b.get(), "fu", BTF_FWD_UNION), 12);
  EXPECT_EQ(btf__add_fwd(b.get(), "fe", BTF_FWD_ENUM), 13);
  EXPECT_EQ(btf__add_typedef(b.get(), "pt_t", 7), 14);
  EXPECT_EQ(btf__add_volatile(b.get(), 1), 15);
  EXPECT_EQ(btf__add_const(b.get(), 15), 16);
  EXPECT_EQ(btf__add_restrict(b.get(), 5), 17);
  EXPECT_EQ(btf__add_type_tag(b.get(), "user", 1), 18);
  EXPECT_EQ(btf__add_type_attr(b.get(), "attr", 1), 19);
  EXPECT_EQ(btf__add_func_proto(b.get(), 1), 20);
  EXPECT_EQ(btf__add_func_param(b.get(), "a", 1), 0);
  EXPECT_EQ(btf__add_func_param(b.get(), nullptr, 0), 0);  // ...
  EXPECT_EQ(btf__add_func(b.get(), "fn", BTF_FUNC_GLOBAL, 20), 21);
  EXPECT_EQ(btf__add_var(b.get(), "gv", BTF_VAR_GLOBAL_ALLOCATED, 1), 22);
  EXPECT_EQ(btf__add_datasec(b.get(), ".data", 8), 23);
  EXPECT_EQ(btf__add_datasec_var_info(b.get(), 22, 0, 4), 0);
  EXPECT_EQ(btf__add_decl_tag(b.get(), "tag", 7, 1), 24);
  EXPECT_EQ(btf__add_decl_attr(b.get(), "dattr", 21, -1), 25);
  EXPECT_EQ(btf__add_datasec(b.get(), "?.maps", 0), 26);
  return b;
}

TEST(BtfBuild, EveryKindRoundTripsToIdenticalBytes) {
  BtfPtr b = build_everything();
  ASSERT_EQ(btf__type_cnt(b.get()), 27u);
  auto raw = raw_of(b.get());
  ASSERT_FALSE(raw.empty());
  BtfPtr parsed(btf__new(raw.data(), static_cast<__u32>(raw.size())));
  ASSERT_NE(parsed, nullptr);
  EXPECT_EQ(raw_of(parsed.get()), raw);
  // The parsed copy can be extended and written again.
  EXPECT_EQ(btf__add_int(parsed.get(), "short", 2, BTF_INT_SIGNED), 27);
  auto raw2 = raw_of(parsed.get());
  BtfPtr parsed2(btf__new(raw2.data(), static_cast<__u32>(raw2.size())));
  ASSERT_NE(parsed2, nullptr);
  EXPECT_EQ(raw_of(parsed2.get()), raw2);
  EXPECT_EQ(btf__find_by_name_kind(parsed2.get(), "short", BTF_KIND_INT), 27);
}

TEST(BtfBuild, RecordsAreWhatWasAsked) {
  BtfPtr b = build_everything();
  const btf_type* pt = btf__type_by_id(b.get(), 7);
  ASSERT_TRUE(btf_is_struct(pt));
  EXPECT_EQ(btf_vlen(pt), 4);
  EXPECT_TRUE(btf_kflag(pt)) << "a bitfield member sets the kind flag";
  EXPECT_EQ(btf_member_bit_offset(pt, 1), 32u);
  EXPECT_EQ(btf_member_bitfield_size(pt, 1), 3u);
  EXPECT_EQ(btf_member_bit_offset(pt, 3), 128u);
  const btf_type* color = btf__type_by_id(b.get(), 9);
  EXPECT_TRUE(btf_kflag(color)) << "a negative value marks the enum signed";
  EXPECT_EQ(btf_enum(color)[1].val, -5);
  const btf_type* big = btf__type_by_id(b.get(), 10);
  EXPECT_EQ(btf_enum64_value(btf_enum64(big)), 0xffffffff00000001ull);
  EXPECT_TRUE(btf_kflag(btf__type_by_id(b.get(), 12))) << "union forward declaration";
  EXPECT_TRUE(btf_is_enum(btf__type_by_id(b.get(), 13)));
  EXPECT_FALSE(btf_kflag(btf__type_by_id(b.get(), 18)));
  EXPECT_TRUE(btf_kflag(btf__type_by_id(b.get(), 19))) << "type_attr is a type tag with kflag";
  EXPECT_TRUE(btf_kflag(btf__type_by_id(b.get(), 25))) << "decl_attr is a decl tag with kflag";
  EXPECT_EQ(btf_vlen(btf__type_by_id(b.get(), 20)), 2);
  EXPECT_EQ(btf_vlen(btf__type_by_id(b.get(), 21)), BTF_FUNC_GLOBAL);
  EXPECT_EQ(btf_var(btf__type_by_id(b.get(), 22))->linkage, (__u32)BTF_VAR_GLOBAL_ALLOCATED);
  EXPECT_EQ(btf_var_secinfos(btf__type_by_id(b.get(), 23))[0].type, 22u);
  EXPECT_TRUE(btf_is_mod(btf__type_by_id(b.get(), 18)));
  EXPECT_EQ(btf__pointer_size(b.get()), 8u) << "guessed from 'long'";
  EXPECT_EQ(btf__resolve_size(b.get(), 14), 24);
  EXPECT_EQ(btf__resolve_type(b.get(), 16), 1);
  EXPECT_EQ(btf__find_str(b.get(), "pt"), btf__type_by_id(b.get(), 7)->name_off);
  EXPECT_EQ(btf__find_str(b.get(), "absent"), -ENOENT);
  EXPECT_EQ(btf__add_str(b.get(), "pt"), btf__find_str(b.get(), "pt")) << "strings are deduped";
}

TEST(BtfBuild, ArgumentChecks) {
  BtfPtr b(btf__new_empty());
  EXPECT_EQ(btf__add_int(b.get(), "", 4, 0), -EINVAL);
  EXPECT_EQ(btf__add_int(b.get(), "x", 3, 0), -EINVAL);
  EXPECT_EQ(btf__add_int(b.get(), "x", 4, 0x10), -EINVAL);
  EXPECT_EQ(btf__add_float(b.get(), "f", 3), -EINVAL);
  // A type id not added yet is fine (forward reference); only the range
  // is checked.
  EXPECT_EQ(btf__add_ptr(b.get(), -1), -EINVAL);
  EXPECT_EQ(btf__add_field(b.get(), "m", 0, 0, 0), -EINVAL) << "no struct to add to";
  EXPECT_EQ(btf__add_int(b.get(), "int", 4, 0), 1);
  EXPECT_EQ(btf__add_enum_value(b.get(), "A", 1), -EINVAL) << "last type is not an enum";
  EXPECT_EQ(btf__add_union(b.get(), "u", 4), 2);
  EXPECT_EQ(btf__add_field(b.get(), "m", 1, 8, 0), -EINVAL) << "union members sit at 0";
  EXPECT_EQ(btf__add_field(b.get(), "m", 1, 0, 256), -EINVAL);
  EXPECT_EQ(btf__add_enum(b.get(), "e", 4), 3);
  EXPECT_EQ(btf__add_enum_value(b.get(), "A", 1ll << 40), -E2BIG);
  EXPECT_EQ(btf__add_enum_value(b.get(), "", 1), -EINVAL);
  EXPECT_EQ(btf__add_fwd(b.get(), "x", static_cast<enum btf_fwd_kind>(9)), -EINVAL);
  EXPECT_EQ(btf__add_typedef(b.get(), nullptr, 1), -EINVAL);
  EXPECT_EQ(btf__add_func(b.get(), "f", static_cast<enum btf_func_linkage>(5), 1), -EINVAL);
  EXPECT_EQ(btf__add_var(b.get(), "v", 3, 1), -EINVAL);
  EXPECT_EQ(btf__add_decl_tag(b.get(), "t", 1, -2), -EINVAL);
  EXPECT_EQ(btf__add_datasec_var_info(b.get(), 1, 0, 4), -EINVAL);
  EXPECT_EQ(btf__type_cnt(b.get()), 4u) << "failed calls add nothing";
}

// ---- sizes and alignments against the compiler ---------------------------

struct Inner {
  char c;
  short s;
};
struct Outer {
  char tag;
  long l;
  struct Inner in[3];
  int bits : 5;
  double d;
  void* p;
};
struct __attribute__((packed)) Packed {
  char c;
  int i;
  short s;
};
union Mixed {
  char c[9];
  int i;
};
struct WithTail {
  int i;
  char c;
};

TEST(BtfBuild, SizesAndAlignmentsMatchTheCompiler) {
  BtfPtr b(btf__new_empty());
  struct btf* p = b.get();
  const int c = btf__add_int(p, "char", 1, BTF_INT_CHAR | BTF_INT_SIGNED);
  const int s = btf__add_int(p, "short", 2, BTF_INT_SIGNED);
  const int i = btf__add_int(p, "int", 4, BTF_INT_SIGNED);
  const int l = btf__add_int(p, "long", 8, BTF_INT_SIGNED);
  const int d = btf__add_float(p, "double", 8);
  const int vp = btf__add_ptr(p, 0);
  const int inner = btf__add_struct(p, "Inner", sizeof(Inner));
  btf__add_field(p, "c", c, offsetof(Inner, c) * 8, 0);
  btf__add_field(p, "s", s, offsetof(Inner, s) * 8, 0);
  const int inner3 = btf__add_array(p, i, inner, 3);
  const int outer = btf__add_struct(p, "Outer", sizeof(Outer));
  btf__add_field(p, "tag", c, offsetof(Outer, tag) * 8, 0);
  btf__add_field(p, "l", l, offsetof(Outer, l) * 8, 0);
  btf__add_field(p, "in", inner3, offsetof(Outer, in) * 8, 0);
  btf__add_field(p, "bits", i, offsetof(Outer, in) * 8 + sizeof(Outer::in) * 8, 5);
  btf__add_field(p, "d", d, offsetof(Outer, d) * 8, 0);
  btf__add_field(p, "p", vp, offsetof(Outer, p) * 8, 0);
  const int packed = btf__add_struct(p, "Packed", sizeof(Packed));
  btf__add_field(p, "c", c, offsetof(Packed, c) * 8, 0);
  btf__add_field(p, "i", i, offsetof(Packed, i) * 8, 0);
  btf__add_field(p, "s", s, offsetof(Packed, s) * 8, 0);
  const int c9 = btf__add_array(p, i, c, 9);
  const int mixed = btf__add_union(p, "Mixed", sizeof(Mixed));
  btf__add_field(p, "c", c9, 0, 0);
  btf__add_field(p, "i", i, 0, 0);
  const int tail = btf__add_struct(p, "WithTail", sizeof(WithTail));
  btf__add_field(p, "i", i, 0, 0);
  btf__add_field(p, "c", c, offsetof(WithTail, c) * 8, 0);
  const int td = btf__add_typedef(p, "outer_t", outer);
  const int cv = btf__add_const(p, btf__add_volatile(p, td));

  struct Case {
    int id;
    size_t size, align;
  } cases[] = {
      {c, sizeof(char), alignof(char)},          {s, sizeof(short), alignof(short)},
      {i, sizeof(int), alignof(int)},            {l, sizeof(long), alignof(long)},
      {d, sizeof(double), alignof(double)},      {vp, sizeof(void*), alignof(void*)},
      {inner, sizeof(Inner), alignof(Inner)},    {inner3, sizeof(Inner[3]), alignof(Inner[3])},
      {outer, sizeof(Outer), alignof(Outer)},    {packed, sizeof(Packed), alignof(Packed)},
      {mixed, sizeof(Mixed), alignof(Mixed)},    {tail, sizeof(WithTail), alignof(WithTail)},
      {td, sizeof(Outer), alignof(Outer)},       {cv, sizeof(Outer), alignof(Outer)},
  };
  for (const Case& k : cases) {
    EXPECT_EQ(btf__resolve_size(p, static_cast<__u32>(k.id)), static_cast<__s64>(k.size)) << k.id;
    EXPECT_EQ(btf__align_of(p, static_cast<__u32>(k.id)), static_cast<int>(k.align)) << k.id;
  }
  errno = 0;
  EXPECT_EQ(btf__align_of(p, static_cast<__u32>(btf__add_func_proto(p, 0))), 0);
  EXPECT_EQ(errno, EINVAL) << "no alignment: 0 and EINVAL, like libbpf";
}

// ---- copying types between objects ----------------------------------------

TEST(BtfBuild, AddTypeCopiesStringsKeepsIds) {
  BtfPtr src = build_everything();
  BtfPtr dst(btf__new_empty());
  EXPECT_EQ(btf__add_type(dst.get(), src.get(), btf__type_by_id(src.get(), 1)), 1);
  EXPECT_EQ(btf__add_type(dst.get(), src.get(), btf__type_by_id(src.get(), 7)), 2);
  const btf_type* t = btf__type_by_id(dst.get(), 2);
  EXPECT_STREQ(btf__name_by_offset(dst.get(), t->name_off), "pt");
  EXPECT_STREQ(btf__name_by_offset(dst.get(), btf_members(t)[2].name_off), "d");
  EXPECT_EQ(btf_members(t)[2].type, 4u) << "type ids are copied unchanged";
}

TEST(BtfBuild, AddBtfShiftsIdsAndIsAllOrNothing) {
  BtfPtr src = build_everything();
  BtfPtr dst(btf__new_empty());
  ASSERT_EQ(btf__add_int(dst.get(), "u8", 1, 0), 1);
  const int first = btf__add_btf(dst.get(), src.get());
  ASSERT_EQ(first, 2);
  EXPECT_EQ(btf__type_cnt(dst.get()), 1u + btf__type_cnt(src.get()));
  const btf_type* td = btf__type_by_id(dst.get(), 14 + 1);
  ASSERT_TRUE(btf_is_typedef(td));
  EXPECT_EQ(td->type, 7u + 1) << "references shifted by one";
  EXPECT_EQ(btf__type_by_id(dst.get(), 5 + 1)->type, 0u) << "void stays void";
  EXPECT_EQ(btf__find_by_name_kind(dst.get(), "pt", BTF_KIND_STRUCT), 8);
  auto raw = raw_of(dst.get());
  BtfPtr parsed(btf__new(raw.data(), static_cast<__u32>(raw.size())));
  ASSERT_NE(parsed, nullptr) << "the result is valid BTF";

  // Appending an object to itself doubles it.
  const __u32 n = btf__type_cnt(src.get());
  EXPECT_EQ(btf__add_btf(src.get(), src.get()), static_cast<int>(n));
  EXPECT_EQ(btf__type_cnt(src.get()), 2 * n - 1);

  // Split source: refused, destination untouched.
  BtfPtr split(btf__new_empty_split(src.get()));
  btf__add_int(split.get(), "x", 4, 0);
  const __u32 before = btf__type_cnt(dst.get());
  EXPECT_EQ(btf__add_btf(dst.get(), split.get()), -EOPNOTSUPP);
  EXPECT_EQ(btf__type_cnt(dst.get()), before);
}

// ---- the name index while building and across threads --------------------

TEST(BtfBuild, LookupsStayCorrectWhileBuilding) {
  BtfPtr b(btf__new_empty());
  const int i = btf__add_int(b.get(), "int", 4, BTF_INT_SIGNED);
  for (int n = 0; n < 3000; n++) {
    const std::string name = "t" + std::to_string(n);
    const int id = btf__add_typedef(b.get(), name.c_str(), i);
    ASSERT_EQ(btf__find_by_name_kind(b.get(), name.c_str(), BTF_KIND_TYPEDEF), id) << name;
    if (n % 500 == 0) {
      ASSERT_EQ(btf__find_by_name(b.get(), "t0"), i + 1);
    }
  }
  // Same name twice: the first id wins, whatever the kind order.
  const int s = btf__add_struct(b.get(), "dup", 0);
  const int t = btf__add_typedef(b.get(), "dup", s);
  EXPECT_EQ(btf__find_by_name(b.get(), "dup"), s);
  EXPECT_EQ(btf__find_by_name_kind(b.get(), "dup", BTF_KIND_TYPEDEF), t);
  std::vector<uint32_t> all;
  b->for_each_named("dup", [&](uint32_t id) {
    all.push_back(id);
    return true;
  });
  EXPECT_EQ(all, (std::vector<uint32_t>{static_cast<uint32_t>(s), static_cast<uint32_t>(t)}));
  EXPECT_EQ(b->find_by_name_kind_own("dup", BTF_KIND_STRUCT), s);
}

TEST(BtfBuild, ConcurrentFirstLookupsBuildOneIndex) {
  BtfPtr src(btf__new_empty());
  const int i = btf__add_int(src.get(), "int", 4, 0);
  for (int n = 0; n < 20000; n++) btf__add_typedef(src.get(), ("n" + std::to_string(n)).c_str(), i);
  auto raw = raw_of(src.get());
  for (int round = 0; round < 5; round++) {
    BtfPtr b(btf__new(raw.data(), static_cast<__u32>(raw.size())));
    ASSERT_NE(b, nullptr);
    std::vector<std::thread> threads;
    std::vector<int> bad(8, 0);
    for (int k = 0; k < 8; k++) {
      threads.emplace_back([&, k] {
        for (int n = k; n < 20000; n += 97) {
          const std::string name = "n" + std::to_string(n);
          if (btf__find_by_name_kind(b.get(), name.c_str(), BTF_KIND_TYPEDEF) != n + 2) bad[k]++;
        }
        if (btf__pointer_size(b.get()) != 0) bad[k]++;
      });
    }
    for (auto& th : threads) th.join();
    for (int k = 0; k < 8; k++) EXPECT_EQ(bad[k], 0) << k;
  }
}

TEST(BtfBuild, SplitStringsComeFromTheBaseIndex) {
  BtfPtr base = build_everything();
  BtfPtr split(btf__new_empty_split(base.get()));
  for (const char* s : {"int", "pt", "HUGE", ".data"}) {
    EXPECT_EQ(btf__add_str(split.get(), s), btf__find_str(base.get(), s)) << s;
  }
  const int own = btf__add_str(split.get(), "only_in_split");
  btf_header h{};
  std::memcpy(&h, raw_of(base.get()).data(), sizeof(btf_header) - 8);
  EXPECT_EQ(own, static_cast<int>(h.str_len)) << "offsets continue the base's strings";
  EXPECT_EQ(btf__find_str(split.get(), "only_in_split"), own);
  EXPECT_EQ(btf__find_str(base.get(), "only_in_split"), -ENOENT);
}

// ---- layout section -------------------------------------------------------

TEST(BtfBuild, LayoutSectionRoundTrips) {
  LIBBPF_OPTS(btf_new_opts, opts, .add_layout = true);
  BtfPtr b(btf__new_empty_opts(&opts));
  ASSERT_NE(b, nullptr);
  ASSERT_EQ(btf__add_int(b.get(), "int", 4, 0), 1);
  ASSERT_EQ(btf__add_struct(b.get(), "s", 4), 2);
  ASSERT_EQ(btf__add_field(b.get(), "a", 1, 0, 0), 0);
  auto raw = raw_of(b.get());
  btf_header h{};
  std::memcpy(&h, raw.data(), sizeof h);
  EXPECT_EQ(h.hdr_len, sizeof(btf_header));
  EXPECT_EQ(h.layout_len, NR_BTF_KINDS * sizeof(btf_layout));
  BtfPtr parsed(btf__new(raw.data(), static_cast<__u32>(raw.size())));
  ASSERT_NE(parsed, nullptr);
  EXPECT_EQ(raw_of(parsed.get()), raw);
  EXPECT_EQ(btf__resolve_size(parsed.get(), 2), 4);

  LIBBPF_OPTS(btf_new_opts, bad);
  bad.sz = sizeof(bad) + 8;  // claims unknown trailing fields
  std::vector<uint8_t> big(sizeof(bad) + 8, 0);
  std::memcpy(big.data(), &bad, sizeof bad);
  big[sizeof bad] = 1;
  EXPECT_EQ(btf__new_empty_opts(reinterpret_cast<struct btf_new_opts*>(big.data())), nullptr);
}

TEST(BtfBuild, UnknownKindDescribedByLayoutIsSkipped) {
  LIBBPF_OPTS(btf_new_opts, opts, .add_layout = true);
  BtfPtr b(btf__new_empty_opts(&opts));
  ASSERT_EQ(btf__add_int(b.get(), "int", 4, 0), 1);
  auto raw = raw_of(b.get());
  // Describe kind NR_BTF_KINDS (unknown to us) as 4 bytes + 8 per vlen,
  // then append one record of that kind with vlen 1.
  btf_header h{};
  std::memcpy(&h, raw.data(), sizeof h);
  std::vector<uint8_t> out(raw.begin(), raw.begin() + h.hdr_len);
  std::vector<btf_layout> layout(NR_BTF_KINDS + 1);
  std::memcpy(layout.data(), raw.data() + h.hdr_len + h.layout_off, h.layout_len);
  layout[NR_BTF_KINDS] = btf_layout{4, 8, 0};
  const uint8_t* lp = reinterpret_cast<const uint8_t*>(layout.data());
  out.insert(out.end(), lp, lp + layout.size() * sizeof(btf_layout));
  out.insert(out.end(), raw.begin() + h.hdr_len + h.type_off,
             raw.begin() + h.hdr_len + h.type_off + h.type_len);
  uint32_t rec[6] = {0, (uint32_t{NR_BTF_KINDS} << 24) | 1, 0, 0, 0, 0};
  const uint8_t* rp = reinterpret_cast<const uint8_t*>(rec);
  out.insert(out.end(), rp, rp + sizeof rec);
  out.insert(out.end(), raw.begin() + h.hdr_len + h.str_off,
             raw.begin() + h.hdr_len + h.str_off + h.str_len);
  h.layout_off = 0;
  h.layout_len = static_cast<uint32_t>(layout.size() * sizeof(btf_layout));
  h.type_off = h.layout_len;
  h.type_len += sizeof rec;
  h.str_off = h.type_off + h.type_len;
  std::memcpy(out.data(), &h, sizeof h);
  BtfPtr parsed(btf__new(out.data(), static_cast<__u32>(out.size())));
  ASSERT_NE(parsed, nullptr);
  EXPECT_EQ(btf__type_cnt(parsed.get()), 3u);
  EXPECT_EQ(btf_kind(btf__type_by_id(parsed.get(), 2)), NR_BTF_KINDS);
}

// ---- sanitizing for old kernels ------------------------------------------

TEST(BtfBuild, SanitizerRewritesEveryNewKindIntoValidOldBtf) {
  BtfPtr b = build_everything();
  bpfxx::btf::SanitizeNeeds all;
  all.func = all.datasec = all.flt = all.decl_tag = all.type_tag = all.enum64 = true;
  std::vector<uint8_t> out = bpfxx::btf::sanitize(*b, all);
  BtfPtr s(btf__new(out.data(), static_cast<__u32>(out.size())));
  ASSERT_NE(s, nullptr) << "the rewritten blob is valid BTF";
  for (__u32 id = 1; id < btf__type_cnt(s.get()); id++) {
    const __u16 k = btf_kind(btf__type_by_id(s.get(), id));
    EXPECT_TRUE(k != BTF_KIND_FUNC && k != BTF_KIND_FUNC_PROTO && k != BTF_KIND_VAR &&
                k != BTF_KIND_DATASEC && k != BTF_KIND_FLOAT && k != BTF_KIND_DECL_TAG &&
                k != BTF_KIND_TYPE_TAG && k != BTF_KIND_ENUM64)
        << "type " << id << " kind " << k;
  }
  EXPECT_EQ(btf__type_cnt(s.get()), btf__type_cnt(b.get()) + 1) << "one byte int appended";
  EXPECT_EQ(btf_kind(btf__type_by_id(s.get(), 4)), BTF_KIND_STRUCT) << "float";
  EXPECT_EQ(btf__resolve_size(s.get(), 4), 8);
  EXPECT_EQ(btf_kind(btf__type_by_id(s.get(), 10)), BTF_KIND_UNION) << "enum64";
  EXPECT_EQ(btf_kind(btf__type_by_id(s.get(), 21)), BTF_KIND_TYPEDEF) << "func";
  EXPECT_EQ(btf_kind(btf__type_by_id(s.get(), 23)), BTF_KIND_STRUCT) << "datasec";
  EXPECT_STREQ(btf__name_by_offset(s.get(), btf__type_by_id(s.get(), 23)->name_off), "_data");
  // The object itself is unchanged.
  EXPECT_EQ(btf_kind(btf__type_by_id(b.get(), 4)), BTF_KIND_FLOAT);

  bpfxx::btf::SanitizeNeeds few;
  few.global_func = few.qmark = true;
  out = bpfxx::btf::sanitize(*b, few);
  BtfPtr s2(btf__new(out.data(), static_cast<__u32>(out.size())));
  ASSERT_NE(s2, nullptr);
  EXPECT_EQ(btf_vlen(btf__type_by_id(s2.get(), 21)), BTF_FUNC_STATIC);
  EXPECT_STREQ(btf__name_by_offset(s2.get(), btf__type_by_id(s2.get(), 26)->name_off), "_.maps");
}

}  // namespace
