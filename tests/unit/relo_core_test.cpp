// The CO-RE engine (src/relo/) over synthetic local/target BTF pairs built
// with btf__add_*(): every relocation kind, fields moved, renamed through
// flavors, resized and missing, bitfields at every offset and size, enum
// values changed and missing, arrays and anonymous members, ambiguous
// candidates, instruction patching and the poison path.
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <gtest/gtest.h>

#include <cstring>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "btf/btf.h"
#include "relo/candidates.h"
#include "relo/compat.h"
#include "relo/core_kind.h"
#include "relo/essential_name.h"
#include "relo/resolve.h"
#include "relo/spec.h"

namespace {

using namespace bpfxx::relo;

struct BtfDeleter {
  void operator()(struct btf* b) const { btf__free(b); }
};
using BtfPtr = std::unique_ptr<struct btf, BtfDeleter>;

BtfPtr empty() { return BtfPtr(btf__new_empty()); }

// Resolves one relocation of local type_id with access string acc against
// the given targets (searched by scan, or through a NameIndex when indexed).
bpfxx::Result<Resolution> run(struct btf* local, uint32_t type_id, const char* acc, uint32_t kind,
                              std::vector<const struct btf*> targs, bool indexed = false) {
  bpfxx::btf::CoreRelo rec{0, type_id, static_cast<uint32_t>(btf__add_str(local, acc)), kind};
  std::vector<Candidate> c;
  std::vector<std::unique_ptr<NameIndex>> idx;
  for (const struct btf* t : targs) {
    Target tg{t, "target", 1, nullptr};
    if (indexed) {
      idx.push_back(std::make_unique<NameIndex>(*t, 1));
      tg.index = idx.back().get();
    }
    // Anonymous or bad local types have none; resolve() reports them.
    (void)add_candidates(*local, type_id, tg, c);
  }
  return resolve(*local, rec, c, ReloSite{"test", 0, 0});
}

// struct s { int a; int b; long c; } -- local layout.
struct Local {
  BtfPtr b = empty();
  int i32, i64, u32, s;
  explicit Local(const char* name = "s") {
    i32 = btf__add_int(b.get(), "int", 4, BTF_INT_SIGNED);
    i64 = btf__add_int(b.get(), "long", 8, BTF_INT_SIGNED);
    u32 = btf__add_int(b.get(), "unsigned int", 4, 0);
    s = btf__add_struct(b.get(), name, 16);
    btf__add_field(b.get(), "a", i32, 0, 0);
    btf__add_field(b.get(), "b", u32, 32, 0);
    btf__add_field(b.get(), "c", i64, 64, 0);
  }
};

TEST(ReloEssentialName, StripsFlavors) {
  EXPECT_EQ(essential_name("task_struct___old"), "task_struct");
  EXPECT_EQ(essential_name("task_struct"), "task_struct");
  EXPECT_EQ(essential_name("a___b___c"), "a___b");
  EXPECT_EQ(essential_name("a____b"), "a____b");  // four underscores: no flavor
  EXPECT_EQ(essential_name("___x"), "___x");
  EXPECT_EQ(essential_name("x___"), "x___");
  EXPECT_EQ(essential_name(""), "");
}

TEST(ReloField, MovedFieldGetsTheTargetOffset) {
  Local l;
  BtfPtr t = empty();
  int ti = btf__add_int(t.get(), "int", 4, BTF_INT_SIGNED);
  int tu = btf__add_int(t.get(), "unsigned int", 4, 0);
  int tl = btf__add_int(t.get(), "long", 8, BTF_INT_SIGNED);
  btf__add_struct(t.get(), "s", 24);
  btf__add_field(t.get(), "c", tl, 0, 0);
  btf__add_field(t.get(), "x", ti, 64, 0);
  btf__add_field(t.get(), "b", tu, 96, 0);
  btf__add_field(t.get(), "a", ti, 128, 0);
  for (bool indexed : {false, true}) {
    auto r = run(l.b.get(), l.s, "0:1", kFieldByteOffset, {t.get()}, indexed);
    ASSERT_TRUE(r.ok()) << r.message();
    EXPECT_EQ(r->orig_val, 4u);
    EXPECT_EQ(r->new_val, 12u);
    EXPECT_FALSE(r->poison);
    r = run(l.b.get(), l.s, "0:2", kFieldByteOffset, {t.get()}, indexed);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->new_val, 0u);
    r = run(l.b.get(), l.s, "0:0", kFieldByteOffset, {t.get()}, indexed);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->new_val, 16u);
  }
  // The root index counts whole structs: p[2].b.
  auto r = run(l.b.get(), l.s, "2:1", kFieldByteOffset, {t.get()});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->orig_val, 2 * 16 + 4u);
  EXPECT_EQ(r->new_val, 2 * 24 + 12u);
}

TEST(ReloField, FlavoredLocalTypeFindsTheKernelName) {
  Local l("s___v2");
  BtfPtr t = empty();
  int ti = btf__add_int(t.get(), "int", 4, BTF_INT_SIGNED);
  btf__add_struct(t.get(), "s", 8);
  btf__add_field(t.get(), "x", ti, 0, 0);
  btf__add_field(t.get(), "a", ti, 32, 0);
  for (bool indexed : {false, true}) {
    auto r = run(l.b.get(), l.s, "0:0", kFieldByteOffset, {t.get()}, indexed);
    ASSERT_TRUE(r.ok()) << r.message();
    EXPECT_EQ(r->new_val, 4u);
    r = run(l.b.get(), l.s, "0:0", kFieldExists, {t.get()}, indexed);
    EXPECT_EQ(r->new_val, 1u);
    r = run(l.b.get(), l.s, "0:1", kFieldExists, {t.get()}, indexed);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->orig_val, 1u);
    EXPECT_EQ(r->new_val, 0u);
    EXPECT_FALSE(r->poison);
  }
}

TEST(ReloField, MissingFieldIsPoisonedAndExistsIsZero) {
  Local l;
  BtfPtr t = empty();
  int ti = btf__add_int(t.get(), "int", 4, BTF_INT_SIGNED);
  btf__add_struct(t.get(), "s", 4);
  btf__add_field(t.get(), "a", ti, 0, 0);
  for (uint32_t k : {kFieldByteOffset, kFieldByteSize, kFieldSigned, kFieldLshiftU64, kFieldRshiftU64}) {
    auto r = run(l.b.get(), l.s, "0:2", k, {t.get()});
    ASSERT_TRUE(r.ok()) << kind_str(k) << ": " << r.message();
    EXPECT_TRUE(r->poison) << kind_str(k);
  }
  // No candidate at all behaves the same.
  auto r = run(l.b.get(), l.s, "0:0", kFieldByteOffset, {});
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->poison);
  r = run(l.b.get(), l.s, "0:0", kFieldExists, {});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->new_val, 0u);
  EXPECT_FALSE(r->poison);
}

TEST(ReloField, SizeSignednessAndResizedLoads) {
  Local l;
  BtfPtr t = empty();
  int tu64 = btf__add_int(t.get(), "unsigned long", 8, 0);
  int ti16 = btf__add_int(t.get(), "short", 2, BTF_INT_SIGNED);
  int tl = btf__add_int(t.get(), "long", 8, BTF_INT_SIGNED);
  btf__add_struct(t.get(), "s", 24);
  btf__add_field(t.get(), "a", ti16, 0, 0);   // int -> short (signed: cannot resize)
  btf__add_field(t.get(), "b", tu64, 64, 0);  // unsigned int -> unsigned long (can)
  btf__add_field(t.get(), "c", tl, 128, 0);
  auto r = run(l.b.get(), l.s, "0:1", kFieldByteSize, {t.get()});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->orig_val, 4u);
  EXPECT_EQ(r->new_val, 8u);
  r = run(l.b.get(), l.s, "0:0", kFieldSigned, {t.get()});
  EXPECT_EQ(r->new_val, 1u);
  r = run(l.b.get(), l.s, "0:1", kFieldSigned, {t.get()});
  EXPECT_EQ(r->new_val, 0u);

  // u32 load of b becomes a u64 load at the new offset.
  r = run(l.b.get(), l.s, "0:1", kFieldByteOffset, {t.get()});
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->fail_memsz_adjust);
  bpf_insn ld{};
  ld.code = BPF_LDX | BPF_MEM | BPF_W;
  ld.dst_reg = 1;
  ld.src_reg = 2;
  ld.off = 4;
  ASSERT_TRUE(patch_insn({&ld, 1}, *r, ReloSite{"test", 0, 0}).ok());
  EXPECT_EQ(ld.code, BPF_LDX | BPF_MEM | BPF_DW);
  EXPECT_EQ(ld.off, 8);
  EXPECT_EQ(ld.dst_reg, 1);

  // A signed int that shrank cannot be read by a narrower load: poisoned.
  r = run(l.b.get(), l.s, "0:0", kFieldByteOffset, {t.get()});
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->fail_memsz_adjust);
  ld.code = BPF_LDX | BPF_MEM | BPF_W;
  ld.off = 0;
  ASSERT_TRUE(patch_insn({&ld, 1}, *r, ReloSite{"test", 0, 0}).ok());
  EXPECT_EQ(ld.code, BPF_JMP | BPF_CALL);
  EXPECT_EQ(ld.imm, 195896080);
  // ... but the same offset in an ALU op (probe-read style) is fine.
  bpf_insn add{};
  add.code = BPF_ALU64 | BPF_ADD | BPF_K;
  add.imm = 0;
  ASSERT_TRUE(patch_insn({&add, 1}, *r, ReloSite{"test", 0, 0}).ok());
  EXPECT_EQ(add.code, BPF_ALU64 | BPF_ADD | BPF_K);
  EXPECT_EQ(add.imm, 0);
}

TEST(ReloField, PointersMayChangeSizeAndStoresAreRelocated) {
  BtfPtr l = empty();
  int li = btf__add_int(l.get(), "int", 4, BTF_INT_SIGNED);
  int lp = btf__add_ptr(l.get(), li);
  int ls = btf__add_struct(l.get(), "p", 16);
  btf__add_field(l.get(), "x", li, 0, 0);
  btf__add_field(l.get(), "ptr", lp, 64, 0);
  BtfPtr t = empty();
  int ti = btf__add_int(t.get(), "int", 4, BTF_INT_SIGNED);
  int tp = btf__add_ptr(t.get(), ti);
  btf__add_struct(t.get(), "p", 32);
  btf__add_field(t.get(), "ptr", tp, 128, 0);
  btf__add_field(t.get(), "x", ti, 192, 0);
  auto r = run(l.get(), ls, "0:1", kFieldByteOffset, {t.get()});
  ASSERT_TRUE(r.ok());
  bpf_insn st{};
  st.code = BPF_STX | BPF_MEM | BPF_DW;
  st.off = 8;
  ASSERT_TRUE(patch_insn({&st, 1}, *r, ReloSite{"test", 0, 0}).ok());
  EXPECT_EQ(st.off, 16);
  r = run(l.get(), ls, "0:0", kFieldByteOffset, {t.get()});
  bpf_insn sti{};
  sti.code = BPF_ST | BPF_MEM | BPF_W;
  sti.off = 0;
  sti.imm = 7;
  ASSERT_TRUE(patch_insn({&sti, 1}, *r, ReloSite{"test", 0, 0}).ok());
  EXPECT_EQ(sti.off, 24);
  EXPECT_EQ(sti.imm, 7);
}

// Reads a bitfield as BPF_CORE_READ_BITFIELD does, with the relocated
// values: a byte_sz load at byte_off, then the two shifts.
uint64_t extract(const uint8_t* mem, uint64_t byte_off, uint64_t byte_sz, uint64_t lsh, uint64_t rsh,
                 bool sgn) {
  uint64_t v = 0;
  std::memcpy(&v, mem + byte_off, byte_sz);  // little-endian host
  v <<= lsh;
  if (sgn) return static_cast<uint64_t>(static_cast<int64_t>(v) >> rsh);
  return v >> rsh;
}

TEST(ReloBitfield, EveryOffsetAndSizeReadsTheRightBits) {
  // Fields straddling two 8-byte words are refused with a warning each.
  libbpf_print_fn_t prev = libbpf_set_print(nullptr);
  std::mt19937_64 rng(42);
  uint8_t mem[32];
  for (auto& c : mem) c = static_cast<uint8_t>(rng());
  int checked = 0, too_wide = 0;
  for (uint32_t tsz : {1u, 2u, 4u, 8u}) {
    for (bool sgn : {false, true}) {
      for (uint32_t bits = 1; bits <= tsz * 8; bits++) {
        for (uint32_t off = 0; off + bits <= 128; off++) {
          // Local: the field at bit 0. Target: at off, inside a 16-byte struct.
          BtfPtr l = empty();
          int li = btf__add_int(l.get(), "t", tsz, sgn ? BTF_INT_SIGNED : 0);
          int ls = btf__add_struct(l.get(), "bf", 16);
          btf__add_field(l.get(), "pad", li, 0, 0);
          btf__add_field(l.get(), "f", li, 64, bits);
          BtfPtr t = empty();
          int ti = btf__add_int(t.get(), "t", tsz, sgn ? BTF_INT_SIGNED : 0);
          btf__add_struct(t.get(), "bf", 32);
          btf__add_field(t.get(), "f", ti, off, bits);
          // v: byte offset, byte size, lshift, rshift, signed.
          const uint32_t kinds[5] = {kFieldByteOffset, kFieldByteSize, kFieldLshiftU64, kFieldRshiftU64,
                                     kFieldSigned};
          uint64_t v[5] = {};
          bool ok = true;
          for (int k = 0; k < 5 && ok; k++) {
            auto r = run(l.get(), ls, "0:1", kinds[k], {t.get()});
            ok = r.ok();
            if (!ok) break;
            ASSERT_FALSE(r->poison);
            v[k] = r->new_val;
          }
          // The field's bits: read straight from memory.
          unsigned __int128 all = 0;
          std::memcpy(&all, mem, 16);
          uint64_t want = static_cast<uint64_t>(all >> off);
          if (bits < 64) {
            want &= (uint64_t{1} << bits) - 1;
            if (sgn && (want >> (bits - 1)) & 1) want |= ~uint64_t{0} << bits;
          }
          if (!ok) {
            // Only a field no aligned 8-byte word holds is refused.
            EXPECT_NE(off / 64, (off + bits - 1) / 64) << off << "+" << bits;
            too_wide++;
            continue;
          }
          EXPECT_EQ(v[4], sgn ? 1u : 0u);
          EXPECT_EQ(v[0] % v[1], 0u) << "load not naturally aligned";
          EXPECT_LE(v[0] + v[1], 32u);
          EXPECT_EQ(extract(mem, v[0], v[1], v[2], v[3], sgn), want)
              << "size " << tsz << " bits " << bits << " at " << off << (sgn ? " signed" : "");
          checked++;
        }
      }
    }
  }
  libbpf_set_print(prev);
  EXPECT_GT(checked, 10000);
  EXPECT_GT(too_wide, 0);
}

TEST(ReloBitfield, ShiftsOfAKnownLayout) {
  // struct { unsigned int x:3, y:5; } read as u8 at byte 0.
  BtfPtr l = empty();
  int u = btf__add_int(l.get(), "unsigned int", 4, 0);
  int ls = btf__add_struct(l.get(), "k", 4);
  btf__add_field(l.get(), "x", u, 0, 3);
  btf__add_field(l.get(), "y", u, 3, 5);
  auto r = run(l.get(), ls, "0:1", kFieldLshiftU64, {l.get()});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->new_val, 64u - 8u);
  r = run(l.get(), ls, "0:1", kFieldRshiftU64, {l.get()});
  EXPECT_EQ(r->new_val, 64u - 5u);
  r = run(l.get(), ls, "0:1", kFieldByteSize, {l.get()});
  EXPECT_EQ(r->new_val, 4u);
  r = run(l.get(), ls, "0:1", kFieldByteOffset, {l.get()});
  EXPECT_EQ(r->new_val, 0u);
  EXPECT_FALSE(r->validate);  // bitfield offsets are not checked against the insn
}

TEST(ReloField, ArraysAndFlexibleArrays) {
  // struct e { int x; int y; }; struct arr { int n; struct e items[4]; int tail[]; };
  auto build = [](struct btf* b, uint32_t esz, uint32_t nitems, uint32_t yoff, uint32_t items_off) {
    int i = btf__add_int(b, "int", 4, BTF_INT_SIGNED);
    int e = btf__add_struct(b, "e", esz);
    btf__add_field(b, "x", i, 0, 0);
    btf__add_field(b, "y", i, yoff, 0);
    int a = btf__add_array(b, i, e, nitems);
    int fa = btf__add_array(b, i, i, 0);
    int s = btf__add_struct(b, "arr", items_off / 8 + esz * nitems);
    btf__add_field(b, "n", i, 0, 0);
    btf__add_field(b, "items", a, items_off, 0);
    btf__add_field(b, "tail", fa, items_off + esz * nitems * 8, 0);
    return s;
  };
  BtfPtr l = empty();
  int ls = build(l.get(), 8, 4, 32, 32);
  BtfPtr t = empty();
  build(t.get(), 16, 8, 64, 64);
  auto r = run(l.get(), ls, "0:1:2:1", kFieldByteOffset, {t.get()});
  ASSERT_TRUE(r.ok()) << r.message();
  EXPECT_EQ(r->orig_val, 4 + 2 * 8 + 4u);
  EXPECT_EQ(r->new_val, 8 + 2 * 16 + 8u);
  // The element itself: offset and size.
  r = run(l.get(), ls, "0:1:3", kFieldByteOffset, {t.get()});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->new_val, 8 + 3 * 16u);
  r = run(l.get(), ls, "0:1:3", kFieldByteSize, {t.get()});
  EXPECT_EQ(r->new_val, 16u);
  // Elements past the target's length do not exist there.
  BtfPtr small = empty();
  build(small.get(), 8, 2, 32, 32);
  r = run(l.get(), ls, "0:1:3:0", kFieldExists, {small.get()});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->new_val, 0u);
  // A flexible array member may be indexed anywhere.
  r = run(l.get(), ls, "0:2:10", kFieldByteOffset, {t.get()});
  ASSERT_TRUE(r.ok()) << r.message();
  EXPECT_EQ(r->new_val, 8 + 16 * 8 + 40u);
  // Shift relocations make no sense on array elements.
  r = run(l.get(), ls, "0:1:3", kFieldLshiftU64, {t.get()});
  EXPECT_FALSE(r.ok());
  // An index out of the local array's own range is a malformed record.
  r = run(l.get(), ls, "0:1:9", kFieldByteOffset, {t.get()});
  EXPECT_FALSE(r.ok());
}

TEST(ReloField, AnonymousMembersAreSearchedThrough) {
  // Local: struct n { int a; int b; }; target: struct n { long pad; union { int a; struct { int z; int b; };
  // }; }
  BtfPtr l = empty();
  int li = btf__add_int(l.get(), "int", 4, BTF_INT_SIGNED);
  int ls = btf__add_struct(l.get(), "n", 8);
  btf__add_field(l.get(), "a", li, 0, 0);
  btf__add_field(l.get(), "b", li, 32, 0);
  BtfPtr t = empty();
  int ti = btf__add_int(t.get(), "int", 4, BTF_INT_SIGNED);
  int tl = btf__add_int(t.get(), "long", 8, BTF_INT_SIGNED);
  int inner = btf__add_struct(t.get(), nullptr, 8);
  btf__add_field(t.get(), "z", ti, 0, 0);
  btf__add_field(t.get(), "b", ti, 32, 0);
  int un = btf__add_union(t.get(), nullptr, 8);
  btf__add_field(t.get(), "a", ti, 0, 0);
  btf__add_field(t.get(), nullptr, inner, 0, 0);
  btf__add_struct(t.get(), "n", 16);
  btf__add_field(t.get(), "pad", tl, 0, 0);
  btf__add_field(t.get(), nullptr, un, 64, 0);
  auto r = run(l.get(), ls, "0:0", kFieldByteOffset, {t.get()});
  ASSERT_TRUE(r.ok()) << r.message();
  EXPECT_EQ(r->new_val, 8u);
  r = run(l.get(), ls, "0:1", kFieldByteOffset, {t.get()});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->new_val, 12u);

  // And the other way: a local anonymous member only counts by offset.
  r = run(t.get(), 5, "0:1:1:1", kFieldByteOffset, {l.get()});
  ASSERT_TRUE(r.ok()) << r.message();
  EXPECT_EQ(r->orig_val, 12u);
  EXPECT_EQ(r->new_val, 4u);
}

TEST(ReloField, IncompatibleFieldTypesDoNotMatch) {
  Local l;
  BtfPtr t = empty();
  int ti = btf__add_int(t.get(), "int", 4, BTF_INT_SIGNED);
  int tp = btf__add_ptr(t.get(), ti);
  btf__add_struct(t.get(), "s", 8);
  btf__add_field(t.get(), "a", tp, 0, 0);  // int became a pointer
  auto r = run(l.b.get(), l.s, "0:0", kFieldExists, {t.get()});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->new_val, 0u);
  // A struct may become a union (members are checked further down).
  BtfPtr u = empty();
  int ui = btf__add_int(u.get(), "int", 4, BTF_INT_SIGNED);
  btf__add_union(u.get(), "s", 4);
  btf__add_field(u.get(), "a", ui, 0, 0);
  r = run(l.b.get(), l.s, "0:0", kFieldExists, {u.get()});
  EXPECT_EQ(r->new_val, 0u);  // a root union is not a candidate for a struct
}

TEST(ReloAmbiguity, DifferentAnswersNameBothCandidates) {
  Local l;
  BtfPtr t = empty();
  int ti = btf__add_int(t.get(), "int", 4, BTF_INT_SIGNED);
  btf__add_struct(t.get(), "s", 8);
  btf__add_field(t.get(), "a", ti, 0, 0);
  btf__add_struct(t.get(), "s___other", 8);
  btf__add_field(t.get(), "x", ti, 0, 0);
  btf__add_field(t.get(), "a", ti, 32, 0);
  auto r = run(l.b.get(), l.s, "0:0", kFieldByteOffset, {t.get()});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.message().find("ambiguous"), std::string::npos) << r.message();
  EXPECT_NE(r.message().find("struct s "), std::string::npos) << r.message();
  EXPECT_NE(r.message().find("struct s___other"), std::string::npos) << r.message();
  // Two namesakes with the same answer are fine.
  BtfPtr same = empty();
  int si = btf__add_int(same.get(), "int", 4, BTF_INT_SIGNED);
  btf__add_struct(same.get(), "s", 8);
  btf__add_field(same.get(), "a", si, 32, 0);
  btf__add_struct(same.get(), "s___dup", 12);
  btf__add_field(same.get(), "a", si, 32, 0);
  r = run(l.b.get(), l.s, "0:0", kFieldByteOffset, {same.get()});
  ASSERT_TRUE(r.ok()) << r.message();
  EXPECT_EQ(r->new_val, 4u);
  // Candidates from two BTFs (vmlinux and a module) are compared too.
  r = run(l.b.get(), l.s, "0:0", kFieldByteOffset, {same.get(), t.get()});
  EXPECT_FALSE(r.ok());
}

TEST(ReloType, ExistsSizeIdsAndMatches) {
  BtfPtr l = empty();
  int li = btf__add_int(l.get(), "int", 4, BTF_INT_SIGNED);
  int ls = btf__add_struct(l.get(), "thing", 4);
  btf__add_field(l.get(), "v", li, 0, 0);
  int lmissing = btf__add_struct(l.get(), "nothing", 4);
  int ltd = btf__add_typedef(l.get(), "thing_t", ls);
  int le = btf__add_enum(l.get(), "color", 4);
  btf__add_enum_value(l.get(), "RED", 0);
  BtfPtr t = empty();
  int ti = btf__add_int(t.get(), "int", 4, BTF_INT_SIGNED);
  int tl = btf__add_int(t.get(), "long", 8, BTF_INT_SIGNED);
  int ts = btf__add_struct(t.get(), "thing", 24);
  btf__add_field(t.get(), "w", tl, 0, 0);
  btf__add_field(t.get(), "v", ti, 64, 0);
  int ttd = btf__add_typedef(t.get(), "thing_t", ts);
  int te = btf__add_enum64(t.get(), "color", 8, false);
  btf__add_enum64_value(t.get(), "RED", 1);
  btf__add_enum64_value(t.get(), "GREEN", 2);

  auto r = run(l.get(), ls, "0", kTypeExists, {t.get()});
  ASSERT_TRUE(r.ok()) << r.message();
  EXPECT_EQ(r->new_val, 1u);
  r = run(l.get(), lmissing, "0", kTypeExists, {t.get()});
  EXPECT_EQ(r->new_val, 0u);
  EXPECT_FALSE(r->poison);
  r = run(l.get(), ls, "0", kTypeSize, {t.get()});
  EXPECT_EQ(r->orig_val, 4u);
  EXPECT_EQ(r->new_val, 24u);
  r = run(l.get(), lmissing, "0", kTypeSize, {t.get()});
  EXPECT_EQ(r->new_val, 0u);
  r = run(l.get(), ls, "0", kTypeIdTarget, {t.get()});
  EXPECT_EQ(r->new_val, static_cast<uint64_t>(ts));
  EXPECT_FALSE(r->validate);
  r = run(l.get(), ltd, "0", kTypeIdTarget, {t.get()});
  EXPECT_EQ(r->new_val, static_cast<uint64_t>(ttd));
  r = run(l.get(), ls, "0", kTypeIdLocal, {});
  EXPECT_EQ(r->new_val, static_cast<uint64_t>(ls));
  // Enum and enum64 stand for each other.
  r = run(l.get(), le, "0", kTypeExists, {t.get()});
  EXPECT_EQ(r->new_val, 1u);
  r = run(l.get(), le, "0", kTypeSize, {t.get()});
  EXPECT_EQ(r->new_val, 8u);
  (void)te;
  // Matches: every local member present with a matching type...
  r = run(l.get(), ls, "0", kTypeMatches, {t.get()});
  EXPECT_EQ(r->new_val, 1u);
  // ... not when a member's type differs in size or is absent.
  BtfPtr t2 = empty();
  int t2l = btf__add_int(t2.get(), "long", 8, BTF_INT_SIGNED);
  btf__add_struct(t2.get(), "thing", 8);
  btf__add_field(t2.get(), "v", t2l, 0, 0);
  r = run(l.get(), ls, "0", kTypeMatches, {t2.get()});
  EXPECT_EQ(r->new_val, 0u);
  r = run(l.get(), ls, "0", kTypeExists, {t2.get()});
  EXPECT_EQ(r->new_val, 1u);  // exists is looser
  // An enum matches when the sizes agree and every local name is there.
  r = run(l.get(), le, "0", kTypeMatches, {t.get()});
  EXPECT_EQ(r->new_val, 0u);  // 4 vs 8 bytes
}

TEST(ReloType, CompatFollowsPointersArraysAndPrototypes) {
  BtfPtr l = empty();
  int li = btf__add_int(l.get(), "int", 4, BTF_INT_SIGNED);
  int lp = btf__add_ptr(l.get(), li);
  int lfp = btf__add_func_proto(l.get(), li);
  btf__add_func_param(l.get(), "a", lp);
  int ltd = btf__add_typedef(l.get(), "cb_t", lfp);
  BtfPtr t = empty();
  int ti = btf__add_int(t.get(), "int", 4, BTF_INT_SIGNED);
  int tp = btf__add_ptr(t.get(), ti);
  int tfp = btf__add_func_proto(t.get(), ti);
  btf__add_func_param(t.get(), "x", tp);
  int ttd = btf__add_typedef(t.get(), "cb_t", tfp);
  EXPECT_EQ(types_compat(*l, ltd, *t, ttd), 1);
  BtfPtr t2 = empty();
  int t2i = btf__add_int(t2.get(), "int", 4, BTF_INT_SIGNED);
  int t2fp = btf__add_func_proto(t2.get(), t2i);
  btf__add_func_param(t2.get(), "x", t2i);  // int instead of int *
  int t2td = btf__add_typedef(t2.get(), "cb_t", t2fp);
  EXPECT_EQ(types_compat(*l, ltd, *t2, t2td), 0);
  auto r = run(l.get(), ltd, "0", kTypeExists, {t2.get()});
  EXPECT_EQ(r->new_val, 0u);
}

TEST(ReloEnum, ValuesChangedMissingAndEnum64) {
  BtfPtr l = empty();
  int le = btf__add_enum(l.get(), "state", 4);
  btf__add_enum_value(l.get(), "RUNNING", 0);
  btf__add_enum_value(l.get(), "SLEEPING___old", 1);
  btf__add_enum_value(l.get(), "GONE", 2);
  btf__add_enum_value(l.get(), "NEG", -5);
  BtfPtr t = empty();
  btf__add_enum(t.get(), "state", 4);
  btf__add_enum_value(t.get(), "SLEEPING", 7);
  btf__add_enum_value(t.get(), "RUNNING", 3);
  btf__add_enum_value(t.get(), "NEG", -9);
  auto r = run(l.get(), le, "0", kEnumvalValue, {t.get()});
  ASSERT_TRUE(r.ok()) << r.message();
  EXPECT_EQ(r->orig_val, 0u);
  EXPECT_EQ(r->new_val, 3u);
  r = run(l.get(), le, "1", kEnumvalValue, {t.get()});
  EXPECT_EQ(r->new_val, 7u);  // flavor stripped from the enumerator
  r = run(l.get(), le, "2", kEnumvalExists, {t.get()});
  EXPECT_EQ(r->new_val, 0u);
  r = run(l.get(), le, "2", kEnumvalValue, {t.get()});
  EXPECT_TRUE(r->poison);
  r = run(l.get(), le, "3", kEnumvalValue, {t.get()});
  EXPECT_EQ(r->orig_val, static_cast<uint64_t>(-5));
  EXPECT_EQ(r->new_val, static_cast<uint64_t>(-9));
  bpf_insn mov{};
  mov.code = BPF_ALU64 | BPF_MOV | BPF_K;
  mov.imm = -5;
  ASSERT_TRUE(patch_insn({&mov, 1}, *r, ReloSite{"test", 0, 0}).ok());
  EXPECT_EQ(mov.imm, -9);

  // A 64-bit value through ld_imm64, and the poison of both halves.
  BtfPtr t64 = empty();
  btf__add_enum64(t64.get(), "state", 8, false);
  btf__add_enum64_value(t64.get(), "RUNNING", 0x123456789ull);
  r = run(l.get(), le, "0", kEnumvalValue, {t64.get()});
  ASSERT_TRUE(r.ok()) << r.message();
  EXPECT_EQ(r->new_val, 0x123456789ull);
  bpf_insn ld[2] = {};
  ld[0].code = BPF_LD | BPF_IMM | BPF_DW;
  ld[0].dst_reg = 3;
  ASSERT_TRUE(patch_insn(ld, *r, ReloSite{"test", 0, 0}).ok());
  EXPECT_EQ(static_cast<uint32_t>(ld[0].imm), 0x23456789u);
  EXPECT_EQ(ld[1].imm, 1);
  r = run(l.get(), le, "2", kEnumvalValue, {t64.get()});
  ASSERT_TRUE(r->poison);
  bpf_insn ld2[3] = {};
  ld2[0].code = BPF_LD | BPF_IMM | BPF_DW;
  ld2[0].imm = 2;
  ld2[2].code = BPF_JMP | BPF_EXIT;
  ASSERT_TRUE(patch_insn(ld2, *r, ReloSite{"test", 0, 0}).ok());
  for (int i = 0; i < 2; i++) {
    EXPECT_EQ(ld2[i].code, BPF_JMP | BPF_CALL);
    EXPECT_EQ(ld2[i].imm, kPoisonHelperId);
  }
  EXPECT_EQ(ld2[2].code, BPF_JMP | BPF_EXIT);
  // Enum relocations on a non-enum are malformed.
  BtfPtr bad = empty();
  int bi = btf__add_int(bad.get(), "int", 4, BTF_INT_SIGNED);
  r = run(bad.get(), bi, "0", kEnumvalValue, {t.get()});
  EXPECT_FALSE(r.ok());
}

TEST(RelocPatch, ChecksWhatTheInstructionHolds) {
  Local l;
  auto r = run(l.b.get(), l.s, "0:2", kFieldByteOffset, {l.b.get()});
  ASSERT_TRUE(r.ok());
  bpf_insn add{};
  add.code = BPF_ALU64 | BPF_ADD | BPF_K;
  add.imm = 99;  // the compiler wrote 8
  auto p = patch_insn({&add, 1}, *r, ReloSite{"test", 0, 0});
  EXPECT_FALSE(p.ok());
  EXPECT_NE(p.message().find("expected 8"), std::string::npos) << p.message();
  add.code = BPF_ALU64 | BPF_ADD | BPF_X;
  EXPECT_FALSE(patch_insn({&add, 1}, *r, ReloSite{"test", 0, 0}).ok());
  bpf_insn jmp{};
  jmp.code = BPF_JMP | BPF_JA;
  EXPECT_FALSE(patch_insn({&jmp, 1}, *r, ReloSite{"test", 0, 0}).ok());
  EXPECT_FALSE(patch_insn({&jmp, 1}, *r, ReloSite{"test", 0, 5}).ok());  // past the end
  // Offsets that do not fit the 16-bit field.
  Resolution big = *r;
  big.new_val = 40000;
  bpf_insn ld{};
  ld.code = BPF_LDX | BPF_MEM | BPF_DW;
  ld.off = 8;
  EXPECT_EQ(patch_insn({&ld, 1}, big, ReloSite{"test", 0, 0}).error(), ERANGE);
}

TEST(ReloSpec, MalformedRecordsAreRefused) {
  Local l;
  for (const char* acc : {"", ":0", "0:x", "0:9", "0:0:0", "0::1", "99999999999"}) {
    auto r = run(l.b.get(), l.s, acc, kFieldByteOffset, {l.b.get()});
    EXPECT_FALSE(r.ok()) << acc;
  }
  auto r = run(l.b.get(), l.s, "0:1", kTypeExists, {l.b.get()});
  EXPECT_FALSE(r.ok());  // type relocations take "0"
  r = run(l.b.get(), 999, "0:1", kFieldByteOffset, {});
  EXPECT_FALSE(r.ok());
  r = run(l.b.get(), l.s, "0:1", 77, {});
  EXPECT_FALSE(r.ok());
  // Anonymous roots cannot be searched for.
  BtfPtr a = empty();
  int ai = btf__add_int(a.get(), "int", 4, BTF_INT_SIGNED);
  int as = btf__add_struct(a.get(), nullptr, 4);
  btf__add_field(a.get(), "v", ai, 0, 0);
  r = run(a.get(), as, "0:0", kFieldByteOffset, {});
  EXPECT_FALSE(r.ok());
}

TEST(ReloCandidates, SplitBtfIsSearchedFromItsOwnTypes) {
  // A module's BTF is split over vmlinux: its candidates are its own types,
  // after the base's ids.
  BtfPtr base = empty();
  int bi = btf__add_int(base.get(), "int", 4, BTF_INT_SIGNED);
  btf__add_struct(base.get(), "in_base", 4);
  btf__add_field(base.get(), "v", bi, 0, 0);
  BtfPtr mod(btf__new_empty_split(base.get()));
  int ms = btf__add_struct(mod.get(), "in_module", 8);
  btf__add_field(mod.get(), "pad", bi, 0, 0);
  btf__add_field(mod.get(), "v", bi, 32, 0);
  BtfPtr l = empty();
  int li = btf__add_int(l.get(), "int", 4, BTF_INT_SIGNED);
  int ls = btf__add_struct(l.get(), "in_module", 4);
  btf__add_field(l.get(), "v", li, 0, 0);
  const uint32_t start = btf__type_cnt(base.get());
  NameIndex base_idx(*base, 1), mod_idx(*mod, start);
  std::vector<Candidate> c;
  ASSERT_EQ(add_candidates(*l, ls, Target{base.get(), "vmlinux", 1, &base_idx}, c), 0);
  EXPECT_TRUE(c.empty());
  ASSERT_EQ(add_candidates(*l, ls, Target{mod.get(), "mod", start, &mod_idx}, c), 0);
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0].id, static_cast<uint32_t>(ms));
  EXPECT_EQ(c[0].btf_name, "mod");
  bpfxx::btf::CoreRelo rec{0, static_cast<uint32_t>(ls), static_cast<uint32_t>(btf__add_str(l.get(), "0:0")),
                           kFieldByteOffset};
  auto r = resolve(*l, rec, c, ReloSite{"test", 0, 0});
  ASSERT_TRUE(r.ok()) << r.message();
  EXPECT_EQ(r->new_val, 4u);
  // The same by scanning, without an index.
  c.clear();
  ASSERT_EQ(add_candidates(*l, ls, Target{mod.get(), "mod", start, nullptr}, c), 0);
  ASSERT_EQ(c.size(), 1u);
  // Base types are not the module's candidates.
  c.clear();
  int lb = btf__add_struct(l.get(), "in_base", 4);
  btf__add_field(l.get(), "v", li, 0, 0);
  ASSERT_EQ(add_candidates(*l, lb, Target{mod.get(), "mod", start, &mod_idx}, c), 0);
  EXPECT_TRUE(c.empty());
}

TEST(ReloRobustness, RandomRecordsNeverCrash) {
  // Every kind, every type id, random access paths, against a target with
  // arrays, flexible arrays, anonymous members, bitfields and enums: each
  // either resolves or fails cleanly (the ASan build checks the rest).
  auto build = [](struct btf* b, uint32_t shift) {
    int i = btf__add_int(b, "int", 4, BTF_INT_SIGNED);
    int u = btf__add_int(b, "unsigned char", 1, 0);
    int e = btf__add_enum(b, "en", 4);
    btf__add_enum_value(b, "A", 1);
    btf__add_enum_value(b, "B___x", -2);
    int arr = btf__add_array(b, i, i, 3);
    int flex = btf__add_array(b, i, u, 0);
    int anon = btf__add_union(b, nullptr, 8);
    btf__add_field(b, "ua", i, 0, 0);
    btf__add_field(b, "ub", arr, 0, 0);
    int s = btf__add_struct(b, "rs", 64);
    btf__add_field(b, "f0", i, shift, 0);
    btf__add_field(b, "bits", u, 40 + shift, 3);
    btf__add_field(b, nullptr, anon, 64 + shift, 0);
    btf__add_field(b, "en", e, 192, 0);
    btf__add_field(b, "self", btf__add_ptr(b, s), 256, 0);
    btf__add_field(b, "tail", flex, 320, 0);
    btf__add_typedef(b, "rs_t", s);
    btf__add_const(b, s);
  };
  BtfPtr l = empty(), t = empty();
  build(l.get(), 0);
  build(t.get(), 8);
  std::mt19937 rng(7);
  libbpf_print_fn_t prev = libbpf_set_print(nullptr);
  int ok = 0;
  for (int iter = 0; iter < 20000; iter++) {
    std::string acc = std::to_string(rng() % 3);
    const int depth = static_cast<int>(rng() % 5);
    for (int d = 0; d < depth; d++) acc += ":" + std::to_string(rng() % 8);
    const uint32_t kind = rng() % 14;
    const uint32_t id = rng() % (btf__type_cnt(l.get()) + 1);
    auto r = run(l.get(), id, acc.c_str(), kind, {t.get()});
    if (!r.ok()) continue;
    ok++;
    bpf_insn insns[3] = {};
    insns[0].code = static_cast<uint8_t>(rng());
    insns[0].imm = static_cast<int32_t>(r->orig_val);
    (void)patch_insn(insns, *r, ReloSite{"test", 0, static_cast<uint32_t>(rng() % 3)});
  }
  libbpf_set_print(prev);
  EXPECT_GT(ok, 500);
}

TEST(ReloNameIndex, FindsEveryNamesakeAcrossFlavors) {
  BtfPtr t = empty();
  int ti = btf__add_int(t.get(), "int", 4, BTF_INT_SIGNED);
  std::vector<int> want;
  for (int i = 0; i < 2000; i++) {
    const std::string n = "type" + std::to_string(i % 500) + (i >= 500 ? "___f" + std::to_string(i) : "");
    int id = btf__add_struct(t.get(), n.c_str(), 4);
    btf__add_field(t.get(), "v", ti, 0, 0);
    if (i % 500 == 7) want.push_back(id);
  }
  NameIndex idx(*t, 1);
  std::vector<int> got;
  idx.for_each("type7", [&](uint32_t id) {
    got.push_back(static_cast<int>(id));
    return true;
  });
  EXPECT_EQ(got, want);
}

}  // namespace
