// Opening objects: programs, sections, types, subprograms, recorded
// relocations, options, program getters and setters, no kernel calls.
#include <bpf/libbpf.h>

#include "fake_kernel.h"
#include "object/object.h"
#include "object_test_util.h"

#include <gtest/gtest.h>

#include <cerrno>
#include <string>
#include <vector>

using bpfxx::object::RelocKind;
using bpfxx::test::ObjectPtr;
using bpfxx::test::prog_bytes;
using bpfxx::test::prog_path;

namespace {

std::vector<std::string> program_names(const bpf_object* obj) {
  std::vector<std::string> out;
  bpf_program* p;
  bpf_object__for_each_program(p, obj) out.push_back(bpf_program__name(p));
  return out;
}

const bpf_program* internal_prog(const bpf_object* obj, const std::string& name) {
  for (const auto& p : obj->programs)
    if (p->name == name) return p.get();
  return nullptr;
}

std::vector<RelocKind> kinds(const bpf_program* p) {
  std::vector<RelocKind> out;
  for (const auto& r : p->relos) out.push_back(r.kind);
  return out;
}

TEST(ObjectOpen, ProgramsFromFile) {
  ObjectPtr obj(bpf_object__open(prog_path("object_progs").c_str()));
  ASSERT_NE(obj, nullptr) << errno;
  EXPECT_STREQ(bpf_object__name(obj.get()), "object_progs");
  // Section order, then offset order; .text functions are not programs.
  EXPECT_EQ(program_names(obj.get()),
            (std::vector<std::string>{"xdp_one", "xdp_two", "tp_prog", "sleepy", "mystery"}));
  bpf_program* one = bpf_object__find_program_by_name(obj.get(), "xdp_one");
  bpf_program* two = bpf_object__find_program_by_name(obj.get(), "xdp_two");
  ASSERT_NE(one, nullptr);
  ASSERT_NE(two, nullptr);
  EXPECT_STREQ(bpf_program__section_name(one), "xdp");
  EXPECT_STREQ(bpf_program__section_name(two), "xdp");
  EXPECT_EQ(bpf_program__insn_cnt(one), 13u);
  EXPECT_EQ(bpf_program__insn_cnt(two), 9u);
  EXPECT_EQ(bpf_program__type(one), BPF_PROG_TYPE_XDP);
  EXPECT_EQ(bpf_program__expected_attach_type(one), BPF_XDP);

  bpf_program* tp = bpf_object__find_program_by_name(obj.get(), "tp_prog");
  EXPECT_EQ(bpf_program__type(tp), BPF_PROG_TYPE_TRACEPOINT);
  EXPECT_STREQ(bpf_program__section_name(tp), "tp/syscalls/sys_enter_getpid");

  bpf_program* sleepy = bpf_object__find_program_by_name(obj.get(), "sleepy");
  EXPECT_EQ(bpf_program__type(sleepy), BPF_PROG_TYPE_TRACING);
  EXPECT_EQ(bpf_program__expected_attach_type(sleepy), BPF_TRACE_FENTRY);
  EXPECT_TRUE(sleepy->sleepable);
  EXPECT_FALSE(tp->sleepable);

  // An unknown section opens; its type stays unset for set_type to fix.
  bpf_program* mystery = bpf_object__find_program_by_name(obj.get(), "mystery");
  ASSERT_NE(mystery, nullptr);
  EXPECT_EQ(bpf_program__type(mystery), BPF_PROG_TYPE_UNSPEC);
  EXPECT_EQ(mystery->sec_def, nullptr);
  EXPECT_EQ(bpf_program__set_type(mystery, BPF_PROG_TYPE_SOCKET_FILTER), 0);
  EXPECT_EQ(bpf_program__type(mystery), BPF_PROG_TYPE_SOCKET_FILTER);

  // Subprograms exist but are neither iterated nor found by name.
  errno = 0;
  EXPECT_EQ(bpf_object__find_program_by_name(obj.get(), "static_helper"), nullptr);
  EXPECT_EQ(errno, ENOENT);
  const bpf_program* sh = internal_prog(obj.get(), "static_helper");
  const bpf_program* gh = internal_prog(obj.get(), "global_helper");
  const bpf_program* cb = internal_prog(obj.get(), "loop_cb");
  ASSERT_TRUE(sh && gh && cb);
  EXPECT_TRUE(sh->is_subprog && gh->is_subprog && cb->is_subprog);
  EXPECT_FALSE(sh->mark_btf_static);
  EXPECT_FALSE(gh->mark_btf_static);
  EXPECT_EQ(sh->sec_name, ".text");
  EXPECT_EQ(obj->license, "GPL");
}

TEST(ObjectOpen, RelocationsClassified) {
  ObjectPtr obj(bpf_object__open(prog_path("object_progs").c_str()));
  ASSERT_NE(obj, nullptr);
  const bpf_program* one = internal_prog(obj.get(), "xdp_one");
  // call static_helper, then the .rodata `limit`.
  EXPECT_EQ(kinds(one), (std::vector<RelocKind>{RelocKind::kCall, RelocKind::kData}));
  const bpf_map* rodata = obj->maps[one->relos[1].map_idx].get();
  EXPECT_EQ(rodata->real_name, ".rodata");
  EXPECT_EQ(one->relos[0].target_sec, obj->text_shndx);
  EXPECT_EQ(one->insns[one->relos[0].insn_idx].code, BPF_JMP | BPF_CALL);
  EXPECT_EQ(one->insns[one->relos[1].insn_idx].code, BPF_LD | BPF_IMM | BPF_DW);

  const bpf_program* two = internal_prog(obj.get(), "xdp_two");
  ASSERT_EQ(kinds(two), (std::vector<RelocKind>{RelocKind::kCall}));
  const bpf_program* gh = internal_prog(obj.get(), "global_helper");
  EXPECT_EQ(two->relos[0].sym_off, static_cast<int64_t>(gh->sec_insn_off) * 8);

  // bpf_loop's callback is an ld_imm64 of a function.
  const bpf_program* tp = internal_prog(obj.get(), "tp_prog");
  ASSERT_EQ(kinds(tp), (std::vector<RelocKind>{RelocKind::kSubprogAddr}));

  // Subprograms keep their own records (.bss and .data users).
  const bpf_program* sh = internal_prog(obj.get(), "static_helper");
  ASSERT_EQ(kinds(sh), (std::vector<RelocKind>{RelocKind::kData}));
  EXPECT_EQ(obj->maps[sh->relos[0].map_idx]->real_name, ".bss");
  const bpf_program* mystery = internal_prog(obj.get(), "mystery");
  ASSERT_EQ(kinds(mystery), (std::vector<RelocKind>{RelocKind::kData}));
  EXPECT_STREQ(bpfxx::object::reloc_kind_name(RelocKind::kSubprogAddr), "subprog_addr");
}

TEST(ObjectOpen, FromMemoryMatchesFile) {
  std::vector<uint8_t> bytes = prog_bytes("object_progs");
  ObjectPtr file(bpf_object__open(prog_path("object_progs").c_str()));
  ObjectPtr mem(bpf_object__open_mem(bytes.data(), bytes.size(), nullptr));
  ASSERT_NE(file, nullptr);
  ASSERT_NE(mem, nullptr);
  // Default name of memory objects: "<address>-<size>", cut to 15 chars.
  char expect[64];
  snprintf(expect, sizeof expect, "%lx-%lx", reinterpret_cast<unsigned long>(bytes.data()),
           static_cast<unsigned long>(bytes.size()));
  EXPECT_EQ(std::string(bpf_object__name(mem.get())), std::string(expect).substr(0, 15));
  // The caller's buffer may go away: the object has its own copy.
  std::fill(bytes.begin(), bytes.end(), 0);
  EXPECT_EQ(program_names(file.get()), program_names(mem.get()));
  bpf_program *a, *b;
  for (a = bpf_object__next_program(file.get(), nullptr), b = bpf_object__next_program(mem.get(), nullptr);
       a && b; a = bpf_object__next_program(file.get(), a), b = bpf_object__next_program(mem.get(), b)) {
    ASSERT_EQ(bpf_program__insn_cnt(a), bpf_program__insn_cnt(b));
    EXPECT_EQ(memcmp(bpf_program__insns(a), bpf_program__insns(b), bpf_program__insn_cnt(a) * 8), 0);
  }
  EXPECT_EQ(a, nullptr);
  EXPECT_EQ(b, nullptr);
}

TEST(ObjectOpen, IterationBothWays) {
  ObjectPtr obj(bpf_object__open(prog_path("object_progs").c_str()));
  ASSERT_NE(obj, nullptr);
  std::vector<std::string> back;
  for (bpf_program* p = bpf_object__prev_program(obj.get(), nullptr); p;
       p = bpf_object__prev_program(obj.get(), p))
    back.push_back(bpf_program__name(p));
  EXPECT_EQ(back, (std::vector<std::string>{"mystery", "sleepy", "tp_prog", "xdp_two", "xdp_one"}));
  EXPECT_EQ(bpf_object__next_program(nullptr, nullptr), nullptr);
  std::vector<std::string> maps, maps_back;
  bpf_map* m;
  bpf_object__for_each_map(m, obj.get()) maps.push_back(bpf_map__name(m));
  for (m = bpf_object__prev_map(obj.get(), nullptr); m; m = bpf_object__prev_map(obj.get(), m))
    maps_back.push_back(bpf_map__name(m));
  EXPECT_EQ(maps, (std::vector<std::string>{"object_p.data", "object_p.rodata", "object_p.bss"}));
  std::reverse(maps_back.begin(), maps_back.end());
  EXPECT_EQ(maps, maps_back);
}

TEST(ObjectOpen, Options) {
  std::vector<uint8_t> bytes = prog_bytes("object_maps");
  char log[64];
  LIBBPF_OPTS(bpf_object_open_opts, opts, .object_name = "custom_name_that_is_long",
              .relaxed_maps = true, .pin_root_path = "/tmp/pins/", .kconfig = "CONFIG_X=y",
              .btf_custom_path = "/tmp/vmlinux.btf", .kernel_log_buf = log,
              .kernel_log_size = sizeof log, .kernel_log_level = 2, .bpf_token_path = "");
  ObjectPtr obj(bpf_object__open_mem(bytes.data(), bytes.size(), &opts));
  ASSERT_NE(obj, nullptr) << errno;
  EXPECT_STREQ(bpf_object__name(obj.get()), "custom_name_tha");
  EXPECT_TRUE(obj->opts.relaxed_maps);
  EXPECT_EQ(obj->opts.pin_root_path, "/tmp/pins");
  EXPECT_TRUE(obj->opts.has_kconfig);
  EXPECT_EQ(obj->opts.kconfig, "CONFIG_X=y");
  EXPECT_EQ(obj->opts.btf_custom_path, "/tmp/vmlinux.btf");
  EXPECT_EQ(obj->opts.kernel_log_buf, log);
  EXPECT_EQ(obj->opts.kernel_log_size, sizeof log);
  EXPECT_EQ(obj->opts.kernel_log_level, 2u);
  EXPECT_TRUE(obj->opts.has_token_path);
  EXPECT_EQ(obj->opts.bpf_token_path, "");
  EXPECT_STREQ(bpf_map__pin_path(bpf_object__find_map_by_name(obj.get(), "typed_hash")),
               "/tmp/pins/typed_hash");

  // Unknown non-zero tail bytes and half-set log options are refused.
  struct {
    bpf_object_open_opts o;
    char extra[8];
  } big{};
  big.o.sz = sizeof big;
  big.extra[3] = 1;
  errno = 0;
  EXPECT_EQ(bpf_object__open_mem(bytes.data(), bytes.size(), &big.o), nullptr);
  EXPECT_EQ(errno, EINVAL);
  LIBBPF_OPTS(bpf_object_open_opts, half, .kernel_log_buf = log);
  EXPECT_EQ(bpf_object__open_mem(bytes.data(), bytes.size(), &half), nullptr);
  EXPECT_EQ(errno, EINVAL);
  // An older caller's smaller struct works.
  bpf_object_open_opts small{};
  small.sz = offsetof(bpf_object_open_opts, pin_root_path);
  small.object_name = "old";
  ObjectPtr old(bpf_object__open_mem(bytes.data(), bytes.size(), &small));
  ASSERT_NE(old, nullptr);
  EXPECT_STREQ(bpf_object__name(old.get()), "old");
}

TEST(ObjectOpen, ArgumentErrors) {
  errno = 0;
  EXPECT_EQ(bpf_object__open(nullptr), nullptr);
  EXPECT_EQ(errno, EINVAL);
  EXPECT_EQ(bpf_object__open("/nonexistent/x.bpf.o"), nullptr);
  EXPECT_EQ(errno, ENOENT);
  EXPECT_EQ(bpf_object__open("/tmp"), nullptr);
  EXPECT_EQ(errno, EINVAL);
  EXPECT_EQ(bpf_object__open_mem(nullptr, 10, nullptr), nullptr);
  EXPECT_EQ(errno, EINVAL);
  bpf_object__close(nullptr);  // NULL-safe
}

TEST(ObjectOpen, ObjectGetters) {
  ObjectPtr obj(bpf_object__open(prog_path("object_progs").c_str()));
  ASSERT_NE(obj, nullptr);
  EXPECT_EQ(bpf_object__kversion(obj.get()), 0u);
  EXPECT_EQ(bpf_object__set_kversion(obj.get(), 0x60c00), 0);
  EXPECT_EQ(bpf_object__kversion(obj.get()), 0x60c00u);
  ASSERT_NE(bpf_object__btf(obj.get()), nullptr);
  EXPECT_GT(btf__type_cnt(bpf_object__btf(obj.get())), 1u);
  EXPECT_NE(obj->btf_ext_data, nullptr);
  EXPECT_EQ(bpf_object__btf_fd(obj.get()), -1);
  EXPECT_EQ(bpf_object__token_fd(obj.get()), -1);
  EXPECT_EQ(bpf_object__find_map_fd_by_name(obj.get(), ".bss"), -1);
  errno = 0;
  EXPECT_EQ(bpf_object__find_map_fd_by_name(obj.get(), "nope"), -EINVAL);
  EXPECT_EQ(errno, EINVAL);
  // Loaded state (as the load phase will set it): settings are frozen.
  obj->state = bpfxx::object::State::kLoaded;
  EXPECT_EQ(bpf_object__set_kversion(obj.get(), 1), -EBUSY);
}

TEST(ObjectOpen, ProgramSetters) {
  ObjectPtr obj(bpf_object__open(prog_path("object_progs").c_str()));
  ASSERT_NE(obj, nullptr);
  bpf_program* p = bpf_object__find_program_by_name(obj.get(), "xdp_one");
  EXPECT_TRUE(bpf_program__autoload(p));
  EXPECT_EQ(bpf_program__set_autoload(p, false), 0);
  EXPECT_FALSE(bpf_program__autoload(p));
  EXPECT_TRUE(bpf_program__autoattach(p));
  bpf_program__set_autoattach(p, false);
  EXPECT_FALSE(bpf_program__autoattach(p));
  EXPECT_EQ(bpf_program__set_flags(p, BPF_F_TEST_RND_HI32), 0);
  EXPECT_EQ(bpf_program__flags(p), static_cast<__u32>(BPF_F_TEST_RND_HI32));
  EXPECT_EQ(bpf_program__set_log_level(p, 2), 0);
  EXPECT_EQ(bpf_program__log_level(p), 2u);
  char buf[32];
  size_t sz = 0;
  EXPECT_EQ(bpf_program__log_buf(p, &sz), nullptr);
  EXPECT_EQ(bpf_program__set_log_buf(p, buf, sizeof buf), 0);
  EXPECT_EQ(bpf_program__log_buf(p, &sz), buf);
  EXPECT_EQ(sz, sizeof buf);
  EXPECT_EQ(bpf_program__set_log_buf(p, nullptr, 10), -EINVAL);
  EXPECT_EQ(bpf_program__set_expected_attach_type(p, BPF_XDP_DEVMAP), 0);
  EXPECT_EQ(bpf_program__expected_attach_type(p), BPF_XDP_DEVMAP);
  bpf_program__set_ifindex(p, 3);
  EXPECT_EQ(p->ifindex, 3u);
  EXPECT_EQ(bpf_program__set_attach_target(p, 0, "do_nanosleep"), 0);
  EXPECT_EQ(p->attach_func_name, "do_nanosleep");
  EXPECT_EQ(bpf_program__set_attach_target(p, 0, nullptr), -EINVAL);
  EXPECT_EQ(bpf_program__set_attach_target(p, -1, "x"), -EINVAL);
  errno = 0;
  EXPECT_EQ(bpf_program__fd(p), -ENOENT);
  EXPECT_EQ(errno, ENOENT);
  EXPECT_EQ(bpf_program__fd(nullptr), -EINVAL);

  bpf_insn two[2] = {};
  two[0].code = BPF_ALU64 | BPF_MOV | BPF_K;
  two[1].code = BPF_JMP | BPF_EXIT;
  EXPECT_EQ(bpf_program__set_insns(p, two, 2), 0);
  EXPECT_EQ(bpf_program__insn_cnt(p), 2u);
  EXPECT_EQ(bpf_program__insns(p)[1].code, BPF_JMP | BPF_EXIT);
  EXPECT_EQ(bpf_program__set_insns(p, nullptr, 0), -EINVAL);

  obj->state = bpfxx::object::State::kLoaded;
  EXPECT_EQ(bpf_program__set_type(p, BPF_PROG_TYPE_XDP), -EBUSY);
  EXPECT_EQ(bpf_program__set_expected_attach_type(p, BPF_XDP), -EBUSY);
  EXPECT_EQ(bpf_program__set_flags(p, 0), -EBUSY);
  EXPECT_EQ(bpf_program__set_log_level(p, 0), -EBUSY);
  EXPECT_EQ(bpf_program__set_log_buf(p, nullptr, 0), -EBUSY);
  EXPECT_EQ(bpf_program__set_insns(p, two, 2), -EBUSY);
  EXPECT_EQ(bpf_program__set_autoload(p, true), -EINVAL);
  EXPECT_EQ(bpf_program__set_attach_target(p, 0, "x"), -EINVAL);
}

TEST(ObjectOpen, NoKernelCalls) {
  bpfxx::test::FakeKernel fake;
  std::vector<uint8_t> progs = prog_bytes("object_progs");
  std::vector<uint8_t> maps = prog_bytes("object_maps");
  {
    bpfxx::test::ScopedKernel scope(&fake);
    ObjectPtr a(bpf_object__open_mem(progs.data(), progs.size(), nullptr));
    ObjectPtr b(bpf_object__open_mem(maps.data(), maps.size(), nullptr));
    ObjectPtr c(bpf_object__open(prog_path("object_maps").c_str()));
    ASSERT_NE(a, nullptr);
    ASSERT_NE(b, nullptr);
    ASSERT_NE(c, nullptr);
  }
  EXPECT_TRUE(fake.calls.empty());
  EXPECT_EQ(fake.other_calls, 0);
  EXPECT_TRUE(fake.closed.empty());
}

TEST(ObjectOpen, LegacyMapsSectionRefused) {
  bpfxx::test::CapturePrint cap;
  errno = 0;
  EXPECT_EQ(bpf_object__open(prog_path("legacy_maps").c_str()), nullptr);
  EXPECT_EQ(errno, EOPNOTSUPP);
  EXPECT_NE(cap.text().find("legacy map definitions are not supported; use BTF-defined maps in .maps"),
            std::string::npos)
      << cap.text();
  EXPECT_NE(cap.text().find("legacy_maps"), std::string::npos) << cap.text();
}

}  // namespace

namespace {

TEST(ObjectOpen, NextPhaseSectionsRecorded) {
  ObjectPtr obj(bpf_object__open(prog_path("object_sections").c_str()));
  ASSERT_NE(obj, nullptr) << errno;
  // struct_ops and arena data: recognised, kept for the next issue.
  ASSERT_EQ(obj->struct_ops_shndx.size(), 1u);
  EXPECT_NE(obj->arena_shndx, 0u);
  bpf_map* arena = bpf_object__find_map_by_name(obj.get(), "arena");
  ASSERT_NE(arena, nullptr);
  EXPECT_EQ(bpf_map__type(arena), BPF_MAP_TYPE_ARENA);
  bpf_program* ops = bpf_object__find_program_by_name(obj.get(), "ops_handler");
  ASSERT_NE(ops, nullptr);
  EXPECT_EQ(bpf_program__type(ops), BPF_PROG_TYPE_STRUCT_OPS);

  // Externs: two kfuncs and a typeless kernel variable.
  ASSERT_EQ(obj->externs.size(), 3u);
  int funcs = 0, vars = 0;
  for (const auto& e : obj->externs) {
    funcs += e.kind == bpfxx::object::ExternKind::kKsymFunc;
    vars += e.kind == bpfxx::object::ExternKind::kKsymVar;
  }
  EXPECT_EQ(funcs, 2);
  EXPECT_EQ(vars, 1);
  EXPECT_FALSE(obj->has_kconfig_externs);

  const bpf_program* p = obj->find_program("use_externs");
  ASSERT_NE(p, nullptr);
  int calls = 0, ext_vars = 0, arena_refs = 0, data = 0;
  for (const auto& r : p->relos) {
    calls += r.kind == RelocKind::kExternCall;
    ext_vars += r.kind == RelocKind::kExternVar;
    arena_refs += r.kind == RelocKind::kArena;
    data += r.kind == RelocKind::kData;
    if (r.kind == RelocKind::kExternCall || r.kind == RelocKind::kExternVar) {
      ASSERT_GE(r.ext_idx, 0);
      EXPECT_EQ(obj->externs[r.ext_idx].name, r.sym_name);
    }
  }
  EXPECT_EQ(calls, 2);
  EXPECT_EQ(ext_vars, 1);
  EXPECT_GE(arena_refs, 1);
  EXPECT_GE(data, 1);  // the bpf_printk format string in .rodata
}

}  // namespace
