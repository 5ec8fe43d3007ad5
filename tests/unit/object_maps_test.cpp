// Maps at open: BTF-defined attributes, inner maps and static values,
// global data maps, externs, and the map getters and setters.
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "fake_kernel.h"
#include "object/data_maps.h"
#include "object/map_data.h"
#include "object/object.h"
#include "object_test_util.h"

#include <gtest/gtest.h>

#include <cerrno>
#include <cstring>
#include <functional>
#include <ostream>
#include <string>
#include <vector>

using bpfxx::object::ExternKind;
using bpfxx::object::RelocKind;
using bpfxx::test::ObjectPtr;
using bpfxx::test::prog_path;

namespace {

ObjectPtr open_maps() { return ObjectPtr(bpf_object__open(prog_path("object_maps").c_str())); }

std::string type_name(const bpf_object* obj, __u32 id) {
  const btf_type* t = btf__type_by_id(bpf_object__btf(obj), id);
  return t ? btf__name_by_offset(bpf_object__btf(obj), t->name_off) : "";
}

// A map's type and sizes as the getters report them, compared whole so a
// mismatch prints both shapes.
struct MapShape {
  bpf_map_type type;
  __u32 key_size, value_size, max_entries;
  bool operator==(const MapShape&) const = default;
};
std::ostream& operator<<(std::ostream& os, const MapShape& s) {
  return os << "{type " << s.type << ", key " << s.key_size << ", value " << s.value_size << ", max_entries "
            << s.max_entries << "}";
}
MapShape shape_of(const bpf_map* m) {
  return {bpf_map__type(m), bpf_map__key_size(m), bpf_map__value_size(m), bpf_map__max_entries(m)};
}

TEST(ObjectMaps, OrderAndNames) {
  ObjectPtr obj = open_maps();
  ASSERT_NE(obj, nullptr) << errno;
  std::vector<std::string> names;
  bpf_map* m;
  bpf_object__for_each_map(m, obj.get()) names.push_back(bpf_map__name(m));
  // .maps in the order of its BTF DATASEC, then data sections in ELF
  // order (clang put the key_t initialiser in .rodata.cst16), then the
  // map of the kconfig externs (named as libbpf does: 15 characters).
  EXPECT_EQ(names, (std::vector<std::string>{"inner_a", "inner_b", "outer", "jumps", "typed_hash",
                                             "sized_array", "bloom", "object_m.data",
                                             "object_m.rodata", ".data.custom", ".rodata.custom",
                                             ".rodata.cst16", "object_m.bss", "object_.kconfig"}));
}

TEST(ObjectMaps, BtfDefinedAttributes) {
  ObjectPtr obj = open_maps();
  ASSERT_NE(obj, nullptr);
  bpf_map* h = bpf_object__find_map_by_name(obj.get(), "typed_hash");
  ASSERT_NE(h, nullptr);
  EXPECT_EQ(shape_of(h), (MapShape{BPF_MAP_TYPE_HASH, 16, 8, 128}));
  EXPECT_EQ(bpf_map__map_flags(h), static_cast<__u32>(BPF_F_NO_PREALLOC));
  EXPECT_EQ(bpf_map__numa_node(h), 0u);
  EXPECT_EQ(h->pinning, static_cast<uint32_t>(LIBBPF_PIN_BY_NAME));
  EXPECT_STREQ(bpf_map__pin_path(h), "/sys/fs/bpf/typed_hash");
  EXPECT_FALSE(bpf_map__is_pinned(h));
  EXPECT_EQ(type_name(obj.get(), bpf_map__btf_key_type_id(h)), "key_t");
  EXPECT_NE(bpf_map__btf_value_type_id(h), 0u);
  EXPECT_FALSE(bpf_map__is_internal(h));
  EXPECT_EQ(bpf_map__fd(h), -1);
  EXPECT_EQ(bpf_map__initial_value(h, nullptr), nullptr);

  bpf_map* a = bpf_object__find_map_by_name(obj.get(), "sized_array");
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(shape_of(a), (MapShape{BPF_MAP_TYPE_ARRAY, 4, 24, 3}));
  EXPECT_EQ(bpf_map__btf_key_type_id(a), 0u);
  EXPECT_EQ(bpf_map__btf_value_type_id(a), 0u);
  EXPECT_EQ(bpf_map__pin_path(a), nullptr);

  bpf_map* bloom = bpf_object__find_map_by_name(obj.get(), "bloom");
  EXPECT_EQ(bpf_map__type(bloom), BPF_MAP_TYPE_BLOOM_FILTER);
  EXPECT_EQ(bpf_map__map_extra(bloom), 5u);
  EXPECT_EQ(bpf_map__key_size(bloom), 0u);
  EXPECT_EQ(bpf_map__value_size(bloom), 4u);
}

TEST(ObjectMaps, MapInMapAndProgArrayInit) {
  ObjectPtr obj = open_maps();
  ASSERT_NE(obj, nullptr);
  bpf_map* outer = bpf_object__find_map_by_name(obj.get(), "outer");
  ASSERT_NE(outer, nullptr);
  EXPECT_EQ(bpf_map__type(outer), BPF_MAP_TYPE_ARRAY_OF_MAPS);
  EXPECT_EQ(bpf_map__value_size(outer), 4u);
  EXPECT_EQ(bpf_map__max_entries(outer), 4u);
  bpf_map* inner = bpf_map__inner_map(outer);
  ASSERT_NE(inner, nullptr);
  EXPECT_STREQ(bpf_map__name(inner), "outer.inner");
  EXPECT_EQ(shape_of(inner), (MapShape{BPF_MAP_TYPE_ARRAY, 4, 4, 1}));
  // Targets are indexes into the object's maps and programs, fixed at open.
  ASSERT_EQ(outer->init_slots.size(), 2u);
  EXPECT_EQ(outer->init_slots[0].index, 0u);
  ASSERT_LT(outer->init_slots[0].target, obj->maps.size());
  EXPECT_EQ(obj->maps[outer->init_slots[0].target]->name, "inner_a");
  EXPECT_EQ(outer->init_slots[1].index, 2u);
  ASSERT_LT(outer->init_slots[1].target, obj->maps.size());
  EXPECT_EQ(obj->maps[outer->init_slots[1].target]->name, "inner_b");
  EXPECT_FALSE(outer->init_slots[0].is_prog);

  bpf_map* jumps = bpf_object__find_map_by_name(obj.get(), "jumps");
  EXPECT_EQ(bpf_map__type(jumps), BPF_MAP_TYPE_PROG_ARRAY);
  EXPECT_EQ(bpf_map__inner_map(jumps), nullptr);
  ASSERT_EQ(jumps->init_slots.size(), 1u);
  EXPECT_EQ(jumps->init_slots[0].index, 1u);
  ASSERT_LT(jumps->init_slots[0].target, obj->programs.size());
  EXPECT_EQ(obj->programs[jumps->init_slots[0].target]->name, "tail_target");
  EXPECT_TRUE(jumps->init_slots[0].is_prog);

  // An fd template replaces the declared inner map; only for map-in-maps.
  EXPECT_EQ(bpf_map__set_inner_map_fd(jumps, 5), -EINVAL);
  EXPECT_EQ(bpf_map__set_inner_map_fd(outer, 5), 0);
  EXPECT_EQ(outer->inner_map_fd, 5);
  EXPECT_EQ(bpf_map__inner_map(outer), nullptr);
  EXPECT_EQ(bpf_map__set_inner_map_fd(outer, 6), -EINVAL);
}

TEST(ObjectMaps, GlobalData) {
  ObjectPtr obj = open_maps();
  ASSERT_NE(obj, nullptr);
  bpf_map* data = bpf_object__find_map_by_name(obj.get(), ".data");
  bpf_map* rodata = bpf_object__find_map_by_name(obj.get(), ".rodata");
  bpf_map* bss = bpf_object__find_map_by_name(obj.get(), ".bss");
  bpf_map* cdata = bpf_object__find_map_by_name(obj.get(), ".data.custom");
  bpf_map* cro = bpf_object__find_map_by_name(obj.get(), ".rodata.custom");
  ASSERT_TRUE(data && rodata && bss && cdata && cro);
  EXPECT_EQ(bpf_object__find_map_by_name(obj.get(), "object_m.rodata"), rodata);
  for (bpf_map* m : {data, rodata, bss, cdata, cro}) {
    EXPECT_TRUE(bpf_map__is_internal(m));
    EXPECT_EQ(bpf_map__type(m), BPF_MAP_TYPE_ARRAY);
    EXPECT_EQ(bpf_map__key_size(m), 4u);
    EXPECT_EQ(bpf_map__max_entries(m), 1u);
    EXPECT_NE(bpf_map__btf_value_type_id(m), 0u);
    EXPECT_EQ(type_name(obj.get(), bpf_map__btf_value_type_id(m)), m->real_name);
    EXPECT_TRUE(bpf_map__map_flags(m) & BPF_F_MMAPABLE) << m->name;
  }
  EXPECT_EQ(bpf_map__map_flags(rodata), static_cast<__u32>(BPF_F_RDONLY_PROG | BPF_F_MMAPABLE));
  EXPECT_EQ(bpf_map__map_flags(cro), static_cast<__u32>(BPF_F_RDONLY_PROG | BPF_F_MMAPABLE));
  EXPECT_EQ(bpf_map__map_flags(data), static_cast<__u32>(BPF_F_MMAPABLE));

  size_t sz = 0;
  auto* d = static_cast<uint8_t*>(bpf_map__initial_value(data, &sz));
  ASSERT_EQ(sz, 8u);
  uint64_t v;
  memcpy(&v, d, 8);
  EXPECT_EQ(v, 0x1122334455667788ULL);
  auto* r = static_cast<uint8_t*>(bpf_map__initial_value(rodata, &sz));
  ASSERT_EQ(sz, 4u);
  uint32_t rv;
  memcpy(&rv, r, 4);
  EXPECT_EQ(rv, 42u);
  auto* b = static_cast<uint8_t*>(bpf_map__initial_value(bss, &sz));
  ASSERT_EQ(sz, 4u);
  EXPECT_EQ(b[0] | b[1] | b[2] | b[3], 0);
  auto* c = static_cast<char*>(bpf_map__initial_value(cro, &sz));
  ASSERT_EQ(sz, 4u);
  EXPECT_STREQ(c, "abc");
  EXPECT_EQ(bpf_map__value_size(cdata), 4u);

  // set_initial_value: exact size only, global data only.
  const uint32_t nv = 99;
  EXPECT_EQ(bpf_map__set_initial_value(rodata, &nv, 3), -EINVAL);
  EXPECT_EQ(bpf_map__set_initial_value(rodata, &nv, 4), 0);
  memcpy(&rv, bpf_map__initial_value(rodata, nullptr), 4);
  EXPECT_EQ(rv, 99u);
  bpf_map* h = bpf_object__find_map_by_name(obj.get(), "typed_hash");
  EXPECT_EQ(bpf_map__set_initial_value(h, &nv, 4), -EINVAL);
  // Growing a data map's value grows its initial value with zeroes.
  EXPECT_EQ(bpf_map__set_value_size(bss, 16), 0);
  bpf_map__initial_value(bss, &sz);
  EXPECT_EQ(sz, 16u);
  EXPECT_EQ(bpf_map__set_value_size(bss, 0), -EINVAL);
}

TEST(ObjectMaps, InternalMapNaming) {
  using bpfxx::object::internal_map_name;
  EXPECT_EQ(internal_map_name("prog_bpf", ".rodata"), "prog_bpf.rodata");
  EXPECT_EQ(internal_map_name("a_very_long_object", ".bss"), "a_very_l.bss");
  EXPECT_EQ(internal_map_name("x", ".data"), "x.data");
  EXPECT_EQ(internal_map_name("obj", ".data.custom"), ".data.custom");
  EXPECT_EQ(internal_map_name("obj", ".rodata.str1.1"), ".rodata.str1.1");
  EXPECT_EQ(internal_map_name("obj", ".data.this_is_very_long"), ".data.this_is_v");
  EXPECT_EQ(internal_map_name("my-obj", ".data"), "my_obj.data");
}

TEST(ObjectMaps, ExternsAndRelocations) {
  ObjectPtr obj = open_maps();
  ASSERT_NE(obj, nullptr);
  ASSERT_EQ(obj->externs.size(), 2u);
  for (const auto& e : obj->externs) {
    EXPECT_EQ(e.kind, ExternKind::kKconfig) << e.name;
    EXPECT_NE(e.btf_id, 0u);
    EXPECT_EQ(e.is_weak, e.name == "CONFIG_NOT_THERE");
  }
  EXPECT_TRUE(obj->has_kconfig_externs);
  const bpf_program* p = obj->find_program("use_maps");
  ASSERT_NE(p, nullptr);
  std::vector<std::string> maps_used, externs_used;
  for (const auto& r : p->relos) {
    if (r.kind == RelocKind::kMap || r.kind == RelocKind::kData)
      maps_used.push_back(obj->maps[r.map_idx]->name);
    if (r.kind == RelocKind::kExternVar) externs_used.push_back(r.sym_name);
  }
  for (const char* want : {"typed_hash", "sized_array", "outer", "jumps", "bloom", "object_m.data",
                           "object_m.rodata", ".data.custom", ".rodata.custom", "object_m.bss"})
    EXPECT_NE(std::find(maps_used.begin(), maps_used.end(), want), maps_used.end()) << want;
  EXPECT_NE(std::find(externs_used.begin(), externs_used.end(), "LINUX_KERNEL_VERSION"),
            externs_used.end());
  EXPECT_NE(std::find(externs_used.begin(), externs_used.end(), "CONFIG_NOT_THERE"),
            externs_used.end());
}

TEST(ObjectMaps, Setters) {
  ObjectPtr obj = open_maps();
  ASSERT_NE(obj, nullptr);
  bpf_map* m = bpf_object__find_map_by_name(obj.get(), "sized_array");
  EXPECT_EQ(bpf_map__set_type(m, BPF_MAP_TYPE_PERCPU_ARRAY), 0);
  EXPECT_EQ(bpf_map__type(m), BPF_MAP_TYPE_PERCPU_ARRAY);
  EXPECT_EQ(bpf_map__set_key_size(m, 8), 0);
  EXPECT_EQ(bpf_map__key_size(m), 8u);
  EXPECT_EQ(bpf_map__set_value_size(m, 32), 0);
  EXPECT_EQ(bpf_map__value_size(m), 32u);
  EXPECT_EQ(bpf_map__set_max_entries(m, 10), 0);
  EXPECT_EQ(bpf_map__max_entries(m), 10u);
  EXPECT_EQ(bpf_map__set_map_flags(m, BPF_F_RDONLY), 0);
  EXPECT_EQ(bpf_map__map_flags(m), static_cast<__u32>(BPF_F_RDONLY));
  EXPECT_EQ(bpf_map__set_numa_node(m, 1), 0);
  EXPECT_EQ(bpf_map__numa_node(m), 1u);
  EXPECT_EQ(bpf_map__set_map_extra(m, 77), 0);
  EXPECT_EQ(bpf_map__map_extra(m), 77u);
  EXPECT_EQ(bpf_map__set_ifindex(m, 4), 0);
  EXPECT_EQ(bpf_map__ifindex(m), 4u);
  EXPECT_TRUE(bpf_map__autocreate(m));
  EXPECT_EQ(bpf_map__set_autocreate(m, false), 0);
  EXPECT_FALSE(bpf_map__autocreate(m));
  EXPECT_TRUE(bpf_map__autoattach(m));
  EXPECT_EQ(bpf_map__set_autoattach(m, false), 0);
  EXPECT_FALSE(bpf_map__autoattach(m));
  EXPECT_EQ(bpf_map__set_pin_path(m, "/sys/fs/bpf/x"), 0);
  EXPECT_STREQ(bpf_map__pin_path(m), "/sys/fs/bpf/x");
  EXPECT_STREQ(bpf_map__get_pin_path(m), "/sys/fs/bpf/x");
  EXPECT_EQ(bpf_map__set_pin_path(m, nullptr), 0);
  EXPECT_EQ(bpf_map__pin_path(m), nullptr);
  EXPECT_EQ(bpf_map__reuse_fd(m, -1), -EINVAL);
  EXPECT_EQ(bpf_map__fd(nullptr), -EINVAL);

  obj->state = bpfxx::object::State::kLoaded;
  EXPECT_EQ(bpf_map__set_type(m, BPF_MAP_TYPE_ARRAY), -EBUSY);
  EXPECT_EQ(bpf_map__set_key_size(m, 4), -EBUSY);
  EXPECT_EQ(bpf_map__set_value_size(m, 4), -EBUSY);
  EXPECT_EQ(bpf_map__set_max_entries(m, 1), -EBUSY);
  EXPECT_EQ(bpf_map__set_map_flags(m, 0), -EBUSY);
  EXPECT_EQ(bpf_map__set_numa_node(m, 0), -EBUSY);
  EXPECT_EQ(bpf_map__set_map_extra(m, 0), -EBUSY);
  EXPECT_EQ(bpf_map__set_ifindex(m, 0), -EBUSY);
  EXPECT_EQ(bpf_map__set_autocreate(m, true), -EBUSY);
  bpf_map* ro = bpf_object__find_map_by_name(obj.get(), ".rodata");
  uint32_t v = 0;
  EXPECT_EQ(bpf_map__set_initial_value(ro, &v, 4), -EBUSY);
}

}  // namespace

namespace {

// Makes the fake answer BPF_OBJ_GET_INFO_BY_FD as the kernel does for a
// map with typed_hash's key and value sizes; `describe` fills in the rest
// for the fd asked about.
void describe_maps(bpfxx::test::FakeKernel& fake, std::function<void(int fd, bpf_map_info* info)> describe) {
  fake.on_bpf = [describe](int cmd, union bpf_attr* attr, unsigned int) -> long {
    if (cmd != BPF_OBJ_GET_INFO_BY_FD) return bpfxx::test::FakeKernel::kDefer;
    auto* info = reinterpret_cast<bpf_map_info*>(static_cast<uintptr_t>(attr->info.info));
    info->key_size = 16;
    info->value_size = 8;
    describe(static_cast<int>(attr->info.bpf_fd), info);
    return 0;
  };
}

// typed_hash given fd 7 to reuse; null, with the failure recorded, unless
// the map took the fake's duplicate of it (1007).
bpf_map* typed_hash_reusing_fd_7(bpf_object* obj) {
  bpf_map* m = bpf_object__find_map_by_name(obj, "typed_hash");
  EXPECT_NE(m, nullptr);
  if (m == nullptr) return nullptr;
  const int err = bpf_map__reuse_fd(m, 7);
  EXPECT_EQ(err, 0) << "bpf_map__reuse_fd(typed_hash, 7)";
  EXPECT_EQ(bpf_map__fd(m), 1007) << "the fake's dup of 7";
  return err == 0 && bpf_map__fd(m) == 1007 ? m : nullptr;
}

TEST(ObjectMaps, ReuseFdTakesTheKernelDefinition) {
  bpfxx::test::FakeKernel fake;
  describe_maps(fake, [](int, bpf_map_info* info) {
    info->type = BPF_MAP_TYPE_LRU_HASH;
    info->max_entries = 999;
    info->map_flags = 0;
    std::strcpy(info->name, "typed_hash");
  });
  {
    ObjectPtr obj = open_maps();
    ASSERT_NE(obj, nullptr);
    bpfxx::test::ScopedKernel scope(&fake);
    bpf_map* m = typed_hash_reusing_fd_7(obj.get());
    ASSERT_NE(m, nullptr);
    EXPECT_EQ(bpf_map__type(m), BPF_MAP_TYPE_LRU_HASH);
    EXPECT_EQ(bpf_map__max_entries(m), 999u);
    EXPECT_STREQ(bpf_map__name(m), "typed_hash");
    EXPECT_EQ(bpf_object__find_map_fd_by_name(obj.get(), "typed_hash"), 1007);
    // Reused maps exist: their definition is frozen.
    EXPECT_EQ(bpf_map__set_max_entries(m, 1), -EBUSY);
    obj.reset();  // closes our duplicate, not the caller's fd
  }
  EXPECT_EQ(fake.closed, std::vector<int>{1007});
  EXPECT_EQ(fake.count(BPF_OBJ_GET_INFO_BY_FD), 1);
}

// libbpf 1.8: another fd may be given until the object is prepared; the
// earlier duplicate is closed.
TEST(ObjectMaps, ReuseFdAgainUntilPrepared) {
  bpfxx::test::FakeKernel fake;
  describe_maps(fake, [](int fd, bpf_map_info* info) {
    info->type = BPF_MAP_TYPE_HASH;
    info->max_entries = fd == 7 ? 10 : 20;
    std::strcpy(info->name, fd == 7 ? "first" : "second");
  });
  {
    ObjectPtr obj = open_maps();
    ASSERT_NE(obj, nullptr);
    bpfxx::test::ScopedKernel scope(&fake);
    bpf_map* m = typed_hash_reusing_fd_7(obj.get());
    ASSERT_NE(m, nullptr);
    ASSERT_EQ(bpf_map__reuse_fd(m, 8), 0) << "a second fd before load";
    EXPECT_EQ(bpf_map__fd(m), 1008);
    EXPECT_EQ(bpf_map__max_entries(m), 20u);
    EXPECT_STREQ(bpf_map__name(m), "second");
    EXPECT_EQ(fake.closed, std::vector<int>{1007}) << "the first duplicate is closed at once";
    obj->state = bpfxx::object::State::kPrepared;
    {
      bpfxx::test::CapturePrint cap;
      EXPECT_EQ(bpf_map__reuse_fd(m, 9), -EBUSY);
      EXPECT_NE(cap.text().find("map 'second': cannot reuse an fd once the object is prepared"),
                std::string::npos)
          << cap.text();
    }
    EXPECT_EQ(bpf_map__fd(m), 1008);
    obj.reset();
  }
  EXPECT_EQ(fake.closed, (std::vector<int>{1007, 1008}));
  EXPECT_EQ(fake.count(BPF_OBJ_GET_INFO_BY_FD), 2);
}

int setup_calls;
bpf_program* setup_prog;
int custom_setup(bpf_program* prog, long cookie) {
  setup_calls++;
  setup_prog = prog;
  return bpf_program__set_expected_attach_type(prog, static_cast<bpf_attach_type>(cookie));
}

TEST(ObjectOpenHandlers, CustomHandlerSetsUpPrograms) {
  const int id = bpfxx::object::register_handler("totally_unknown_section", BPF_PROG_TYPE_KPROBE,
                                                 static_cast<bpf_attach_type>(0), BPF_TRACE_KPROBE_MULTI,
                                                 custom_setup, nullptr, nullptr);
  ASSERT_GT(id, 0);
  setup_calls = 0;
  {
    ObjectPtr obj(bpf_object__open(prog_path("object_progs").c_str()));
    ASSERT_NE(obj, nullptr);
    bpf_program* p = bpf_object__find_program_by_name(obj.get(), "mystery");
    EXPECT_EQ(setup_calls, 1);
    EXPECT_EQ(setup_prog, p);
    EXPECT_EQ(bpf_program__type(p), BPF_PROG_TYPE_KPROBE);
    EXPECT_EQ(bpf_program__expected_attach_type(p), BPF_TRACE_KPROBE_MULTI);
  }
  EXPECT_EQ(bpfxx::object::unregister_handler(id), 0);
}

}  // namespace

namespace {

TEST(ObjectMaps, UnknownAttributeNeedsRelaxedMaps) {
  {
    bpfxx::test::CapturePrint cap;
    errno = 0;
    EXPECT_EQ(bpf_object__open(prog_path("object_relaxed").c_str()), nullptr);
    EXPECT_EQ(errno, EOPNOTSUPP);
    EXPECT_NE(cap.text().find("map 'odd_map' in object_relaxed: unknown attribute 'future_attribute'"),
              std::string::npos)
        << cap.text();
  }
  LIBBPF_OPTS(bpf_object_open_opts, opts, .relaxed_maps = true);
  ObjectPtr obj(bpf_object__open_file(prog_path("object_relaxed").c_str(), &opts));
  ASSERT_NE(obj, nullptr) << errno;
  bpf_map* m = bpf_object__find_map_by_name(obj.get(), "odd_map");
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(bpf_map__max_entries(m), 2u);
  EXPECT_EQ(bpf_map__value_size(m), 8u);
}

}  // namespace

namespace {

using bpfxx::object::MapData;

TEST(ObjectMapData, StaysPutWhileItsPagesSuffice) {
  const size_t page = bpfxx::object::page_size();
  auto d = MapData::allocate(5);
  ASSERT_TRUE(d.ok());
  uint8_t* p = d->data();
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(d->size(), 5u);
  EXPECT_EQ(d->mapped_size(), page);
  EXPECT_FALSE(d->kernel_mapped());
  for (size_t i = 0; i < 5; i++) EXPECT_EQ(p[i], 0) << i;
  std::memcpy(p, "abcde", 5);

  ASSERT_TRUE(d->resize(100).ok());
  EXPECT_EQ(d->data(), p);
  EXPECT_EQ(std::memcmp(p, "abcde", 5), 0);
  for (size_t i = 5; i < 100; i++) ASSERT_EQ(p[i], 0) << i;
  // Shrinking then growing again shows zeroes, not the old bytes.
  ASSERT_TRUE(d->resize(3).ok());
  ASSERT_TRUE(d->resize(10).ok());
  EXPECT_EQ(std::memcmp(p, "abc\0\0\0\0\0\0\0", 10), 0);

  // More pages: the bytes move, kept and zero-extended.
  ASSERT_TRUE(d->resize(page + 1).ok());
  EXPECT_EQ(d->size(), page + 1);
  EXPECT_EQ(d->mapped_size(), 2 * page);
  EXPECT_EQ(std::memcmp(d->data(), "abc", 3), 0);
  EXPECT_EQ(d->data()[page], 0);

  EXPECT_FALSE(d->resize(0).ok());
  EXPECT_FALSE(MapData::allocate(0).ok());

  MapData moved = std::move(*d);
  EXPECT_TRUE(d->empty());
  EXPECT_EQ(moved.size(), page + 1);
}

TEST(ObjectMapData, FailedKernelMappingKeepsTheBytes) {
  auto d = MapData::allocate(16);
  ASSERT_TRUE(d.ok());
  uint8_t* p = d->data();
  std::memcpy(p, "0123456789abcdef", 16);
  bpfxx::test::FakeKernel fake;  // every mmap fails with ENOSYS
  {
    bpfxx::test::ScopedKernel scope(&fake);
    auto r = d->map_kernel(42, false);
    EXPECT_FALSE(r.ok());
    EXPECT_EQ(r.error(), ENOSYS);
  }
  EXPECT_EQ(fake.other_calls, 1);
  EXPECT_FALSE(d->kernel_mapped());
  EXPECT_EQ(d->data(), p);
  EXPECT_EQ(std::memcmp(p, "0123456789abcdef", 16), 0);
  p[0] = 'x';  // still writable memory
  EXPECT_TRUE(d->make_private().ok()) << "a no-op on private memory";
}

TEST(ObjectMaps, InitialValueFollowsAResize) {
  ObjectPtr obj = open_maps();
  ASSERT_NE(obj, nullptr);
  bpf_map* data = bpf_object__find_map_by_name(obj.get(), ".data");
  ASSERT_NE(data, nullptr);
  size_t sz = 0;
  auto* p = static_cast<uint8_t*>(bpf_map__initial_value(data, &sz));
  ASSERT_EQ(sz, 8u);
  uint8_t before[8];
  std::memcpy(before, p, 8);
  // Within the same page the pointer users took stays valid.
  ASSERT_EQ(bpf_map__set_value_size(data, 64), 0);
  EXPECT_EQ(bpf_map__initial_value(data, &sz), p);
  EXPECT_EQ(sz, 64u);
  EXPECT_EQ(bpf_map__value_size(data), 64u);
  EXPECT_EQ(std::memcmp(p, before, 8), 0);
  EXPECT_EQ(p[63], 0);
  // Its last variable is no array, so the BTF cannot describe the new
  // size: the map loses its BTF types (libbpf's rule).
  EXPECT_EQ(bpf_map__btf_value_type_id(data), 0u);
  // Beyond it the bytes move with their contents.
  const size_t big = 3 * bpfxx::object::page_size();
  ASSERT_EQ(bpf_map__set_value_size(data, static_cast<__u32>(big)), 0);
  auto* q = static_cast<uint8_t*>(bpf_map__initial_value(data, &sz));
  EXPECT_EQ(sz, big);
  EXPECT_EQ(std::memcmp(q, before, 8), 0);
  // set_initial_value wants the new size exactly.
  std::vector<uint8_t> fill(big, 0xab);
  EXPECT_EQ(bpf_map__set_initial_value(data, fill.data(), 8), -EINVAL);
  EXPECT_EQ(bpf_map__set_initial_value(data, fill.data(), big), 0);
  EXPECT_EQ(q[big - 1], 0xab);
  // Only an array's data can be resized.
  ASSERT_EQ(bpf_map__set_type(data, BPF_MAP_TYPE_HASH), 0);
  EXPECT_EQ(bpf_map__set_value_size(data, 16), -EOPNOTSUPP);
}

TEST(ObjectMaps, TypedOperationsNeedALoadedObject) {
  ObjectPtr obj = open_maps();
  ASSERT_NE(obj, nullptr);
  bpf_map* h = bpf_object__find_map_by_name(obj.get(), "typed_hash");
  ASSERT_NE(h, nullptr);
  uint8_t key[16] = {};
  uint64_t value = 0;
  errno = 0;
  EXPECT_EQ(bpf_map__lookup_elem(h, key, sizeof key, &value, sizeof value, 0), -ENOENT);
  EXPECT_EQ(errno, ENOENT);
  EXPECT_EQ(bpf_map__update_elem(h, key, sizeof key, &value, sizeof value, 0), -ENOENT);
  EXPECT_EQ(bpf_map__delete_elem(h, key, sizeof key, 0), -ENOENT);
  EXPECT_EQ(bpf_map__get_next_key(h, nullptr, key, sizeof key), -ENOENT);
  EXPECT_EQ(bpf_map__lookup_and_delete_elem(h, key, sizeof key, &value, sizeof value, 0), -ENOENT);
  // Pinning needs a created map too.
  EXPECT_EQ(bpf_map__pin(h, nullptr), -EINVAL);
  EXPECT_EQ(bpf_object__pin_maps(obj.get(), "/sys/fs/bpf/x"), -ENOENT);
  EXPECT_EQ(bpf_object__pin_programs(obj.get(), "/sys/fs/bpf/x"), -ENOENT);
}

// libbpf rounds a ring buffer's size at open, inner templates included:
// bpf_map__max_entries() shows from open on what the kernel will get.
TEST(ObjectMaps, RingbufSizeIsRoundedAtOpen) {
  ObjectPtr obj(bpf_object__open(prog_path("map_ringbuf_in_map").c_str()));
  ASSERT_NE(obj, nullptr) << errno;
  const uint32_t page = static_cast<uint32_t>(bpfxx::object::page_size());
  const uint32_t want = bpfxx::object::ringbuf_size(5000);
  EXPECT_EQ(want, page >= 8192 ? page : 8192u);
  bpf_map* rb = bpf_object__find_map_by_name(obj.get(), "rb_inner");
  bpf_map* outer = bpf_object__find_map_by_name(obj.get(), "rb_outer");
  ASSERT_TRUE(rb && outer);
  EXPECT_EQ(bpf_map__max_entries(rb), want);
  bpf_map* templ = bpf_map__inner_map(outer);
  ASSERT_NE(templ, nullptr);
  EXPECT_EQ(bpf_map__type(templ), BPF_MAP_TYPE_RINGBUF);
  EXPECT_EQ(bpf_map__max_entries(templ), want) << "the inner template too";
}

// A `values` initialiser belongs to map-in-maps and program arrays only;
// on any other map the object does not open (libbpf: EOPNOTSUPP).
TEST(ObjectMaps, ValuesOnAPlainMapAreRefused) {
  bpfxx::test::CapturePrint cap;
  errno = 0;
  EXPECT_EQ(bpf_object__open(prog_path("map_values_plain").c_str()), nullptr);
  EXPECT_EQ(errno, EOPNOTSUPP);
  EXPECT_NE(cap.text().find("map 'plain' in "), std::string::npos) << cap.text();
  EXPECT_NE(cap.text().find("'values' is only allowed in map-in-maps and program arrays (type 2)"),
            std::string::npos)
      << cap.text();
}

// Offset in the file of the .rel.maps entry whose symbol is sym_name.
size_t maps_relo_of(const std::vector<uint8_t>& b, const std::string& sym_name) {
  using bpfxx::test::find_shdr;
  using bpfxx::test::rd;
  using bpfxx::test::shdr_off;
  const size_t symtab = rd(b, shdr_off(b, static_cast<size_t>(find_shdr(b, ".symtab"))) + 24, 8);
  const size_t want = (bpfxx::test::find_sym(b, sym_name) - symtab) / 24;
  const int rel = find_shdr(b, ".rel.maps");
  const size_t off = rd(b, shdr_off(b, static_cast<size_t>(rel)) + 24, 8);
  const size_t size = rd(b, shdr_off(b, static_cast<size_t>(rel)) + 32, 8);
  for (size_t p = off; p + 16 <= off + size; p += 16)
    if (rd(b, p + 12, 4) == want) return p;
  ADD_FAILURE() << "no .rel.maps entry for " << sym_name;
  return 0;
}

// The same at the relocation level: an initialiser landing in a map that
// is neither a map-in-map nor a program array is refused, naming the map,
// whatever its BTF says.
TEST(ObjectMaps, InitialiserRelocationIntoAPlainMapIsRefused) {
  std::vector<uint8_t> b = bpfxx::test::prog_bytes("object_maps");
  const size_t relo = maps_relo_of(b, "inner_b");
  ASSERT_NE(relo, 0u);
  const size_t hash_sym = bpfxx::test::find_sym(b, "typed_hash");
  ASSERT_NE(hash_sym, 0u);
  bpfxx::test::wr(b, relo, 8, bpfxx::test::rd(b, hash_sym + 8, 8));  // r_offset: inside typed_hash
  bpfxx::test::CapturePrint cap;
  errno = 0;
  ObjectPtr obj(bpf_object__open_mem(b.data(), b.size(), nullptr));
  EXPECT_EQ(obj, nullptr);
  EXPECT_EQ(errno, EINVAL);
  EXPECT_NE(cap.text().find("map 'typed_hash': static 'values' need a map-in-map or program array, not map type 1"),
            std::string::npos)
      << cap.text();
}

TEST(ObjectMaps, RingbufMaxEntriesIsRounded) {
  using bpfxx::object::ringbuf_size;
  const uint32_t page = static_cast<uint32_t>(bpfxx::object::page_size());
  EXPECT_EQ(ringbuf_size(0), 0u);
  EXPECT_EQ(ringbuf_size(1), page);
  EXPECT_EQ(ringbuf_size(page), page);
  EXPECT_EQ(ringbuf_size(page + 1), 2 * page);
  EXPECT_EQ(ringbuf_size(3 * page), 4 * page);
  EXPECT_EQ(ringbuf_size(8 * page), 8 * page);
  EXPECT_EQ(ringbuf_size(0xffffffffu), 0xffffffffu) << "no fitting size: left to the kernel";
}

}  // namespace
