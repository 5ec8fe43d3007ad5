// The skeleton generator without a kernel: what the header holds for the
// test objects (members, padding, keyword and clashing names, struct_ops
// shadows, arena), the embedded bytes, names and bad input.
#include "gen/identifiers.h"
#include "gen/skeleton.h"
#include "object_test_util.h"

#include <gtest/gtest.h>

#include <string>

namespace {

using bpfxx::test::CapturePrint;
using bpfxx::test::prog_bytes;

std::string skeleton_of(const char* prog, const std::string& name) {
  auto bytes = prog_bytes(prog);
  auto r = bpfxx::gen::generate_skeleton(bytes, name);
  EXPECT_TRUE(r.ok()) << r.message();
  return r.ok() ? *r : std::string();
}

bool has(const std::string& text, const std::string& piece) { return text.find(piece) != std::string::npos; }

TEST(GenSkeleton, DataSectionsAreTypedAndPadded) {
  const std::string h = skeleton_of("skelgen_data", "sd");
  EXPECT_TRUE(has(h, "#ifndef __SD_SKEL_H__\n#define __SD_SKEL_H__\n"));
  EXPECT_TRUE(has(h, "#include <bpf/libbpf.h>\n"));
  EXPECT_TRUE(has(h, "struct sd {\n\tstruct bpf_object_skeleton *skeleton;\n\tstruct bpf_object *obj;\n"));
  // char at 0, then a __u64 at 8: explicit padding of 7 bytes.
  EXPECT_TRUE(has(h, "\tstruct sd__data {\n\t\tchar small;\n\t\tchar __pad0[7];\n\t\t__u64 wide;\n")) << h.substr(0, 3000);
  EXPECT_TRUE(has(h, "\t\t__u16 shorts[3];\n"));
  EXPECT_TRUE(has(h, "\t\tstruct skelgen_pair pair;\n"));
  EXPECT_TRUE(has(h, "} *rodata;\n"));
  EXPECT_TRUE(has(h, "\t\tenum skelgen_mode mode;\n"));
  EXPECT_TRUE(has(h, "} *data_custom;\n"));
  EXPECT_TRUE(has(h, "} *rodata_limits;\n"));
  EXPECT_TRUE(has(h, "} *kconfig;\n"));
  EXPECT_TRUE(has(h, "} *bss;\n"));
  // Static variables are not part of the skeleton.
  EXPECT_FALSE(has(h, "hidden_counter"));
  // Anonymous struct printed in place.
  EXPECT_TRUE(has(h, "\t\tstruct {\n\t\t\tint a;\n\t\t\tchar b;\n\t\t} anon_pair;\n"));
}

TEST(GenSkeleton, KeywordAndClashingNamesGetSuffixes) {
  const std::string h = skeleton_of("skelgen_data", "sd");
  EXPECT_TRUE(has(h, "\t\tstruct bpf_map *class_;\n"));
  EXPECT_TRUE(has(h, "map->name = \"class\";\n\tmap->map = &obj->maps.class_;\n"));
  EXPECT_TRUE(has(h, "\t\tstruct bpf_program *new_;\n"));
  EXPECT_TRUE(has(h, "s->progs[1].name = \"new\";\n"));
  EXPECT_TRUE(has(h, "\t\t__u32 template_;\n"));
  // The user's map `bss` keeps its name; the .bss section's map gets "_2"
  // but its data pointer stays `bss`.
  EXPECT_TRUE(has(h, "\t\tstruct bpf_map *bss;\n"));
  EXPECT_TRUE(has(h, "\t\tstruct bpf_map *bss_2;\n"));
  EXPECT_TRUE(has(h, "map->map = &obj->maps.bss_2;\n\tmap->mmaped = (void **)&obj->bss;\n"));
}

TEST(GenSkeleton, FunctionsAndCppMembers) {
  const std::string h = skeleton_of("skelgen_data", "sd");
  for (const char* fn : {"sd__open_opts(const struct bpf_object_open_opts *opts)", "sd__open(void)",
                         "sd__load(struct sd *obj)", "sd__open_and_load(void)", "sd__attach(struct sd *obj)",
                         "sd__detach(struct sd *obj)", "sd__destroy(struct sd *obj)",
                         "sd__create_skeleton(struct sd *obj)", "*sd__elf_bytes(size_t *sz)",
                         "sd__assert(struct sd *s __attribute__((unused)))"}) {
    EXPECT_TRUE(has(h, fn)) << fn;
  }
  EXPECT_TRUE(has(h, "#ifdef __cplusplus\n\tstatic inline struct sd *open(const struct bpf_object_open_opts *opts = nullptr);\n"));
  EXPECT_TRUE(has(h, "int sd::attach(struct sd *skel) { return sd__attach(skel); }\n"));
  EXPECT_TRUE(has(h, "\t_Static_assert(sizeof(s->data->wide) == 8, \"unexpected size of 'wide'\");\n"));
  EXPECT_TRUE(has(h, "\t_Static_assert(__builtin_offsetof(__typeof__(*s->data), wide) == 8, "));
  EXPECT_TRUE(has(h, "\ts->map_skel_sz = (int)(3 * sizeof(void *));\n"));
  const std::string tail = "\n#endif /* __SD_SKEL_H__ */\n";
  ASSERT_GT(h.size(), tail.size());
  EXPECT_EQ(h.substr(h.size() - tail.size()), tail);
}

TEST(GenSkeleton, EmbedsTheObjectBytes) {
  auto obj = prog_bytes("skelgen_arena");
  auto r = bpfxx::gen::generate_skeleton(obj, "sa");
  ASSERT_TRUE(r.ok()) << r.message();
  std::string literal;
  bpfxx::gen::append_string_literal(obj, literal);
  EXPECT_TRUE(has(*r, "static const char data[] __attribute__((__aligned__(8))) = \"\\\n" + literal + "\";\n"));
  // Lines of the literal stay within 80 columns.
  size_t start = 0;
  while (start < literal.size()) {
    size_t end = literal.find('\n', start);
    if (end == std::string::npos) end = literal.size();
    EXPECT_LE(end - start, 79u);
    start = end + 1;
  }
}

TEST(GenSkeleton, StringLiteralEscapes) {
  const uint8_t bytes[] = {0x7f, 0, '1', 0xff};
  std::string out;
  bpfxx::gen::append_string_literal(bytes, out);
  EXPECT_EQ(out, "\\x7f\\0\\x31\\xff");
}

TEST(GenSkeleton, ArenaGlobals) {
  const std::string h = skeleton_of("skelgen_arena", "sa");
  EXPECT_TRUE(has(h, "\tstruct sa__arena {\n\t\tchar flag;\n\t\tchar __pad0[7];\n\t\t__u64 big;\n\t\tint counters[4];\n\t} *arena;\n")) << h.substr(0, 2500);
  EXPECT_TRUE(has(h, "map->mmaped = (void **)&obj->arena;\n"));
}

TEST(GenSkeleton, StructOpsShadow) {
  const std::string h = skeleton_of("skelgen_ops", "so");
  EXPECT_TRUE(has(h, "\tstruct {\n\t\tstruct so__skg_cc__tcp_congestion_ops {\n"
                     "\t\t\tstruct bpf_program *ssthresh;\n"
                     "\t\t\tstruct bpf_program *cong_avoid;\n"
                     "\t\t\tstruct bpf_program *undo_cwnd;\n"
                     "\t\t\tstruct bpf_program *init;\n"
                     "\t\t\tunsigned int flags;\n"
                     "\t\t\tchar __unsupported_5[16];\n"
                     "\t\t\tchar __padding_end[4];\n"
                     "\t\t} *skg_cc;\n\t} struct_ops;\n"))
      << h.substr(0, 3000);
  EXPECT_TRUE(has(h, "\t\tstruct bpf_link *skg_cc;\n\t} links;\n"));
  EXPECT_TRUE(has(h, "\ts->map_skel_sz = (int)sizeof(*s->maps);\n"));
  EXPECT_TRUE(has(h, "\tmap->link = &obj->links.skg_cc;\n"));
  EXPECT_TRUE(has(h, "\tobj->struct_ops.skg_cc = (__typeof__(obj->struct_ops.skg_cc))\n"
                     "\t\tbpf_map__initial_value(obj->maps.skg_cc, NULL);\n"));
}

TEST(GenSkeleton, ManyMapsAndPrograms) {
  const std::string h = skeleton_of("skelgen_many", "sm");
  EXPECT_TRUE(has(h, "\ts->map_cnt = 10;\n"));  // 9 maps + .bss
  EXPECT_TRUE(has(h, "\ts->prog_cnt = 12;\n"));
  for (const char* m : {"delete_", "operator_", "events"}) EXPECT_TRUE(has(h, std::string("struct bpf_map *") + m + ";"));
  for (const char* p : {"private_", "this_", "typename_"})
    EXPECT_TRUE(has(h, std::string("struct bpf_program *") + p + ";"));
}

TEST(GenSkeleton, Subskeleton) {
  auto bytes = prog_bytes("skelgen_data");
  auto r = bpfxx::gen::generate_subskeleton(bytes, "sub");
  ASSERT_TRUE(r.ok()) << r.message();
  const std::string& h = *r;
  EXPECT_TRUE(has(h, "#ifndef __SUB_SUBSKEL_H__\n"));
  EXPECT_TRUE(has(h, "\tstruct bpf_object_subskeleton *subskel;\n"));
  EXPECT_TRUE(has(h, "\t\t__u64 *wide;\n"));
  EXPECT_TRUE(has(h, "\t\t__typeof__(__u16[3]) *shorts;\n")) << h.substr(0, 3000);
  EXPECT_TRUE(has(h, "\t} data;\n"));
  EXPECT_TRUE(has(h, "map->name = \".bss\";\n"));
  EXPECT_TRUE(has(h, ".name = \"template\";\n"));
  EXPECT_TRUE(has(h, ".addr = (void **)&obj->bss.template_;\n"));
  EXPECT_FALSE(has(h, "elf_bytes"));
  EXPECT_FALSE(has(h, "mmaped"));
}

// The text of `struct <obj>__<ident> { ... } *<ident>;` in h, or "".
std::string datasec_struct(const std::string& h, const std::string& obj, const std::string& ident) {
  const std::string open = "\tstruct " + obj + "__" + ident + " {\n";
  const std::string close = "} *" + ident + ";\n";
  const size_t at = h.find(open);
  const size_t end = at == std::string::npos ? at : h.find(close, at);
  return end == std::string::npos ? std::string() : h.substr(at, end + close.size() - at);
}

TEST(GenSkeleton, LongCustomSectionKeepsItsFullName) {
  const std::string h = skeleton_of("skelgen_names", "sn");
  // The runtime finds the map by the name bpf_map__name() reports: the
  // whole section name, not the kernel's 15 characters.
  EXPECT_TRUE(has(h, "map->name = \".data.my_counters_long\";\n\tmap->map = &obj->maps.data_my_counters_long;\n"))
      << h.substr(0, 4000);
  EXPECT_FALSE(has(h, "\".data.my_counte\""));
  EXPECT_TRUE(has(datasec_struct(h, "sn", "data_my_counters_long"), "\t\tint counter;\n")) << h.substr(0, 4000);
}

TEST(GenSkeleton, MapNameOfCustomSectionsIsTheSectionName) {
  bpfxx::test::ObjectPtr obj(bpf_object__open_file(bpfxx::test::prog_path("skelgen_names").c_str(), nullptr));
  ASSERT_NE(obj, nullptr);
  bpf_map* counters = bpf_object__find_map_by_name(obj.get(), ".data.my_counters_long");
  ASSERT_NE(counters, nullptr);
  EXPECT_STREQ(bpf_map__name(counters), ".data.my_counters_long");
  // As in libbpf, the kernel's cut name is not a name users look up by.
  EXPECT_EQ(bpf_object__find_map_by_name(obj.get(), ".data.my_counte"), nullptr);
  bpf_map* dash = bpf_object__find_map_by_name(obj.get(), ".data.a-b");
  bpf_map* under = bpf_object__find_map_by_name(obj.get(), ".data.a_b");
  ASSERT_NE(dash, nullptr);
  ASSERT_NE(under, nullptr);
  EXPECT_NE(dash, under);
  EXPECT_STREQ(bpf_map__name(dash), ".data.a-b");
  EXPECT_STREQ(bpf_map__name(under), ".data.a_b");
  // Plain sections keep the object-prefixed name, found by both names.
  bpf_map* data = bpf_object__find_map_by_name(obj.get(), ".data");
  ASSERT_NE(data, nullptr);
  const std::string data_name = bpf_map__name(data);
  EXPECT_EQ(data_name.find(".data"), data_name.size() - 5) << data_name;
  EXPECT_NE(data_name[0], '.');
  EXPECT_EQ(bpf_object__find_map_by_name(obj.get(), data_name.c_str()), data);
  bpf_map* rodata_data = bpf_object__find_map_by_name(obj.get(), ".rodata.data");
  ASSERT_NE(rodata_data, nullptr);
  EXPECT_STREQ(bpf_map__name(rodata_data), ".rodata.data");
}

TEST(GenSkeleton, SectionsThatLookAlikeKeepTheirOwnTypes) {
  const std::string h = skeleton_of("skelgen_names", "sn");
  // ".rodata.data" is a .rodata.* section: its own identifier and DATASEC.
  const std::string data = datasec_struct(h, "sn", "data");
  const std::string rodata_data = datasec_struct(h, "sn", "rodata_data");
  EXPECT_TRUE(has(data, "\t\tint plain_in;\n")) << h.substr(0, 4000);
  EXPECT_FALSE(has(data, "ro_in"));
  EXPECT_TRUE(has(rodata_data, "\t\tint ro_in;\n")) << h.substr(0, 4000);
  EXPECT_FALSE(has(rodata_data, "plain_in"));
  EXPECT_TRUE(has(h, "map->name = \".rodata.data\";\n\tmap->map = &obj->maps.rodata_data;\n"));
  // ".data.a-b" and ".data.a_b": the same cleaned identifier, distinct
  // maps, each with its own variables.
  EXPECT_TRUE(has(h, "map->name = \".data.a-b\";\n\tmap->map = &obj->maps.data_a_b;\n"));
  EXPECT_TRUE(has(h, "map->name = \".data.a_b\";\n\tmap->map = &obj->maps.data_a_b_2;\n"));
  const std::string dash = datasec_struct(h, "sn", "data_a_b");
  const std::string under = datasec_struct(h, "sn", "data_a_b_2");
  EXPECT_TRUE(has(dash, "\t\tint dash_in;\n\t\tint dash_out;\n")) << h.substr(0, 4000);
  EXPECT_FALSE(has(dash, "under_in"));
  EXPECT_TRUE(has(under, "\t\tlong long under_in;\n\t\tlong long under_out;\n")) << h.substr(0, 4000);
  EXPECT_FALSE(has(under, "dash_in"));
}

TEST(GenSkeleton, StructOpsShadowSkipsBitfields) {
  const std::string h = skeleton_of("skelgen_opsbits", "sb");
  // low:3 and high:5 share the 4 bytes at 8, wide:40 bytes 17..21: none
  // gets a member, the padding before the next member covers them.
  EXPECT_TRUE(has(h, "\t\tstruct sb__bits__skelgen_bits_ops {\n"
                     "\t\t\tstruct bpf_program *hook;\n"
                     "\t\t\tchar __padding_3[4];\n"
                     "\t\t\tunsigned int after;\n"
                     "\t\t\tchar tag;\n"
                     "\t\t\tchar __padding_6[7];\n"
                     "\t\t\tunsigned int last;\n"
                     "\t\t\tchar __padding_end[4];\n"
                     "\t\t} *bits;\n"))
      << h.substr(0, 4000);
  EXPECT_FALSE(has(h, "__unsupported_"));
}

TEST(GenSkeleton, SameInputSameOutput) {
  EXPECT_EQ(skeleton_of("skelgen_data", "x"), skeleton_of("skelgen_data", "x"));
}

TEST(GenSkeleton, BadInputFailsCleanly) {
  CapturePrint capture;
  const uint8_t text[] = "definitely not ELF";
  auto r = bpfxx::gen::generate_skeleton(std::span<const uint8_t>(text, sizeof text), "x");
  EXPECT_FALSE(r.ok());
  EXPECT_NE(r.message().find("cannot open the BPF object"), std::string::npos) << r.message();
  auto empty = bpfxx::gen::generate_skeleton(std::span<const uint8_t>(), "x");
  EXPECT_FALSE(empty.ok());
  auto bytes = prog_bytes("skelgen_data");
  for (size_t cut : {size_t{16}, size_t{64}, bytes.size() / 2, bytes.size() - 1}) {
    auto part = bpfxx::gen::generate_skeleton(std::span<const uint8_t>(bytes.data(), cut), "x");
    EXPECT_FALSE(part.ok()) << cut;
  }
}

TEST(GenSkeleton, BadNamesAreRefused) {
  auto obj = prog_bytes("skelgen_arena");
  for (const char* bad : {"", "9a", "a-b", "a b", "class", "int"}) {
    auto r = bpfxx::gen::generate_skeleton(obj, bad);
    EXPECT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error(), EINVAL);
    EXPECT_NE(r.message().find("skeleton name"), std::string::npos);
  }
  EXPECT_FALSE(bpfxx::gen::generate_skeleton(obj, std::string(64, 'a')).ok());
  EXPECT_TRUE(bpfxx::gen::generate_skeleton(obj, std::string(63, 'a')).ok());
}

TEST(GenSkeletonNames, FromPathAndGuard) {
  EXPECT_EQ(bpfxx::gen::skeleton_name_for("/x/y/minimal.bpf.o"), "minimal_bpf");
  EXPECT_EQ(bpfxx::gen::skeleton_name_for("prog.o"), "prog");
  EXPECT_EQ(bpfxx::gen::skeleton_name_for("a-b"), "a_b");
  EXPECT_EQ(bpfxx::gen::header_guard("my_obj", "SKEL_H"), "__MY_OBJ_SKEL_H__");
}

TEST(GenSkeletonNames, Scope) {
  bpfxx::gen::IdentScope scope;
  EXPECT_EQ(scope.claim("new"), "new_");
  EXPECT_EQ(scope.claim("a.b"), "a_b");
  EXPECT_EQ(scope.claim("a_b"), "a_b_2");
  EXPECT_EQ(scope.claim("a_b"), "a_b_3");
  EXPECT_EQ(scope.claim("1x"), "_1x");
  EXPECT_TRUE(bpfxx::gen::is_keyword("xor_eq"));
  EXPECT_TRUE(bpfxx::gen::is_keyword("volatile"));
  EXPECT_FALSE(bpfxx::gen::is_keyword("maps"));
}

}  // namespace
