// The BTF half of the object load phase against the running kernel: the
// object's BTF uploads (fixed up, .ksyms rewritten) and reads back from the
// kernel as it was fixed; attach targets resolve to the kernel's BTF ids
// (tp_btf, iter, fentry, lsm, "module:name", modules when any has BTF) or
// to a function of another loaded program; missing targets say where they
// were looked for.
#include "test_support.h"

#include "btf/btf.h"
#include "btf/load.h"
#include "object/attach_target.h"
#include "object/btf_fixup.h"
#include "object/load.h"
#include "object/object.h"
#include "sys/features.h"
#include "sys/kernel.h"

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include <gtest/gtest.h>

#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

#include <climits>
#include <cstdarg>
#include <cstring>
#include <memory>
#include <set>
#include <string>
#include <vector>

namespace {

std::string progs_dir() {
#ifdef BPFXX_TEST_PROGS_DIR
  return BPFXX_TEST_PROGS_DIR;
#else
  // The test programs are built next to the test binary (tests/progs).
  char exe[PATH_MAX] = {};
  const ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
  std::string dir = n > 0 ? std::string(exe, static_cast<size_t>(n)) : std::string(".");
  return dir.substr(0, dir.rfind('/')) + "/progs";
#endif
}

struct ObjectCloser {
  void operator()(bpf_object* o) const noexcept { bpf_object__close(o); }
};
using ObjectPtr = std::unique_ptr<bpf_object, ObjectCloser>;

ObjectPtr open_prog(const char* name) {
  const std::string path = progs_dir() + "/" + name + ".bpf.o";
  ObjectPtr o(bpf_object__open_file(path.c_str(), nullptr));
  EXPECT_NE(o, nullptr) << path;
  return o;
}

// Captures the print callback's messages for a scope.
class Capture {
 public:
  Capture() { prev_ = libbpf_set_print(&Capture::cb); text().clear(); }
  ~Capture() { libbpf_set_print(prev_); }
  static std::string& text() {
    static std::string t;
    return t;
  }

 private:
  static int cb(enum libbpf_print_level, const char* fmt, va_list ap) {
    char buf[2048];
    vsnprintf(buf, sizeof buf, fmt, ap);
    text() += buf;
    return 0;
  }
  libbpf_print_fn_t prev_;
};

struct Fd {
  int fd = -1;
  ~Fd() {
    if (fd >= 0) close(fd);
  }
};

// The BTF the kernel holds for fd, parsed.
std::unique_ptr<btf, decltype(&btf__free)> kernel_copy(int btf_fd) {
  bpf_btf_info info{};
  uint32_t len = sizeof info;
  EXPECT_EQ(bpf_btf_get_info_by_fd(btf_fd, &info, &len), 0);
  return {btf__load_from_kernel_by_id(info.id), &btf__free};
}

bpf_program* prog(bpf_object* o, const char* name) {
  bpf_program* p = o->find_program(name);
  EXPECT_NE(p, nullptr) << name;
  return p;
}

int vmlinux_id(const char* name, int kind) {
  auto v = bpfxx::btf::vmlinux();
  return v ? (*v)->find_by_name_kind(name, kind) : -1;
}

TEST(ObjectBtfUpload, FixedUpBtfLoadsAndReadsBackFromTheKernel) {
  BPFXX_REQUIRE_ROOT();
  ObjectPtr o = open_prog("btf_fixup");
  ASSERT_NE(o, nullptr);
  ASSERT_TRUE(bpfxx::object::finalize_btf(*o).ok());
  ASSERT_TRUE(bpfxx::object::upload_btf(*o).ok());
  const int fd = bpf_object__btf_fd(o.get());
  ASSERT_GE(fd, 0);
  EXPECT_EQ(fd, btf__fd(o->btf_data.get()));
  // The kernel's copy has the sizes and offsets the fix-up gave.
  auto k = kernel_copy(fd);
  ASSERT_NE(k, nullptr);
  const int sec = btf__find_by_name_kind(k.get(), ".data.resize", BTF_KIND_DATASEC);
  ASSERT_GT(sec, 0);
  const btf_type* t = btf__type_by_id(k.get(), static_cast<uint32_t>(sec));
  EXPECT_EQ(t->size, 32u);
  EXPECT_EQ(btf_var_secinfos(t)[1].offset, 8u);
  const int hidden = btf__find_by_name_kind(k.get(), "hidden_helper", BTF_KIND_FUNC);
  ASSERT_GT(hidden, 0);
  EXPECT_EQ(btf_vlen(btf__type_by_id(k.get(), static_cast<uint32_t>(hidden))), BTF_FUNC_STATIC);
  // Second call: nothing to do.
  ASSERT_TRUE(bpfxx::object::upload_btf(*o).ok());
  EXPECT_EQ(btf__fd(o->btf_data.get()), fd);
}

TEST(ObjectBtfUpload, ExternSectionsAreMadeAcceptable) {
  BPFXX_REQUIRE_ROOT();
  ObjectPtr o = open_prog("btf_fixup_externs");
  ASSERT_NE(o, nullptr);
  ASSERT_TRUE(bpfxx::object::finalize_btf(*o).ok());
  auto r = bpfxx::object::upload_btf(*o);
  ASSERT_TRUE(r.ok()) << r.message();
  const int fd = btf__fd(o->btf_data.get());
  ASSERT_GE(fd, 0);  // kfunc externs make the BTF mandatory: it did load
  auto k = kernel_copy(fd);
  ASSERT_NE(k, nullptr);
  const int ks = btf__find_by_name_kind(k.get(), ".ksyms", BTF_KIND_DATASEC);
  ASSERT_GT(ks, 0);
  EXPECT_EQ(btf__type_by_id(k.get(), static_cast<uint32_t>(ks))->size, 16u);
  EXPECT_GT(btf__find_by_name_kind(k.get(), "dummy_ksym", BTF_KIND_VAR), 0);
  const int kc = btf__find_by_name_kind(k.get(), ".kconfig", BTF_KIND_DATASEC);
  ASSERT_GT(kc, 0);
  EXPECT_EQ(btf__type_by_id(k.get(), static_cast<uint32_t>(kc))->size, 21u);
  // Ids the object's maps and programs use did not move.
  EXPECT_EQ(btf__find_by_name_kind(k.get(), "externs_prog", BTF_KIND_FUNC),
            btf__find_by_name_kind(o->btf_data.get(), "externs_prog", BTF_KIND_FUNC));
}

TEST(ObjectBtfUpload, KernelLogGoesToTheCallersBuffer) {
  BPFXX_REQUIRE_ROOT();
  std::vector<char> log(64 * 1024, 0);
  LIBBPF_OPTS(bpf_object_open_opts, opts, .kernel_log_buf = log.data(), .kernel_log_size = log.size(),
              .kernel_log_level = 1);
  const std::string path = progs_dir() + "/btf_fixup.bpf.o";
  ObjectPtr o(bpf_object__open_file(path.c_str(), &opts));
  ASSERT_NE(o, nullptr);
  ASSERT_TRUE(bpfxx::object::finalize_btf(*o).ok());
  ASSERT_TRUE(bpfxx::object::upload_btf(*o).ok());
  EXPECT_GE(btf__fd(o->btf_data.get()), 0);
  // Level 1 asks for the log of a successful check too.
  EXPECT_NE(std::string(log.data()).find("DATASEC"), std::string::npos) << log.data();
}

// Sets a DATASEC's size back to 0 (its variables keep their offsets).
void unfinalize(bpf_object& o, const char* sec) {
  const int id = btf__find_by_name_kind(o.btf_data.get(), sec, BTF_KIND_DATASEC);
  ASSERT_GT(id, 0);
  btf_type* t = o.btf_data->type_mut(static_cast<uint32_t>(id));
  ASSERT_NE(t, nullptr);
  t->size = 0;
}

TEST(ObjectBtfUpload, RefusedBtfIsDroppedUnlessRequired) {
  BPFXX_REQUIRE_ROOT();
  ObjectPtr o = open_prog("btf_fixup");
  ASSERT_NE(o, nullptr);
  // Undo open's fix-up of .data (size 0 again, as clang wrote it): the
  // kernel refuses a DATASEC whose variables lie outside it.
  unfinalize(*o, ".data");
  Capture cap;
  ASSERT_TRUE(bpfxx::object::upload_btf(*o).ok());
  EXPECT_LT(btf__fd(o->btf_data.get()), 0);
  EXPECT_NE(cap.text().find("continuing without BTF"), std::string::npos) << cap.text();
  EXPECT_NE(cap.text().find("BTF LOAD LOG"), std::string::npos) << cap.text();

  ObjectPtr e = open_prog("btf_fixup_externs");
  ASSERT_NE(e, nullptr);
  unfinalize(*e, ".bss");
  auto r = bpfxx::object::upload_btf(*e);  // refused, and kfuncs need it
  EXPECT_FALSE(r.ok());
  EXPECT_NE(r.message().find("kfunc"), std::string::npos) << r.message();
  EXPECT_LT(btf__fd(e->btf_data.get()), 0);
}

TEST(ObjectAttachTarget, TpBtfIterFentryLsmResolveInVmlinux) {
  BPFXX_REQUIRE_ROOT();
  ObjectPtr o = open_prog("attach_target");
  ASSERT_NE(o, nullptr);
  struct Case {
    const char* prog;
    const char* btf_name;
    int kind;
  } cases[] = {
      {"on_switch", "btf_trace_sched_switch", BTF_KIND_TYPEDEF},
      {"each_task", "bpf_iter_task", BTF_KIND_FUNC},
      {"on_unlink", "do_unlinkat", BTF_KIND_FUNC},
      {"on_unlink_exit", "do_unlinkat", BTF_KIND_FUNC},  // "vmlinux:do_unlinkat"
      {"on_file_open", "bpf_lsm_file_open", BTF_KIND_FUNC},
  };
  for (const Case& c : cases) {
    const int want = vmlinux_id(c.btf_name, c.kind);
    ASSERT_GT(want, 0) << c.btf_name << " missing from this kernel's BTF";
    auto t = bpfxx::object::resolve_attach_target(*prog(o.get(), c.prog));
    ASSERT_TRUE(t.ok()) << c.prog << ": " << t.message();
    EXPECT_EQ(t->btf_id, static_cast<uint32_t>(want)) << c.prog;
    EXPECT_EQ(t->btf_obj_fd, -1) << c.prog;
    EXPECT_EQ(t->attach_prog_fd, 0) << c.prog;
  }
  // bpf_program__set_attach_target()'s name wins over the section's.
  bpf_program* p = prog(o.get(), "on_unlink");
  p->attach_func_name = "vfs_read";
  auto t = bpfxx::object::resolve_attach_target(*p);
  ASSERT_TRUE(t.ok()) << t.message();
  EXPECT_EQ(t->btf_id, static_cast<uint32_t>(vmlinux_id("vfs_read", BTF_KIND_FUNC)));
}

TEST(ObjectAttachTarget, MultiSectionPatternPicksAMatchingFunction) {
  BPFXX_REQUIRE_ROOT();
  ObjectPtr o = open_prog("attach_target");
  ASSERT_NE(o, nullptr);
  auto t = bpfxx::object::resolve_attach_target(*prog(o.get(), "on_unlinks"));
  ASSERT_TRUE(t.ok()) << t.message();
  auto v = bpfxx::btf::vmlinux();
  ASSERT_TRUE(v.ok());
  const btf_type* f = (*v)->type_by_id(t->btf_id);
  ASSERT_NE(f, nullptr);
  EXPECT_TRUE(btf_is_func(f));
  EXPECT_EQ(std::string((*v)->str_by_offset(f->name_off)).rfind("do_unlink", 0), 0u);
  // Outside multi sections a '*' is part of the name, which no function has.
  bpf_program* p = prog(o.get(), "on_unlink");
  p->attach_func_name = "do_unlink*";
  Capture cap;
  EXPECT_EQ(bpfxx::object::resolve_attach_target(*p).error(), ESRCH);
}

TEST(ObjectAttachTarget, MissingTargetsSayWhereTheyWereLookedFor) {
  BPFXX_REQUIRE_ROOT();
  ObjectPtr o = open_prog("attach_target");
  ASSERT_NE(o, nullptr);
  Capture cap;
  auto t = bpfxx::object::resolve_attach_target(*prog(o.get(), "on_missing"));
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.error(), ESRCH);
  EXPECT_EQ(t.message(),
            "prog 'on_missing': attach target 'btf_trace_bpfxx_no_such_tracepoint' not found in vmlinux or "
            "modules");
  EXPECT_NE(cap.text().find("btf_trace_bpfxx_no_such_tracepoint"), std::string::npos);

  t = bpfxx::object::resolve_attach_target(*prog(o.get(), "on_missing_module"));
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.error(), ESRCH);
  EXPECT_NE(t.message().find("not found in module 'bpfxx_no_such_module'"), std::string::npos) << t.message();

  t = bpfxx::object::resolve_attach_target(*prog(o.get(), "unnamed_target"));
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.error(), EINVAL);
  EXPECT_NE(t.message().find("bpf_program__set_attach_target"), std::string::npos) << t.message();

  // freplace needs a program fd.
  t = bpfxx::object::resolve_attach_target(*prog(o.get(), "replacement"));
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.error(), EINVAL);
}

// A one-instruction XDP program whose BTF describes it as "target_fn".
struct TargetProg {
  Fd btf_fd;
  Fd prog_fd;
  int func_id = 0;
};

void load_target_prog(TargetProg& out) {
  btf* b = btf__new_empty();
  ASSERT_NE(b, nullptr);
  const int int_id = btf__add_int(b, "int", 4, BTF_INT_SIGNED);
  const int ptr_id = btf__add_ptr(b, 0);
  const int proto = btf__add_func_proto(b, int_id);
  ASSERT_EQ(btf__add_func_param(b, "ctx", ptr_id), 0);
  out.func_id = btf__add_func(b, "target_fn", BTF_FUNC_STATIC, proto);
  ASSERT_GT(out.func_id, 0);
  ASSERT_EQ(btf__load_into_kernel(b), 0);
  out.btf_fd.fd = dup(btf__fd(b));
  btf__free(b);

  const bpf_insn insns[] = {
      {BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, 2 /* XDP_PASS */},
      {BPF_JMP | BPF_EXIT, 0, 0, 0, 0},
  };
  bpf_func_info fi{0, static_cast<uint32_t>(out.func_id)};
  LIBBPF_OPTS(bpf_prog_load_opts, lo, .prog_btf_fd = static_cast<uint32_t>(out.btf_fd.fd),
              .func_info = &fi, .func_info_cnt = 1, .func_info_rec_size = sizeof fi);
  out.prog_fd.fd = bpf_prog_load(BPF_PROG_TYPE_XDP, "target_fn", "GPL", insns, 2, &lo);
  ASSERT_GE(out.prog_fd.fd, 0) << strerror(errno);
}

TEST(ObjectAttachTarget, FunctionOfAnotherProgram) {
  BPFXX_REQUIRE_ROOT();
  TargetProg target;
  ASSERT_NO_FATAL_FAILURE(load_target_prog(target));
  ObjectPtr o = open_prog("attach_target");
  ASSERT_NE(o, nullptr);
  // freplace/target_fn: the name from the section, the fd from the caller.
  bpf_program* p = prog(o.get(), "replacement");
  p->attach_prog_fd = target.prog_fd.fd;
  auto t = bpfxx::object::resolve_attach_target(*p);
  ASSERT_TRUE(t.ok()) << t.message();
  // The kernel's copy of the program's BTF keeps the ids it was given.
  EXPECT_EQ(t->btf_id, static_cast<uint32_t>(target.func_id));
  EXPECT_EQ(t->attach_prog_fd, target.prog_fd.fd);
  EXPECT_EQ(t->btf_obj_fd, -1);

  // fentry on a BPF program, target named with set_attach_target().
  bpf_program* f = prog(o.get(), "unnamed_target");
  f->attach_prog_fd = target.prog_fd.fd;
  Capture cap;
  t = bpfxx::object::resolve_attach_target(*f);  // a fd without any name
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.error(), EINVAL);
  f->attach_func_name = "target_fn";
  t = bpfxx::object::resolve_attach_target(*f);
  ASSERT_TRUE(t.ok()) << t.message();
  EXPECT_EQ(t->btf_id, static_cast<uint32_t>(target.func_id));
  f->attach_func_name = "no_such_fn";
  t = bpfxx::object::resolve_attach_target(*f);
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.error(), ENOENT);
  EXPECT_NE(t.message().find("'no_such_fn' not found in the BTF of target program"), std::string::npos)
      << t.message();
}

TEST(ObjectAttachTarget, ProgramWithoutBtfIsNoTarget) {
  BPFXX_REQUIRE_ROOT();
  const bpf_insn insns[] = {
      {BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, 2},
      {BPF_JMP | BPF_EXIT, 0, 0, 0, 0},
  };
  Fd pfd;
  pfd.fd = bpf_prog_load(BPF_PROG_TYPE_XDP, "no_btf", "GPL", insns, 2, nullptr);
  ASSERT_GE(pfd.fd, 0);
  ObjectPtr o = open_prog("attach_target");
  ASSERT_NE(o, nullptr);
  bpf_program* p = prog(o.get(), "replacement");
  p->attach_prog_fd = pfd.fd;
  Capture cap;
  auto t = bpfxx::object::resolve_attach_target(*p);
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.error(), EINVAL);
  EXPECT_NE(t.message().find("has no BTF"), std::string::npos) << t.message();
}

// The first FUNC of the first module with BTF under /sys/kernel/btf.
bool find_module_func(std::string& module, std::string& func, uint32_t& id) {
  DIR* d = opendir("/sys/kernel/btf");
  if (d == nullptr) return false;
  std::vector<std::string> mods;
  while (dirent* e = readdir(d)) {
    if (e->d_name[0] != '.' && std::strcmp(e->d_name, "vmlinux") != 0) mods.emplace_back(e->d_name);
  }
  closedir(d);
  auto v = bpfxx::btf::vmlinux();
  if (!v) return false;
  for (const std::string& m : mods) {
    auto mb = bpfxx::btf::load_module(m.c_str(), v->get());
    if (!mb) continue;
    const ::btf& b = **mb;
    for (uint32_t i = b.start_id(); i < b.type_cnt(); i++) {
      const btf_type* t = b.type_by_id(i);
      if (!btf_is_func(t)) continue;
      const char* n = b.str_by_offset(t->name_off);
      // A name vmlinux does not have, so that the module is where it is.
      if (n == nullptr || (*v)->find_by_name_kind(n, BTF_KIND_FUNC) > 0) continue;
      if (b.find_by_name_kind_own(n, BTF_KIND_FUNC) != static_cast<int32_t>(i)) continue;
      module = m;
      func = n;
      id = i;
      return true;
    }
  }
  return false;
}

TEST(ObjectAttachTarget, FunctionInAModule) {
  BPFXX_REQUIRE_ROOT();
  std::string module, func;
  uint32_t id = 0;
  if (!find_module_func(module, func, id))
    GTEST_SKIP() << "no kernel module with BTF is loaded (/sys/kernel/btf holds only vmlinux)";
  ObjectPtr o = open_prog("attach_target");
  ASSERT_NE(o, nullptr);
  bpf_program* p = prog(o.get(), "on_unlink");
  for (const std::string& name : {func, module + ":" + func}) {
    p->attach_func_name = name;
    auto t = bpfxx::object::resolve_attach_target(*p);
    ASSERT_TRUE(t.ok()) << name << ": " << t.message();
    EXPECT_EQ(t->btf_id, id) << name;
    ASSERT_GE(t->btf_obj_fd, 0) << name;
    // The fd is the module's BTF object.
    char buf[64] = {};
    bpf_btf_info info{};
    info.name = reinterpret_cast<uintptr_t>(buf);
    info.name_len = sizeof buf;
    uint32_t len = sizeof info;
    EXPECT_EQ(bpf_btf_get_info_by_fd(t->btf_obj_fd, &info, &len), 0);
    EXPECT_EQ(std::string(buf), module);
    close(t->btf_obj_fd);
  }
}

// The real kernel plus one module with BTF that this machine lacks:
// "bpfxx_fakemod", listed after the real BTF objects under a made-up id.
// Its fd is a real BTF object's (so closing works); its info says it is
// kernel BTF of that name, and its contents are a split BTF over vmlinux.
class FakeModuleKernel : public bpfxx::sys::Kernel {
 public:
  static constexpr uint32_t kFakeId = 0x7ffffff0;

  int backing_fd = -1;
  std::set<int> module_fds;  // fds of the module (the backing's id stays itself)
  std::vector<uint8_t> blob;  // the module's split BTF
  int fds_handed = 0;

  long bpf(int cmd, union bpf_attr* attr, unsigned int size) override {
    if (cmd == BPF_BTF_GET_NEXT_ID) {
      const long r = Kernel::bpf(cmd, attr, size);
      if (r == -ENOENT && attr->start_id < kFakeId) {
        attr->next_id = kFakeId;
        return 0;
      }
      return r;
    }
    if (cmd == BPF_BTF_GET_FD_BY_ID && attr->btf_id == kFakeId) {
      fds_handed++;
      const int fd = fcntl(backing_fd, F_DUPFD_CLOEXEC, 3);
      module_fds.insert(fd);
      return fd;
    }
    // The kernel replaces btf_size with its own: keep the caller's.
    auto* info = reinterpret_cast<bpf_btf_info*>(static_cast<uintptr_t>(attr->info.info));
    const bool is_info = cmd == BPF_OBJ_GET_INFO_BY_FD && attr->info.info_len >= sizeof(bpf_btf_info) &&
                         module_fds.count(static_cast<int>(attr->info.bpf_fd)) != 0;
    const uint32_t user_size = is_info ? info->btf_size : 0;
    const long r = Kernel::bpf(cmd, attr, size);
    if (is_info && r == 0) {
      // The kernel has replaced name_len with the name's length (0): the
      // callers here pass buffers of at least 16 bytes.
      const char name[] = "bpfxx_fakemod";
      if (info->name != 0)
        std::memcpy(reinterpret_cast<void*>(static_cast<uintptr_t>(info->name)), name, sizeof name);
      info->name_len = sizeof name - 1;
      if (info->btf != 0 && user_size >= blob.size())
        std::memcpy(reinterpret_cast<void*>(static_cast<uintptr_t>(info->btf)), blob.data(), blob.size());
      info->btf_size = static_cast<uint32_t>(blob.size());
      info->kernel_btf = 1;
      info->id = kFakeId;
    }
    return r;
  }
};

TEST(ObjectAttachTarget, FunctionInAFakedModule) {
  BPFXX_REQUIRE_ROOT();
  auto vml = bpfxx::btf::vmlinux();
  ASSERT_TRUE(vml.ok());
  // The module's BTF: a function and a tracepoint vmlinux does not have.
  btf* split = btf__new_empty_split(const_cast<btf*>(vml->get()));
  ASSERT_NE(split, nullptr);
  const int int_id = btf__find_by_name_kind(split, "int", BTF_KIND_INT);
  const int proto = btf__add_func_proto(split, int_id);
  const int fn = btf__add_func(split, "bpfxx_fakemod_fn", BTF_FUNC_GLOBAL, proto);
  const int tp = btf__add_typedef(split, "btf_trace_bpfxx_fakemod_tp", proto);
  ASSERT_GT(fn, 0);
  ASSERT_GT(tp, 0);
  FakeModuleKernel fake;
  uint32_t n = 0;
  const auto* raw = static_cast<const uint8_t*>(btf__raw_data(split, &n));
  fake.blob.assign(raw, raw + n);
  btf__free(split);
  // Something real behind the module's fd.
  btf* tiny = btf__new_empty();
  btf__add_int(tiny, "int", 4, BTF_INT_SIGNED);
  ASSERT_EQ(btf__load_into_kernel(tiny), 0);
  Fd backing;
  backing.fd = dup(btf__fd(tiny));
  btf__free(tiny);
  fake.backing_fd = backing.fd;

  ObjectPtr o = open_prog("attach_target");
  ASSERT_NE(o, nullptr);
  bpfxx::sys::has_feature(bpfxx::sys::Feature::ModuleBtf);  // probed with the real kernel
  bpfxx::sys::set_kernel(&fake);
  struct Restore {
    ~Restore() { bpfxx::sys::set_kernel(nullptr); }
  } restore;

  bpf_program* p = prog(o.get(), "on_unlink");
  for (const char* name : {"bpfxx_fakemod_fn", "bpfxx_fakemod:bpfxx_fakemod_fn"}) {
    p->attach_func_name = name;
    auto t = bpfxx::object::resolve_attach_target(*p);
    ASSERT_TRUE(t.ok()) << name << ": " << t.message();
    EXPECT_EQ(t->btf_id, static_cast<uint32_t>(fn)) << name;
    ASSERT_GE(t->btf_obj_fd, 0) << name;
    EXPECT_EQ(t->attach_prog_fd, 0);
    bpf_btf_info info{};
    uint32_t len = sizeof info;
    ASSERT_EQ(bpf_btf_get_info_by_fd(t->btf_obj_fd, &info, &len), 0);
    EXPECT_EQ(info.id, FakeModuleKernel::kFakeId);  // the module's fd, handed to the caller
    close(t->btf_obj_fd);
  }
  // tp_btf targets live in modules too.
  bpf_program* s = prog(o.get(), "on_switch");
  s->attach_func_name = "bpfxx_fakemod_tp";
  auto t = bpfxx::object::resolve_attach_target(*s);
  ASSERT_TRUE(t.ok()) << t.message();
  EXPECT_EQ(t->btf_id, static_cast<uint32_t>(tp));
  close(t->btf_obj_fd);
  // Another module's name: not looked for in this one.
  p->attach_func_name = "other_mod:bpfxx_fakemod_fn";
  Capture cap;
  t = bpfxx::object::resolve_attach_target(*p);
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.error(), ESRCH);
  EXPECT_NE(t.message().find("not found in module 'other_mod'"), std::string::npos) << t.message();
  // vmlinux still comes first, without a module fd.
  p->attach_func_name = "do_unlinkat";
  t = bpfxx::object::resolve_attach_target(*p);
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->btf_obj_fd, -1);
  EXPECT_GE(fake.fds_handed, 3);  // one per module hit, and the listing's
}

}  // namespace
