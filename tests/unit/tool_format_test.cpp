// `bpfxx map` input and output: bpftool-style byte arguments, hex rendering
// and the BTF-typed JSON of map elements.
#include "btf_json.h"
#include "byte_args.h"

#include <bpf/btf.h>
#include <gtest/gtest.h>

#include <cstring>
#include <memory>
#include <string>
#include <vector>

namespace {

using bpfxx::tool::parse_bytes;

std::vector<uint8_t> bytes_of(const std::vector<std::string>& args, size_t want, std::string* error = nullptr,
                              size_t* end = nullptr) {
  size_t pos = 0;
  std::vector<uint8_t> out;
  std::string e;
  bool ok = parse_bytes(args, &pos, {"value"}, want, "key", &out, &e);
  if (error != nullptr) *error = ok ? "" : e;
  if (end != nullptr) *end = pos;
  return ok ? out : std::vector<uint8_t>{};
}

TEST(ToolByteArgs, DecimalHexAndOctalWords) {
  EXPECT_EQ(bytes_of({"1", "0x1f", "010", "255"}, 4), (std::vector<uint8_t>{1, 0x1f, 8, 255}));
  size_t end = 0;
  EXPECT_EQ(bytes_of({"hex", "01", "ff", "0a", "value", "1"}, 3, nullptr, &end), (std::vector<uint8_t>{1, 255, 10}));
  EXPECT_EQ(end, 4u) << "parsing stops at the next keyword";
  EXPECT_EQ(bytes_of({"hex", "0102", "03", "0x04"}, 4), (std::vector<uint8_t>{1, 2, 3, 4}));
}

TEST(ToolByteArgs, BadBytesAndWrongCountsAreNamed) {
  std::string error;
  bytes_of({"256"}, 1, &error);
  EXPECT_NE(error.find("bad byte '256' in key"), std::string::npos) << error;
  bytes_of({"-1"}, 1, &error);
  EXPECT_NE(error.find("bad byte '-1'"), std::string::npos) << error;
  bytes_of({"hex", "1"}, 1, &error);
  EXPECT_NE(error.find("bad hex byte '1'"), std::string::npos) << error;
  bytes_of({"hex", "zz"}, 1, &error);
  EXPECT_NE(error.find("bad hex byte 'zz'"), std::string::npos) << error;
  bytes_of({"1", "2"}, 4, &error);
  EXPECT_EQ(error, "key has 2 bytes, the map needs 4");
  bytes_of({}, 1, &error);
  EXPECT_EQ(error, "key has 0 bytes, the map needs 1");
}

TEST(ToolByteArgs, HexRendering) {
  const uint8_t b[] = {0, 0x1f, 0xff};
  EXPECT_EQ(bpfxx::tool::hex_bytes(b, 3), "00 1f ff");
  EXPECT_EQ(bpfxx::tool::hex_bytes(b, 0), "");
}

struct BtfDeleter {
  void operator()(btf* b) const { btf__free(b); }
};

std::string to_json(const btf* b, uint32_t id, const void* data, size_t size, int* err = nullptr) {
  bpfxx::tool::JsonWriter w(false);
  int e = bpfxx::tool::btf_value_json(b, id, static_cast<const uint8_t*>(data), size, w);
  if (err != nullptr) *err = e;
  return e == 0 ? w.text() : "<error " + std::to_string(e) + ">";
}

TEST(ToolBtfJson, StructWithNamedFields) {
  std::unique_ptr<btf, BtfDeleter> b(btf__new_empty());
  ASSERT_TRUE(b);
  const int u32 = btf__add_int(b.get(), "unsigned int", 4, 0);
  const int s16 = btf__add_int(b.get(), "short", 2, BTF_INT_SIGNED);
  const int chr = btf__add_int(b.get(), "char", 1, BTF_INT_CHAR);
  const int boolean = btf__add_int(b.get(), "_Bool", 1, BTF_INT_BOOL);
  const int label = btf__add_array(b.get(), u32, chr, 6);
  const int color = btf__add_enum(b.get(), "color", 4);
  ASSERT_EQ(btf__add_enum_value(b.get(), "RED", 1), 0);
  ASSERT_EQ(btf__add_enum_value(b.get(), "GREEN", 2), 0);
  const int nums = btf__add_array(b.get(), u32, s16, 2);
  const int val = btf__add_struct(b.get(), "val", 24);
  ASSERT_GT(val, 0);
  ASSERT_EQ(btf__add_field(b.get(), "count", u32, 0, 0), 0);
  ASSERT_EQ(btf__add_field(b.get(), "delta", s16, 32, 0), 0);
  ASSERT_EQ(btf__add_field(b.get(), "label", label, 48, 0), 0);
  ASSERT_EQ(btf__add_field(b.get(), "color", color, 96, 0), 0);
  ASSERT_EQ(btf__add_field(b.get(), "flag", boolean, 128, 0), 0);
  ASSERT_EQ(btf__add_field(b.get(), "low", u32, 136, 3), 0);  // bitfield: 3 bits at bit 136
  ASSERT_EQ(btf__add_field(b.get(), "pair", nums, 144, 0), 0);

  uint8_t data[24] = {};
  const uint32_t count = 7;
  const int16_t delta = -2;
  std::memcpy(data, &count, 4);
  std::memcpy(data + 4, &delta, 2);
  std::memcpy(data + 6, "xdp", 4);
  const uint32_t green = 2;
  std::memcpy(data + 12, &green, 4);
  data[16] = 1;
  data[17] = 0xfd;  // low 3 bits: 5
  const int16_t pair[2] = {-1, 300};
  std::memcpy(data + 18, pair, 4);
  EXPECT_EQ(to_json(b.get(), val, data, sizeof(data)),
            R"({"count":7,"delta":-2,"label":"xdp","color":"GREEN","flag":true,"low":5,"pair":[-1,300]})");

  // An enum value without a name is its number; a char array with
  // unprintable bytes is an array of numbers.
  const uint32_t nine = 9;
  std::memcpy(data + 12, &nine, 4);
  data[6] = 1;
  std::string j = to_json(b.get(), val, data, sizeof(data));
  EXPECT_NE(j.find(R"("color":9)"), std::string::npos) << j;
  EXPECT_NE(j.find(R"("label":[1,100,112,0,0,0])"), std::string::npos) << j;
}

TEST(ToolBtfJson, ShortDataAndBadTypesFail) {
  std::unique_ptr<btf, BtfDeleter> b(btf__new_empty());
  const int u64 = btf__add_int(b.get(), "unsigned long", 8, 0);
  const int s = btf__add_struct(b.get(), "s", 16);
  btf__add_field(b.get(), "a", u64, 0, 0);
  btf__add_field(b.get(), "b", u64, 64, 0);
  uint64_t data[2] = {1, UINT64_MAX};
  EXPECT_EQ(to_json(b.get(), s, data, 16), R"({"a":1,"b":"18446744073709551615"})");
  int err = 0;
  to_json(b.get(), s, data, 12, &err);
  EXPECT_EQ(err, -EINVAL) << "12 bytes cannot hold the struct";
  to_json(b.get(), 99, data, 16, &err);
  EXPECT_EQ(err, -EINVAL) << "no type 99";
}

}  // namespace
