// finalize_btf() and resize_data_btf(): the object's BTF repaired from its
// ELF (DATASEC sizes, variable offsets, hidden globals, .kconfig layout),
// the .ksyms rewrite for the kernel, and data sections resized.
#include "object_test_util.h"

#include "btf/btf.h"
#include "elf/elf_reader.h"
#include "object/btf_fixup.h"
#include "object/load.h"
#include "object/object.h"

#include <bpf/btf.h>

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

namespace {

using bpfxx::test::CapturePrint;
using bpfxx::test::ObjectPtr;
using bpfxx::test::prog_bytes;
using bpfxx::test::prog_path;

ObjectPtr open_prog(const char* name) {
  ObjectPtr o(bpf_object__open_file(prog_path(name).c_str(), nullptr));
  EXPECT_NE(o, nullptr) << name;
  return o;
}

ObjectPtr open_bytes(const std::vector<uint8_t>& bytes) {
  LIBBPF_OPTS(bpf_object_open_opts, opts, .object_name = "patched");
  return ObjectPtr(bpf_object__open_mem(bytes.data(), bytes.size(), &opts));
}

const btf_type* datasec(const btf* b, const char* name) {
  const int id = btf__find_by_name_kind(b, name, BTF_KIND_DATASEC);
  return id > 0 ? btf__type_by_id(b, static_cast<uint32_t>(id)) : nullptr;
}

const char* name_of(const btf* b, uint32_t id) {
  return btf__name_by_offset(b, btf__type_by_id(b, id)->name_off);
}

// name -> (offset, size) of a DATASEC's entries.
std::map<std::string, std::pair<uint32_t, uint32_t>> entries(const btf* b, const btf_type* sec) {
  std::map<std::string, std::pair<uint32_t, uint32_t>> out;
  const btf_var_secinfo* v = btf_var_secinfos(sec);
  for (uint16_t i = 0; i < btf_vlen(sec); i++) out[name_of(b, v[i].type)] = {v[i].offset, v[i].size};
  return out;
}

int var_linkage(const btf* b, const char* name) {
  const int id = btf__find_by_name_kind(b, name, BTF_KIND_VAR);
  return id > 0 ? static_cast<int>(btf_var(btf__type_by_id(b, static_cast<uint32_t>(id)))->linkage) : -1;
}

int func_linkage(const btf* b, const char* name) {
  const int id = btf__find_by_name_kind(b, name, BTF_KIND_FUNC);
  return id > 0 ? btf_vlen(btf__type_by_id(b, static_cast<uint32_t>(id))) : -1;
}

bpf_map* map_of_section(bpf_object* o, const std::string& sec) {
  for (auto& m : o->maps) {
    if (m->real_name == sec) return m.get();
  }
  return nullptr;
}

// The object's BTF as clang wrote it (btf__parse_elf does no fix-up).
struct RawBtf {
  explicit RawBtf(const char* name) : b(btf__parse_elf(prog_path(name).c_str(), nullptr)) {}
  ~RawBtf() { btf__free(b); }
  btf* b;
};

TEST(ObjectBtfFixup, DatasecSizesAndOffsetsComeFromTheElf) {
  RawBtf raw("btf_fixup");
  ASSERT_NE(raw.b, nullptr);
  ASSERT_NE(datasec(raw.b, ".data"), nullptr);
  EXPECT_EQ(datasec(raw.b, ".data")->size, 0u);  // clang's output, before the fix-up
  // Opening runs the fix-up.
  ObjectPtr o = open_prog("btf_fixup");
  ASSERT_NE(o, nullptr);
  const btf* b = o->btf_data.get();

  const std::vector<uint8_t> bytes = prog_bytes("btf_fixup");
  auto elf = bpfxx::elf::Reader::open(bytes, "btf_fixup");
  ASSERT_TRUE(elf.ok());
  int checked_secs = 0, checked_vars = 0;
  for (uint32_t id = 1; id < btf__type_cnt(b); id++) {
    const btf_type* t = btf__type_by_id(b, id);
    if (!btf_is_datasec(t)) continue;
    const std::string sec = btf__name_by_offset(b, t->name_off);
    const bpfxx::elf::Section* es = elf->find_section(sec);
    ASSERT_NE(es, nullptr) << sec;
    EXPECT_EQ(t->size, es->size) << sec;
    checked_secs++;
    const btf_var_secinfo* v = btf_var_secinfos(t);
    for (uint16_t i = 0; i < btf_vlen(t); i++) {
      if (i > 0) {
        EXPECT_LE(v[i - 1].offset, v[i].offset) << sec << ": entries sorted by offset";
      }
      const std::string var = name_of(b, v[i].type);
      bool found = false;
      for (size_t s = 1; s < elf->symbol_count(); s++) {
        auto sym = elf->symbol(s);
        ASSERT_TRUE(sym.ok());
        if (sym->name != var || sym->shndx != es->index) continue;
        EXPECT_EQ(v[i].offset, sym->value) << sec << ": " << var;
        found = true;
      }
      EXPECT_TRUE(found) << var;
      checked_vars++;
    }
  }
  EXPECT_GE(checked_secs, 5);  // .data .bss .rodata .data.fix .data.resize license
  EXPECT_GE(checked_vars, 15);
  // A static in a function keeps the name clang gave it.
  EXPECT_EQ(entries(b, datasec(b, ".bss")).count("fixup_prog.fn_static"), 1u);
}

TEST(ObjectBtfFixup, HiddenGlobalsBecomeStatic) {
  RawBtf raw("btf_fixup");
  ASSERT_NE(raw.b, nullptr);
  EXPECT_EQ(var_linkage(raw.b, "data_hidden"), BTF_VAR_GLOBAL_ALLOCATED);
  EXPECT_EQ(func_linkage(raw.b, "hidden_helper"), BTF_FUNC_GLOBAL);
  ObjectPtr o = open_prog("btf_fixup");
  ASSERT_NE(o, nullptr);
  const btf* b = o->btf_data.get();
  EXPECT_EQ(var_linkage(b, "data_hidden"), BTF_VAR_STATIC);
  EXPECT_EQ(var_linkage(b, "data_a"), BTF_VAR_GLOBAL_ALLOCATED);
  EXPECT_EQ(var_linkage(b, "data_static"), BTF_VAR_STATIC);
  EXPECT_EQ(func_linkage(b, "hidden_helper"), BTF_FUNC_STATIC);
  EXPECT_EQ(func_linkage(b, "global_helper"), BTF_FUNC_GLOBAL);
  EXPECT_EQ(func_linkage(b, "fixup_prog"), BTF_FUNC_GLOBAL);
  // The name index follows the edits.
  EXPECT_GT(btf__find_by_name_kind(b, "hidden_helper", BTF_KIND_FUNC), 0);
}

TEST(ObjectBtfFixup, FinalizeIsIdempotentAndKeepsDataMapIds) {
  ObjectPtr o = open_prog("btf_fixup");
  ASSERT_NE(o, nullptr);
  bpf_map* data = map_of_section(o.get(), ".data");
  ASSERT_NE(data, nullptr);
  const uint32_t id = data->btf_value_type_id;
  ASSERT_NE(id, 0u);
  auto raw_copy = [&] {
    uint32_t n = 0;
    const auto* p = static_cast<const uint8_t*>(btf__raw_data(o->btf_data.get(), &n));
    return std::vector<uint8_t>(p, p + n);
  };
  ASSERT_TRUE(bpfxx::object::finalize_btf(*o).ok());
  const std::vector<uint8_t> once = raw_copy();
  ASSERT_TRUE(bpfxx::object::finalize_btf(*o).ok());
  EXPECT_EQ(raw_copy(), once);
  EXPECT_EQ(data->btf_value_type_id, id);
  EXPECT_EQ(btf__type_by_id(o->btf_data.get(), id)->size, data->value_size);
}

TEST(ObjectBtfFixup, MissingSymbolOfAGlobalVariableIsNamed) {
  std::vector<uint8_t> bytes = prog_bytes("btf_fixup");
  // Rename the symbol of data_unused (its string in .strtab).
  const size_t sym = bpfxx::test::find_sym(bytes, "data_unused");
  ASSERT_NE(sym, 0u);
  const int symtab = bpfxx::test::find_shdr(bytes, ".symtab");
  const size_t link = bpfxx::test::rd(bytes, bpfxx::test::shdr_off(bytes, symtab) + 40, 4);
  const size_t strs = bpfxx::test::rd(bytes, bpfxx::test::shdr_off(bytes, link) + 24, 8);
  bytes.at(strs + bpfxx::test::rd(bytes, sym, 4)) = 'X';
  CapturePrint cap;
  ObjectPtr o = open_bytes(bytes);
  ASSERT_EQ(o, nullptr);
  EXPECT_EQ(errno, ENOENT);
  EXPECT_NE(cap.text().find("'data_unused'"), std::string::npos) << cap.text();
  EXPECT_NE(cap.text().find("'.data'"), std::string::npos) << cap.text();
}

TEST(ObjectBtfFixup, KconfigIsLaidOutByAlignmentThenSize) {
  ObjectPtr o = open_prog("btf_fixup_externs");
  ASSERT_NE(o, nullptr);
  ASSERT_TRUE(bpfxx::object::finalize_btf(*o).ok());
  const btf* b = o->btf_data.get();
  const btf_type* k = datasec(b, ".kconfig");
  ASSERT_NE(k, nullptr);
  auto e = entries(b, k);
  // 8-byte aligned first, then 4, then 1 (smaller size first, then name).
  EXPECT_EQ(e["CONFIG_HZ"], std::make_pair(0u, 8u));
  EXPECT_EQ(e["LINUX_KERNEL_VERSION"], std::make_pair(8u, 4u));
  EXPECT_EQ(e["CONFIG_BPF_SYSCALL"], std::make_pair(12u, 1u));
  EXPECT_EQ(e["CONFIG_DEFAULT_HOSTNAME"], std::make_pair(13u, 8u));
  EXPECT_EQ(k->size, 21u);
  EXPECT_EQ(var_linkage(b, "CONFIG_HZ"), BTF_VAR_GLOBAL_ALLOCATED);
  const int id = btf__find_by_name_kind(b, "LINUX_KERNEL_VERSION", BTF_KIND_VAR);
  auto off = bpfxx::object::kconfig_var_offset(*b, static_cast<uint32_t>(id));
  ASSERT_TRUE(off.ok());
  EXPECT_EQ(*off, 8u);
  // .ksyms keeps clang's form in the object (the extern step reads it).
  EXPECT_EQ(datasec(b, ".ksyms")->size, 0u);
  EXPECT_EQ(var_linkage(b, "bpf_typed_ksym"), BTF_VAR_GLOBAL_EXTERN);
}

TEST(ObjectBtfFixup, KsymsAreRewrittenForTheKernelOnACopy) {
  ObjectPtr o = open_prog("btf_fixup_externs");
  ASSERT_NE(o, nullptr);
  ASSERT_TRUE(bpfxx::object::finalize_btf(*o).ok());
  ASSERT_TRUE(bpfxx::object::has_ksyms_datasec(*o->btf_data));
  uint32_t n = 0;
  const void* raw = btf__raw_data(o->btf_data.get(), &n);
  btf* copy = btf__new(raw, n);
  ASSERT_NE(copy, nullptr);
  const uint32_t before = btf__type_cnt(copy);
  ASSERT_TRUE(bpfxx::object::ksyms_for_kernel(*copy).ok());
  const btf_type* ks = datasec(copy, ".ksyms");
  ASSERT_NE(ks, nullptr);
  EXPECT_EQ(ks->size, 4u * btf_vlen(ks));
  const btf_var_secinfo* v = btf_var_secinfos(ks);
  const int dummy = btf__find_by_name_kind(copy, "dummy_ksym", BTF_KIND_VAR);
  ASSERT_GT(dummy, 0);
  EXPECT_GE(static_cast<uint32_t>(dummy), before);  // added, no id moved
  for (uint16_t i = 0; i < btf_vlen(ks); i++) {
    EXPECT_EQ(v[i].offset, 4u * i);
    EXPECT_EQ(v[i].size, 4u);
    const btf_type* t = btf__type_by_id(copy, v[i].type);
    ASSERT_TRUE(btf_is_var(t));
    EXPECT_EQ(btf_var(t)->linkage, BTF_VAR_GLOBAL_ALLOCATED);
    EXPECT_EQ(btf__resolve_size(copy, t->type), 4);
  }
  // kfuncs: global, with every parameter named.
  const int f = btf__find_by_name_kind(copy, "bpf_task_release", BTF_KIND_FUNC);
  ASSERT_GT(f, 0);
  const btf_type* ft = btf__type_by_id(copy, static_cast<uint32_t>(f));
  EXPECT_EQ(btf_vlen(ft), BTF_FUNC_GLOBAL);
  const int a = btf__find_by_name_kind(copy, "bpf_task_acquire", BTF_KIND_FUNC);
  const btf_type* proto = btf__type_by_id(copy, btf__type_by_id(copy, static_cast<uint32_t>(a))->type);
  for (uint16_t i = 0; i < btf_vlen(proto); i++) EXPECT_NE(btf_params(proto)[i].name_off, 0u);
  btf__free(copy);
  // The object's own BTF is untouched.
  EXPECT_EQ(datasec(o->btf_data.get(), ".ksyms")->size, 0u);
}

TEST(ObjectBtfFixup, ResizeGrowsTheLastArray) {
  ObjectPtr o = open_prog("btf_fixup");
  ASSERT_NE(o, nullptr);
  bpf_map* m = map_of_section(o.get(), ".data.resize");
  ASSERT_NE(m, nullptr);
  const btf* b = o->btf_data.get();
  const uint32_t old_types = btf__type_cnt(b);
  // Before finalize_btf(): the DATASEC is fixed up on the way.
  const uint32_t old_size = m->value_size;  // 4-byte count, pad, 3 x 8 bytes
  ASSERT_EQ(old_size, 32u);
  auto r = bpfxx::object::resize_data_btf(*o, *m, old_size + 2 * 8);
  ASSERT_TRUE(r.ok()) << r.message();
  const btf_type* sec = btf__type_by_id(b, m->btf_value_type_id);
  EXPECT_EQ(sec->size, old_size + 16);
  auto e = entries(b, sec);
  EXPECT_EQ(e["rs_items"], std::make_pair(8u, 40u));
  EXPECT_EQ(e["rs_count"], std::make_pair(0u, 4u));
  const int var = btf__find_by_name_kind(b, "rs_items", BTF_KIND_VAR);
  const btf_type* arr = btf__type_by_id(b, btf__type_by_id(b, static_cast<uint32_t>(var))->type);
  ASSERT_TRUE(btf_is_array(arr));
  EXPECT_EQ(btf_array(arr)->nelems, 5u);
  EXPECT_EQ(btf__type_cnt(b), old_types + 1);
  EXPECT_EQ(btf__resolve_size(b, m->btf_value_type_id), old_size + 16);

  // Shrinking works the same way; finalize_btf() afterwards keeps it.
  m->value_size = old_size + 16;
  ASSERT_TRUE(bpfxx::object::resize_data_btf(*o, *m, 16).ok());
  m->value_size = 16;
  ASSERT_TRUE(bpfxx::object::finalize_btf(*o).ok());
  EXPECT_EQ(btf__type_by_id(b, m->btf_value_type_id)->size, 16u);
  EXPECT_EQ(m->btf_value_type_id != 0, true);
}

TEST(ObjectBtfFixup, ResizeRefusals) {
  ObjectPtr o = open_prog("btf_fixup");
  ASSERT_NE(o, nullptr);
  ASSERT_TRUE(bpfxx::object::finalize_btf(*o).ok());
  bpf_map* m = map_of_section(o.get(), ".data.resize");
  ASSERT_NE(m, nullptr);
  CapturePrint cap;
  // Not a whole number of 8-byte elements after the array's offset.
  auto r = bpfxx::object::resize_data_btf(*o, *m, 36);
  EXPECT_EQ(r.error(), EINVAL);
  EXPECT_NE(r.message().find("'rs_items'"), std::string::npos) << r.message();
  EXPECT_NE(cap.text().find("map '" + m->name + "': cannot be resized"), std::string::npos) << cap.text();
  // Ends before the array starts.
  EXPECT_EQ(bpfxx::object::resize_data_btf(*o, *m, 8).error(), EINVAL);
  // .rodata ends with a scalar.
  bpf_map* ro = map_of_section(o.get(), ".rodata");
  ASSERT_NE(ro, nullptr);
  r = bpfxx::object::resize_data_btf(*o, *ro, 64);
  EXPECT_EQ(r.error(), EINVAL);
  EXPECT_NE(r.message().find("not an array"), std::string::npos) << r.message();
  // No BTF at all.
  const uint32_t saved = ro->btf_value_type_id;
  ro->btf_value_type_id = 0;
  EXPECT_EQ(bpfxx::object::resize_data_btf(*o, *ro, 64).error(), ENOENT);
  ro->btf_value_type_id = saved;
  // The BTF is unchanged by the refusals.
  EXPECT_EQ(btf__type_by_id(o->btf_data.get(), m->btf_value_type_id)->size, m->value_size);
}

TEST(ObjectBtfFixup, ObjectWithoutBtfIsFine) {
  ObjectPtr o = open_prog("btf_fixup");
  ASSERT_NE(o, nullptr);
  o->btf_data.reset();
  for (auto& m : o->maps) m->btf_value_type_id = 0;
  EXPECT_TRUE(bpfxx::object::finalize_btf(*o).ok());
}

}  // namespace
