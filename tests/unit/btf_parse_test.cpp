// Parsing raw BTF: hand-built blobs of every kind, every class of
// malformation (each rejected with a message naming the type id), both
// byte orders, hdr_len beyond 24, the layout section, and split BTF.
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "log_capture.h"

#include <gtest/gtest.h>

#include <cerrno>
#include <cstdarg>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

namespace {

// ---- a hand builder for raw blobs (any content, valid or not) --------------

struct Blob {
  std::vector<uint32_t> types;  // words of the type section
  std::string strs = std::string(1, '\0');
  uint32_t hdr_len = 24;
  std::vector<uint8_t> hdr_extra;  // bytes after the 24-byte header

  uint32_t str(const char* s) {
    uint32_t off = static_cast<uint32_t>(strs.size());
    strs += s;
    strs.push_back('\0');
    return off;
  }
  static uint32_t info(uint32_t kind, uint32_t vlen, bool kflag = false) {
    return (kflag ? 0x80000000u : 0) | (kind << 24) | vlen;
  }
  void words(std::initializer_list<uint32_t> w) { types.insert(types.end(), w); }
  std::vector<uint8_t> bytes(bool swap = false) const {
    btf_header h{};
    h.magic = BTF_MAGIC;
    h.version = BTF_VERSION;
    h.hdr_len = hdr_len;
    h.type_off = 0;
    h.type_len = static_cast<uint32_t>(types.size() * 4);
    h.str_off = h.type_len;
    h.str_len = static_cast<uint32_t>(strs.size());
    std::vector<uint8_t> out(hdr_len + h.type_len + h.str_len);
    std::memcpy(out.data(), &h, 24);
    for (size_t i = 0; i < hdr_extra.size() && 24 + i < hdr_len; i++) out[24 + i] = hdr_extra[i];
    std::memcpy(out.data() + hdr_len, types.data(), h.type_len);
    std::memcpy(out.data() + hdr_len + h.type_len, strs.data(), h.str_len);
    if (swap) {
      auto sw = [&](size_t off) {
        uint32_t v;
        std::memcpy(&v, out.data() + off, 4);
        v = __builtin_bswap32(v);
        std::memcpy(out.data() + off, &v, 4);
      };
      uint16_t m = __builtin_bswap16(BTF_MAGIC);
      std::memcpy(out.data(), &m, 2);
      for (size_t off = 4; off < 24; off += 4) sw(off);
      for (size_t i = 0; i < types.size(); i++) sw(hdr_len + i * 4);
    }
    return out;
  }
};


class BtfParse : public testing::Test {
 protected:
  // Expects parsing to fail with EINVAL and a message naming "[id]".
  void expect_rejected(const Blob& b, uint32_t id, const char* words = nullptr) {
    auto raw = b.bytes();
    errno = 0;
    struct btf* btf = btf__new(raw.data(), static_cast<__u32>(raw.size()));
    EXPECT_EQ(btf, nullptr);
    EXPECT_EQ(errno, EINVAL);
    btf__free(btf);
    std::string tag = "[" + std::to_string(id) + "]";
    EXPECT_NE(log_.find(tag), std::string::npos) << "log: " << log_;
    if (words != nullptr) {
      EXPECT_NE(log_.find(words), std::string::npos) << "log: " << log_;
    }
  }
  bpfxx::test::LogCapture capture_;
  std::string& log_ = capture_.text;
};

// A blob with one type of every kind (ids in comments).
Blob every_kind() {
  Blob b;
  b.words({b.str("int"), Blob::info(BTF_KIND_INT, 0), 4, (BTF_INT_SIGNED << 24) | 32});  // 1
  b.words({0, Blob::info(BTF_KIND_PTR, 0), 1});                                          // 2
  b.words({0, Blob::info(BTF_KIND_ARRAY, 0), 0, 1, 1, 10});                              // 3
  b.words({b.str("s"), Blob::info(BTF_KIND_STRUCT, 2, true), 8,                          // 4
           b.str("a"), 1, 0, b.str("b"), 1, (3u << 24) | 32});
  b.words({b.str("u"), Blob::info(BTF_KIND_UNION, 1), 4, b.str("x"), 1, 0});             // 5
  b.words({b.str("e"), Blob::info(BTF_KIND_ENUM, 2), 4, b.str("A"), 0, b.str("B"), 1});  // 6
  b.words({b.str("fw"), Blob::info(BTF_KIND_FWD, 0, true), 0});                          // 7
  b.words({b.str("td"), Blob::info(BTF_KIND_TYPEDEF, 0), 1});                            // 8
  b.words({0, Blob::info(BTF_KIND_VOLATILE, 0), 1});                                     // 9
  b.words({0, Blob::info(BTF_KIND_CONST, 0), 1});                                        // 10
  b.words({0, Blob::info(BTF_KIND_RESTRICT, 0), 2});                                     // 11
  b.words({0, Blob::info(BTF_KIND_FUNC_PROTO, 2), 1, b.str("p"), 1, 0, 0});              // 12
  b.words({b.str("f"), Blob::info(BTF_KIND_FUNC, BTF_FUNC_GLOBAL), 12});                 // 13
  b.words({b.str("v"), Blob::info(BTF_KIND_VAR, 0), 1, BTF_VAR_GLOBAL_ALLOCATED});       // 14
  b.words({b.str(".data"), Blob::info(BTF_KIND_DATASEC, 1), 4, 14, 0, 4});               // 15
  b.words({b.str("double"), Blob::info(BTF_KIND_FLOAT, 0), 8});                          // 16
  b.words({b.str("tag"), Blob::info(BTF_KIND_DECL_TAG, 0), 4, 1});                       // 17
  b.words({b.str("user"), Blob::info(BTF_KIND_TYPE_TAG, 0), 1});                         // 18
  b.words({b.str("e64"), Blob::info(BTF_KIND_ENUM64, 1, true), 8, b.str("BIG"), 1, 2});  // 19
  return b;
}

TEST_F(BtfParse, EveryKindParsesAndQueries) {
  auto raw = every_kind().bytes();
  struct btf* btf = btf__new(raw.data(), static_cast<__u32>(raw.size()));
  ASSERT_NE(btf, nullptr) << log_;
  EXPECT_EQ(btf__type_cnt(btf), 20u);
  const __u16 kinds[] = {BTF_KIND_INT,      BTF_KIND_PTR,        BTF_KIND_ARRAY,
                         BTF_KIND_STRUCT,   BTF_KIND_UNION,      BTF_KIND_ENUM,
                         BTF_KIND_FWD,      BTF_KIND_TYPEDEF,    BTF_KIND_VOLATILE,
                         BTF_KIND_CONST,    BTF_KIND_RESTRICT,   BTF_KIND_FUNC_PROTO,
                         BTF_KIND_FUNC,     BTF_KIND_VAR,        BTF_KIND_DATASEC,
                         BTF_KIND_FLOAT,    BTF_KIND_DECL_TAG,   BTF_KIND_TYPE_TAG,
                         BTF_KIND_ENUM64};
  for (__u32 id = 1; id < 20; id++) {
    const btf_type* t = btf__type_by_id(btf, id);
    ASSERT_NE(t, nullptr);
    EXPECT_EQ(btf_kind(t), kinds[id - 1]) << id;
  }
  EXPECT_EQ(btf__type_by_id(btf, 20), nullptr);
  EXPECT_EQ(errno, EINVAL);
  EXPECT_TRUE(btf_is_void(btf__type_by_id(btf, 0)));
  EXPECT_EQ(btf__find_by_name(btf, "s"), 4);
  EXPECT_EQ(btf__find_by_name_kind(btf, "s", BTF_KIND_UNION), -ENOENT);
  EXPECT_EQ(btf__find_by_name_kind(btf, "u", BTF_KIND_UNION), 5);
  EXPECT_EQ(btf__find_by_name(btf, "void"), 0);
  EXPECT_EQ(btf__find_by_name(btf, "nope"), -ENOENT);
  EXPECT_EQ(btf__resolve_size(btf, 3), 40);   // int[10]
  EXPECT_EQ(btf__resolve_size(btf, 8), 4);    // typedef int
  EXPECT_EQ(btf__resolve_size(btf, 14), 4);   // var int
  EXPECT_EQ(btf__resolve_size(btf, 13), -EINVAL);  // func has no size
  EXPECT_EQ(btf__resolve_type(btf, 10), 1);   // const int -> int
  EXPECT_EQ(btf__resolve_type(btf, 18), 1);   // type tag -> int
  EXPECT_EQ(btf__resolve_type(btf, 7), -EINVAL);  // a forward declaration is void-like
  EXPECT_EQ(btf__align_of(btf, 4), 4);
  const btf_type* s = btf__type_by_id(btf, 4);
  EXPECT_EQ(btf_member_bit_offset(s, 1), 32u);
  EXPECT_EQ(btf_member_bitfield_size(s, 1), 3u);
  const btf_type* e64 = btf__type_by_id(btf, 19);
  EXPECT_EQ(btf_enum64_value(btf_enum64(e64)), 0x200000001ull);
  const btf_type* tag = btf__type_by_id(btf, 17);
  EXPECT_STREQ(btf__name_by_offset(btf, tag->name_off), "tag");
  EXPECT_EQ(btf_decl_tag(tag)->component_idx, 1);
  EXPECT_EQ(btf__name_by_offset(btf, 100000), nullptr);
  EXPECT_EQ(btf__pointer_size(btf), 0u) << "no 'long' to guess from";
  btf__free(btf);
}

TEST_F(BtfParse, RawDataOfUnmodifiedObjectIsTheInput) {
  auto raw = every_kind().bytes();
  struct btf* btf = btf__new(raw.data(), static_cast<__u32>(raw.size()));
  ASSERT_NE(btf, nullptr);
  __u32 size = 0;
  const void* out = btf__raw_data(btf, &size);
  ASSERT_NE(out, nullptr);
  ASSERT_EQ(size, raw.size());
  EXPECT_EQ(std::memcmp(out, raw.data(), size), 0);
  btf__free(btf);
}

TEST_F(BtfParse, BigEndianBlobIsReadAndWrittenBack) {
  Blob b = every_kind();
  auto le = b.bytes(false);
  auto be = b.bytes(true);
  struct btf* btf = btf__new(be.data(), static_cast<__u32>(be.size()));
  ASSERT_NE(btf, nullptr) << log_;
  EXPECT_EQ(btf__endianness(btf), BTF_BIG_ENDIAN);
  EXPECT_EQ(btf__find_by_name_kind(btf, "e64", BTF_KIND_ENUM64), 19);
  EXPECT_EQ(btf__resolve_size(btf, 3), 40);
  __u32 size = 0;
  const void* out = btf__raw_data(btf, &size);
  ASSERT_EQ(size, be.size());
  EXPECT_EQ(std::memcmp(out, be.data(), size), 0) << "written back in its own byte order";
  ASSERT_EQ(btf__set_endianness(btf, BTF_LITTLE_ENDIAN), 0);
  out = btf__raw_data(btf, &size);
  ASSERT_EQ(size, le.size());
  EXPECT_EQ(std::memcmp(out, le.data(), size), 0);
  EXPECT_EQ(btf__set_endianness(btf, static_cast<enum btf_endianness>(7)), -EINVAL);
  btf__free(btf);
}

TEST_F(BtfParse, LongerHeaderWithZeroTailIsAccepted) {
  Blob b = every_kind();
  b.hdr_len = 40;  // a future header: unknown fields, all zero
  auto raw = b.bytes();
  struct btf* btf = btf__new(raw.data(), static_cast<__u32>(raw.size()));
  ASSERT_NE(btf, nullptr) << log_;
  EXPECT_EQ(btf__type_cnt(btf), 20u);
  btf__free(btf);
}

TEST_F(BtfParse, LongerHeaderWithUnknownNonZeroFieldIsRejected) {
  Blob b = every_kind();
  b.hdr_len = 40;
  b.hdr_extra.assign(16, 0);
  b.hdr_extra[12] = 1;  // byte 36: beyond the fields we know
  auto raw = b.bytes();
  EXPECT_EQ(btf__new(raw.data(), static_cast<__u32>(raw.size())), nullptr);
  EXPECT_NE(log_.find("unknown non-zero"), std::string::npos) << log_;
}

// ---- header and section malformations ------------------------------------

TEST_F(BtfParse, TooSmall) {
  uint8_t tiny[8] = {0x9f, 0xeb, 1, 0, 24, 0, 0, 0};
  EXPECT_EQ(btf__new(tiny, sizeof tiny), nullptr);
  EXPECT_EQ(errno, EINVAL);
}

TEST_F(BtfParse, BadMagic) {
  auto raw = every_kind().bytes();
  raw[0] = 0x12;
  EXPECT_EQ(btf__new(raw.data(), static_cast<__u32>(raw.size())), nullptr);
  EXPECT_NE(log_.find("magic"), std::string::npos);
}

TEST_F(BtfParse, BadVersionAndFlags) {
  auto raw = every_kind().bytes();
  raw[2] = 2;
  EXPECT_EQ(btf__new(raw.data(), static_cast<__u32>(raw.size())), nullptr);
  raw[2] = 1;
  raw[3] = 1;
  EXPECT_EQ(btf__new(raw.data(), static_cast<__u32>(raw.size())), nullptr);
}

TEST_F(BtfParse, HeaderLengthBeyondBlob) {
  Blob b = every_kind();
  auto raw = b.bytes();
  uint32_t big = static_cast<uint32_t>(raw.size() + 1);
  std::memcpy(raw.data() + 4, &big, 4);
  EXPECT_EQ(btf__new(raw.data(), static_cast<__u32>(raw.size())), nullptr);
  EXPECT_NE(log_.find("header length"), std::string::npos);
}

TEST_F(BtfParse, SectionOutsideBlob) {
  auto raw = every_kind().bytes();
  uint32_t len;
  std::memcpy(&len, raw.data() + 20, 4);  // str_len
  len += 1;
  std::memcpy(raw.data() + 20, &len, 4);
  EXPECT_EQ(btf__new(raw.data(), static_cast<__u32>(raw.size())), nullptr);
  EXPECT_NE(log_.find("outside"), std::string::npos);
}

TEST_F(BtfParse, OverlappingSections) {
  auto raw = every_kind().bytes();
  uint32_t off = 4;  // str_off inside the type section
  std::memcpy(raw.data() + 16, &off, 4);
  uint32_t len = 8;
  std::memcpy(raw.data() + 20, &len, 4);
  EXPECT_EQ(btf__new(raw.data(), static_cast<__u32>(raw.size())), nullptr);
}

TEST_F(BtfParse, StringSectionMustStartEmptyAndEndWithNul) {
  Blob b = every_kind();
  b.strs[0] = 'x';
  auto raw = b.bytes();
  EXPECT_EQ(btf__new(raw.data(), static_cast<__u32>(raw.size())), nullptr);
  Blob c = every_kind();
  c.strs.back() = 'x';
  raw = c.bytes();
  EXPECT_EQ(btf__new(raw.data(), static_cast<__u32>(raw.size())), nullptr);
  EXPECT_NE(log_.find("NUL"), std::string::npos);
}

TEST_F(BtfParse, MisalignedTypeSection) {
  Blob b = every_kind();
  auto raw = b.bytes();
  uint32_t len;
  std::memcpy(&len, raw.data() + 12, 4);
  len -= 2;
  std::memcpy(raw.data() + 12, &len, 4);
  EXPECT_EQ(btf__new(raw.data(), static_cast<__u32>(raw.size())), nullptr);
  EXPECT_NE(log_.find("aligned"), std::string::npos);
}

// ---- per-type malformations (each names the type id) ---------------------

TEST_F(BtfParse, TruncatedRecord) {
  Blob b;
  b.words({b.str("int"), Blob::info(BTF_KIND_INT, 0), 4, 32});
  b.words({b.str("s"), Blob::info(BTF_KIND_STRUCT, 3), 4, 0, 1, 0});  // 3 members, 1 present
  expect_rejected(b, 2, "past the end");
}

TEST_F(BtfParse, UnknownKind) {
  Blob b;
  b.words({0, Blob::info(25, 0), 0});
  expect_rejected(b, 1, "unknown kind");
}

TEST_F(BtfParse, VoidKindInTypeSection) {
  Blob b;
  b.words({0, Blob::info(BTF_KIND_UNKN, 0), 0});
  expect_rejected(b, 1);
}

TEST_F(BtfParse, BadNameOffset) {
  Blob b;
  b.words({9999, Blob::info(BTF_KIND_INT, 0), 4, 32});
  expect_rejected(b, 1, "string offset");
}

TEST_F(BtfParse, BadMemberNameOffset) {
  Blob b;
  b.words({b.str("int"), Blob::info(BTF_KIND_INT, 0), 4, 32});
  b.words({b.str("s"), Blob::info(BTF_KIND_STRUCT, 1), 4, 7777, 1, 0});
  expect_rejected(b, 2, "string offset 7777");
}

TEST_F(BtfParse, ReferencedTypeIdOutOfRange) {
  Blob b;
  b.words({0, Blob::info(BTF_KIND_PTR, 0), 5});
  expect_rejected(b, 1, "type id 5");
}

TEST_F(BtfParse, MemberTypeOutOfRange) {
  Blob b;
  b.words({b.str("s"), Blob::info(BTF_KIND_STRUCT, 1), 4, b.str("m"), 42, 0});
  expect_rejected(b, 1, "type id 42");
}

TEST_F(BtfParse, BadIntSize) {
  Blob b;
  b.words({b.str("int"), Blob::info(BTF_KIND_INT, 0), 3, 24});
  expect_rejected(b, 1, "invalid size");
}

TEST_F(BtfParse, IntBitsDoNotFit) {
  Blob b;
  b.words({b.str("int"), Blob::info(BTF_KIND_INT, 0), 4, 40});
  expect_rejected(b, 1, "do not fit");
}

TEST_F(BtfParse, MemberOutsideStruct) {
  Blob b;
  b.words({b.str("int"), Blob::info(BTF_KIND_INT, 0), 4, 32});
  b.words({b.str("s"), Blob::info(BTF_KIND_STRUCT, 1), 4, b.str("m"), 1, 64});
  expect_rejected(b, 2, "outside");
}

TEST_F(BtfParse, FuncMustPointAtProto) {
  Blob b;
  b.words({b.str("int"), Blob::info(BTF_KIND_INT, 0), 4, 32});
  b.words({b.str("f"), Blob::info(BTF_KIND_FUNC, 0), 1});
  expect_rejected(b, 2, "func_proto");
}

TEST_F(BtfParse, FuncBadLinkage) {
  Blob b;
  b.words({0, Blob::info(BTF_KIND_FUNC_PROTO, 0), 0});
  b.words({b.str("f"), Blob::info(BTF_KIND_FUNC, 7), 1});
  expect_rejected(b, 2, "linkage");
}

TEST_F(BtfParse, VoidParamNotLast) {
  Blob b;
  b.words({b.str("int"), Blob::info(BTF_KIND_INT, 0), 4, 32});
  b.words({0, Blob::info(BTF_KIND_FUNC_PROTO, 2), 1, 0, 0, b.str("x"), 1});
  expect_rejected(b, 2, "vararg");
}

TEST_F(BtfParse, VarBadLinkage) {
  Blob b;
  b.words({b.str("int"), Blob::info(BTF_KIND_INT, 0), 4, 32});
  b.words({b.str("v"), Blob::info(BTF_KIND_VAR, 0), 1, 9});
  expect_rejected(b, 2, "linkage");
}

TEST_F(BtfParse, DatasecEntryNotAVar) {
  Blob b;
  b.words({b.str("int"), Blob::info(BTF_KIND_INT, 0), 4, 32});
  b.words({b.str(".data"), Blob::info(BTF_KIND_DATASEC, 1), 4, 1, 0, 4});
  expect_rejected(b, 2, "not a var");
}

TEST_F(BtfParse, DatasecEntryOutsideSection) {
  Blob b;
  b.words({b.str("int"), Blob::info(BTF_KIND_INT, 0), 4, 32});
  b.words({b.str("v"), Blob::info(BTF_KIND_VAR, 0), 1, 1});
  b.words({b.str(".data"), Blob::info(BTF_KIND_DATASEC, 1), 4, 2, 2, 4});
  expect_rejected(b, 3, "outside");
}

TEST_F(BtfParse, DeclTagComponentOutOfRange) {
  Blob b;
  b.words({b.str("int"), Blob::info(BTF_KIND_INT, 0), 4, 32});
  b.words({b.str("s"), Blob::info(BTF_KIND_STRUCT, 1), 4, b.str("m"), 1, 0});
  b.words({b.str("tag"), Blob::info(BTF_KIND_DECL_TAG, 0), 2, 3});
  expect_rejected(b, 3, "component index");
}

TEST_F(BtfParse, BadEnumSize) {
  Blob b;
  b.words({b.str("e"), Blob::info(BTF_KIND_ENUM, 0), 3});
  expect_rejected(b, 1, "invalid size");
}

TEST_F(BtfParse, BadFloatSize) {
  Blob b;
  b.words({b.str("f"), Blob::info(BTF_KIND_FLOAT, 0), 5});
  expect_rejected(b, 1, "invalid size");
}

TEST_F(BtfParse, LoopInTypeChain) {
  Blob b;
  b.words({b.str("a"), Blob::info(BTF_KIND_TYPEDEF, 0), 2});  // 1 -> 2
  b.words({0, Blob::info(BTF_KIND_CONST, 0), 3});             // 2 -> 3
  b.words({0, Blob::info(BTF_KIND_VOLATILE, 0), 1});          // 3 -> 1
  expect_rejected(b, 1, "loops");
}

TEST_F(BtfParse, LoopThroughArray) {
  Blob b;
  b.words({b.str("int"), Blob::info(BTF_KIND_INT, 0), 4, 32});
  b.words({0, Blob::info(BTF_KIND_ARRAY, 0), 0, 2, 1, 4});  // 2: elem 2
  expect_rejected(b, 2, "loops");
}

TEST_F(BtfParse, SelfPointerIsFine) {
  Blob b;
  b.words({0, Blob::info(BTF_KIND_PTR, 0), 1});  // void *p; p = &p style
  auto raw = b.bytes();
  struct btf* btf = btf__new(raw.data(), static_cast<__u32>(raw.size()));
  ASSERT_NE(btf, nullptr) << log_;
  EXPECT_EQ(btf__resolve_size(btf, 1), static_cast<__s64>(sizeof(void*)));
  btf__free(btf);
}

// ---- split BTF ------------------------------------------------------------

TEST_F(BtfParse, SplitContinuesIdsAndStrings) {
  auto base_raw = every_kind().bytes();
  struct btf* base = btf__new(base_raw.data(), static_cast<__u32>(base_raw.size()));
  ASSERT_NE(base, nullptr);
  const __u32 base_cnt = btf__type_cnt(base);
  __u32 base_str_len;
  std::memcpy(&base_str_len, base_raw.data() + 20, 4);

  // Split: a struct using base "int" (id 1) and base string "int".
  Blob s;
  s.strs.clear();
  auto sstr = [&](const char* v) {
    uint32_t off = base_str_len + static_cast<uint32_t>(s.strs.size());
    s.strs += v;
    s.strs.push_back('\0');
    return off;
  };
  const uint32_t name = sstr("split_s");
  const uint32_t m = sstr("m");
  s.words({name, Blob::info(BTF_KIND_STRUCT, 1), 4, m, 1, 0});
  s.words({0, Blob::info(BTF_KIND_PTR, 0), base_cnt});  // ptr to the split struct
  auto raw = s.bytes();
  struct btf* split = btf__new_split(raw.data(), static_cast<__u32>(raw.size()), base);
  ASSERT_NE(split, nullptr) << log_;
  EXPECT_EQ(btf__base_btf(split), base);
  EXPECT_EQ(btf__type_cnt(split), base_cnt + 2);
  EXPECT_EQ(btf__find_by_name(split, "split_s"), static_cast<__s32>(base_cnt));
  EXPECT_EQ(btf__find_by_name(split, "s"), 4) << "base types are found through split BTF";
  EXPECT_EQ(btf__resolve_size(split, base_cnt), 4);
  EXPECT_STREQ(btf__name_by_offset(split, 1), "int");
  EXPECT_STREQ(btf__name_by_offset(split, name), "split_s");

  // Build more on top, write out and read back: same bytes.
  int id = btf__add_typedef(split, "split_td", static_cast<int>(base_cnt));
  EXPECT_EQ(id, static_cast<int>(base_cnt + 2));
  EXPECT_EQ(btf__add_str(split, "int"), 1) << "base strings are reused";
  __u32 size;
  const void* out = btf__raw_data(split, &size);
  ASSERT_NE(out, nullptr);
  struct btf* again = btf__new_split(out, size, base);
  ASSERT_NE(again, nullptr) << log_;
  __u32 size2;
  const void* out2 = btf__raw_data(again, &size2);
  ASSERT_EQ(size, size2);
  EXPECT_EQ(std::memcmp(out, out2, size), 0);
  EXPECT_EQ(btf__find_by_name_kind(again, "split_td", BTF_KIND_TYPEDEF), id);
  btf__free(again);
  btf__free(split);
  btf__free(base);
}

TEST_F(BtfParse, SplitReferenceBeyondEndIsRejected) {
  auto base_raw = every_kind().bytes();
  struct btf* base = btf__new(base_raw.data(), static_cast<__u32>(base_raw.size()));
  ASSERT_NE(base, nullptr);
  Blob s;
  s.strs.clear();
  s.words({0, Blob::info(BTF_KIND_PTR, 0), 21});  // id 20 is the only split type
  auto raw = s.bytes();
  EXPECT_EQ(btf__new_split(raw.data(), static_cast<__u32>(raw.size()), base), nullptr);
  EXPECT_NE(log_.find("[20]"), std::string::npos) << log_;
  btf__free(base);
}

// ---- NULL arguments --------------------------------------------------------

TEST_F(BtfParse, NullArgumentsFailCleanly) {
  btf__free(nullptr);
  btf_ext__free(nullptr);
  EXPECT_EQ(btf__new(nullptr, 10), nullptr);
  EXPECT_EQ(errno, EINVAL);
  EXPECT_EQ(btf__find_by_name(nullptr, "x"), -EINVAL);
  EXPECT_EQ(btf__type_by_id(nullptr, 1), nullptr);
  EXPECT_EQ(btf__raw_data(nullptr, nullptr), nullptr);
  EXPECT_EQ(btf__parse(nullptr, nullptr), nullptr);
  EXPECT_EQ(btf__parse_raw("/nonexistent/btf"), nullptr);
  EXPECT_EQ(errno, ENOENT);
  EXPECT_EQ(btf__add_int(nullptr, "int", 4, 0), -EINVAL);
}

}  // namespace
