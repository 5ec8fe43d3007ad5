// BTF against the running kernel: vmlinux BTF parsed and queried, every
// module's BTF parsed as split BTF, a built BTF loaded into the kernel and
// read back by id, and the per-process shared vmlinux instance.
#include "test_support.h"

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "btf/load.h"
#include "sys/kernel.h"

#include <gtest/gtest.h>

#include <dirent.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <vector>

// In the ABI; its declaration joins <bpf/libbpf.h> with the object layer.
extern "C" int libbpf_find_vmlinux_btf_id(const char* name, enum bpf_attach_type attach_type);

namespace {

bool have_vmlinux_btf() { return access("/sys/kernel/btf/vmlinux", R_OK) == 0; }

TEST(BtfKernel, VmlinuxParsesAndWellKnownTypesAreThere) {
  if (!have_vmlinux_btf()) GTEST_SKIP() << "no /sys/kernel/btf/vmlinux";
  struct btf* vm = btf__load_vmlinux_btf();
  ASSERT_NE(vm, nullptr) << std::strerror(errno);
  EXPECT_GT(btf__type_cnt(vm), 10000u);
  EXPECT_EQ(btf__pointer_size(vm), sizeof(void*));
  EXPECT_EQ(btf__endianness(vm), BTF_LITTLE_ENDIAN);
  for (const char* name : {"task_struct", "sk_buff", "file", "inode", "mm_struct", "bpf_prog"}) {
    const int id = btf__find_by_name_kind(vm, name, BTF_KIND_STRUCT);
    ASSERT_GT(id, 0) << name;
    const btf_type* t = btf__type_by_id(vm, static_cast<__u32>(id));
    EXPECT_TRUE(btf_is_struct(t));
    EXPECT_STREQ(btf__name_by_offset(vm, t->name_off), name);
    EXPECT_GT(btf__resolve_size(vm, static_cast<__u32>(id)), 0) << name;
    EXPECT_GT(btf__align_of(vm, static_cast<__u32>(id)), 0) << name;
  }
  // The first of several same-named types is returned, like libbpf.
  const int id = btf__find_by_name(vm, "int");
  ASSERT_GT(id, 0);
  for (int i = 1; i < id; i++) {
    const btf_type* t = btf__type_by_id(vm, static_cast<__u32>(i));
    EXPECT_STRNE(btf__name_by_offset(vm, t->name_off), "int");
  }
  EXPECT_EQ(btf__resolve_size(vm, static_cast<__u32>(id)), 4);
  EXPECT_GT(btf__find_by_name_kind(vm, "bpf_map_lookup_elem", BTF_KIND_FUNC), 0);
  EXPECT_EQ(btf__find_by_name_kind(vm, "no_such_type_really", BTF_KIND_STRUCT), -ENOENT);

  // The raw data is what the kernel exposes, byte for byte.
  __u32 size = 0;
  const void* raw = btf__raw_data(vm, &size);
  ASSERT_NE(raw, nullptr);
  FILE* f = std::fopen("/sys/kernel/btf/vmlinux", "rb");
  ASSERT_NE(f, nullptr);
  std::vector<char> file(size + 1);
  size_t n = std::fread(file.data(), 1, file.size(), f);
  std::fclose(f);
  ASSERT_EQ(n, size);
  EXPECT_EQ(std::memcmp(file.data(), raw, size), 0);
  btf__free(vm);
}

TEST(BtfKernel, SharedVmlinuxInstanceIsCachedOnce) {
  if (!have_vmlinux_btf()) GTEST_SKIP() << "no /sys/kernel/btf/vmlinux";
  auto a = bpfxx::btf::vmlinux();
  auto b = bpfxx::btf::vmlinux();
  ASSERT_TRUE(a.ok()) << a.message();
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(a->get(), b->get());
  EXPECT_GT((*a)->find_by_name_kind("task_struct", BTF_KIND_STRUCT), 0);
}

TEST(BtfKernel, FindVmlinuxBtfIdByAttachType) {
  if (!have_vmlinux_btf()) GTEST_SKIP() << "no /sys/kernel/btf/vmlinux";
  struct btf* vm = btf__load_vmlinux_btf();
  ASSERT_NE(vm, nullptr);
  EXPECT_EQ(libbpf_find_vmlinux_btf_id("sys_enter", BPF_TRACE_RAW_TP),
            btf__find_by_name_kind(vm, "btf_trace_sys_enter", BTF_KIND_TYPEDEF));
  EXPECT_GT(libbpf_find_vmlinux_btf_id("sys_enter", BPF_TRACE_RAW_TP), 0);
  EXPECT_EQ(libbpf_find_vmlinux_btf_id("bpf_map_lookup_elem", BPF_TRACE_FENTRY),
            btf__find_by_name_kind(vm, "bpf_map_lookup_elem", BTF_KIND_FUNC));
  EXPECT_EQ(libbpf_find_vmlinux_btf_id("task", BPF_TRACE_ITER),
            btf__find_by_name_kind(vm, "bpf_iter_task", BTF_KIND_FUNC));
  const int lsm = libbpf_find_vmlinux_btf_id("file_open", BPF_LSM_MAC);
  EXPECT_EQ(lsm, btf__find_by_name_kind(vm, "bpf_lsm_file_open", BTF_KIND_FUNC));
  EXPECT_EQ(libbpf_find_vmlinux_btf_id("no_such_function_anywhere", BPF_TRACE_FENTRY), -ENOENT);
  EXPECT_EQ(errno, ENOENT);
  btf__free(vm);
}

TEST(BtfKernel, EveryModuleParsesAsSplitBtf) {
  if (!have_vmlinux_btf()) GTEST_SKIP() << "no /sys/kernel/btf/vmlinux";
  struct btf* vm = btf__load_vmlinux_btf();
  ASSERT_NE(vm, nullptr);
  DIR* dir = opendir("/sys/kernel/btf");
  ASSERT_NE(dir, nullptr);
  int modules = 0;
  while (dirent* e = readdir(dir)) {
    if (e->d_name[0] == '.' || std::strcmp(e->d_name, "vmlinux") == 0) continue;
    struct btf* mod = btf__load_module_btf(e->d_name, vm);
    EXPECT_NE(mod, nullptr) << e->d_name << ": " << std::strerror(errno);
    if (mod != nullptr) {
      EXPECT_EQ(btf__base_btf(mod), vm);
      EXPECT_GE(btf__type_cnt(mod), btf__type_cnt(vm));
      btf__free(mod);
    }
    modules++;
  }
  closedir(dir);
  btf__free(vm);
  if (modules == 0) GTEST_SKIP() << "this kernel has no module BTF (all parsed: vmlinux only)";
}

TEST(BtfKernel, SplitBtfOverVmlinuxRoundTrips) {
  if (!have_vmlinux_btf()) GTEST_SKIP() << "no /sys/kernel/btf/vmlinux";
  struct btf* vm = btf__load_vmlinux_btf();
  ASSERT_NE(vm, nullptr);
  struct btf* split = btf__new_empty_split(vm);
  const int ts = btf__find_by_name_kind(vm, "task_struct", BTF_KIND_STRUCT);
  const int ptr = btf__add_ptr(split, ts);
  ASSERT_EQ(ptr, static_cast<int>(btf__type_cnt(vm)));
  const int st = btf__add_struct(split, "bpfxx_split_s", 8);
  ASSERT_EQ(btf__add_field(split, "task", ptr, 0, 0), 0);
  EXPECT_EQ(btf__add_str(split, "task_struct"), static_cast<int>(btf__type_by_id(vm, ts)->name_off))
      << "strings of the base are reused";
  __u32 size = 0;
  const void* raw = btf__raw_data(split, &size);
  ASSERT_NE(raw, nullptr);
  struct btf* again = btf__new_split(raw, size, vm);
  ASSERT_NE(again, nullptr);
  EXPECT_EQ(btf__find_by_name_kind(again, "bpfxx_split_s", BTF_KIND_STRUCT), st);
  EXPECT_EQ(btf__resolve_size(again, static_cast<__u32>(st)), 8);
  EXPECT_EQ(btf__find_by_name_kind(again, "task_struct", BTF_KIND_STRUCT), ts);
  btf__free(again);
  btf__free(split);
  btf__free(vm);
}

TEST(BtfKernel, LoadIntoKernelAndReadBackById) {
  BPFXX_REQUIRE_ROOT();
  struct btf* b = btf__new_empty();
  ASSERT_NE(b, nullptr);
  const int i = btf__add_int(b, "int", 4, BTF_INT_SIGNED);
  const int f = btf__add_float(b, "double", 8);
  const int s = btf__add_struct(b, "bpfxx_kernel_test_s", 16);
  ASSERT_EQ(btf__add_field(b, "a", i, 0, 0), 0);
  ASSERT_EQ(btf__add_field(b, "b", i, 32, 0), 0);
  ASSERT_EQ(btf__add_field(b, "d", f, 64, 0), 0);
  const int e = btf__add_enum64(b, "bpfxx_e64", 8, false);
  ASSERT_EQ(btf__add_enum64_value(b, "BPFXX_BIG", 1ull << 40), 0);
  const int tag = btf__add_type_tag(b, "user", i);
  const int p = btf__add_ptr(b, tag);
  const int proto = btf__add_func_proto(b, i);
  ASSERT_EQ(btf__add_func_param(b, "x", p), 0);
  const int fn = btf__add_func(b, "bpfxx_fn", BTF_FUNC_GLOBAL, proto);
  ASSERT_GT(btf__add_decl_tag(b, "bpfxx_tag", fn, 0), fn);
  const int var = btf__add_var(b, "bpfxx_var", BTF_VAR_GLOBAL_ALLOCATED, s);
  ASSERT_EQ(btf__add_datasec(b, ".data", 16), var + 1);
  ASSERT_EQ(btf__add_datasec_var_info(b, var, 0, 16), 0);
  ASSERT_GT(e, 0);

  ASSERT_EQ(btf__load_into_kernel(b), 0) << std::strerror(errno);
  const int fd = btf__fd(b);
  ASSERT_GE(fd, 0);
  EXPECT_EQ(btf__load_into_kernel(b), -EEXIST);

  struct bpf_btf_info info = {};
  __u32 len = sizeof info;
  ASSERT_EQ(bpf_btf_get_info_by_fd(fd, &info, &len), 0);
  ASSERT_GT(info.id, 0u);
  struct btf* back = btf__load_from_kernel_by_id(info.id);
  ASSERT_NE(back, nullptr) << std::strerror(errno);
  EXPECT_EQ(btf__type_cnt(back), btf__type_cnt(b));
  EXPECT_EQ(btf__find_by_name_kind(back, "bpfxx_kernel_test_s", BTF_KIND_STRUCT), s);
  EXPECT_EQ(btf__resolve_size(back, static_cast<__u32>(s)), 16);
  // This kernel knows every kind we used: nothing was rewritten.
  __u32 size_a, size_b;
  const void* ra = btf__raw_data(b, &size_a);
  const void* rb = btf__raw_data(back, &size_b);
  ASSERT_EQ(size_a, size_b);
  EXPECT_EQ(std::memcmp(ra, rb, size_a), 0);
  btf__free(back);
  btf__free(b);  // closes the fd
}

TEST(BtfKernel, BadBtfIsRejectedWithTheKernelLog) {
  BPFXX_REQUIRE_ROOT();
  struct btf* b = btf__new_empty();
  // A struct whose member lies past its end: we accept building it (the
  // check is the kernel's), the kernel refuses it.
  const int i = btf__add_int(b, "int", 4, BTF_INT_SIGNED);
  btf__add_struct(b, "bad_s", 4);
  btf__add_field(b, "m", i, 64, 0);
  static std::string log;
  log.clear();
  auto old = libbpf_set_print([](enum libbpf_print_level, const char* fmt, va_list ap) {
    char buf[8192];
    vsnprintf(buf, sizeof buf, fmt, ap);
    log += buf;
    return 0;
  });
  EXPECT_LT(btf__load_into_kernel(b), 0);
  libbpf_set_print(old);
  EXPECT_NE(log.find("BTF LOAD LOG"), std::string::npos) << log;
  EXPECT_LT(btf__fd(b), 0);
  btf__free(b);
}

// ---- fault injection ------------------------------------------------------

// Passes every call to the real kernel and fails call number fail_at
// (1-based) of bpf/open/read/mmap with EIO.
class BtfFaultKernel : public bpfxx::sys::Kernel {
 public:
  int fail_at = 0;
  int calls = 0;
  bool fired = false;
  bool hit() {
    if (++calls != fail_at) return false;
    fired = true;
    return true;
  }
  long bpf(int cmd, union bpf_attr* attr, unsigned int size) override {
    return hit() ? -EIO : Kernel::bpf(cmd, attr, size);
  }
  int open(const char* path, int flags, mode_t mode) override {
    return hit() ? -EIO : Kernel::open(path, flags, mode);
  }
  ssize_t read(int fd, void* buf, size_t count) override {
    return hit() ? -EIO : Kernel::read(fd, buf, count);
  }
  void* mmap(void* addr, size_t length, int prot, int flags, int fd, off_t offset, int* err) override {
    if (hit()) {
      if (err != nullptr) *err = EIO;
      return MAP_FAILED;
    }
    return Kernel::mmap(addr, length, prot, flags, fd, offset, err);
  }
};

int open_fds() {
  int n = 0;
  DIR* d = opendir("/proc/self/fd");
  while (dirent* e = readdir(d)) n += e->d_name[0] != '.';
  closedir(d);
  return n;
}

// Runs op with call N failing, for N = 1, 2, ... 16, then doubling, until
// a run where no fault fired; every run must leave the fds as they were and
// either succeed or report an error. The doubling covers kernels that
// cannot mmap their BTF files: sysfs hands them out a page per read, over a
// thousand reads that all take the same path.
template <class Op>
void for_each_fault(Op op, int* faults_seen) {
  *faults_seen = 0;
  for (int n = 1; n < (1 << 20); n = n < 16 ? n + 1 : n * 2) {
    BtfFaultKernel fk;
    fk.fail_at = n;
    const int before = open_fds();
    bpfxx::sys::set_kernel(&fk);
    op(fk);
    bpfxx::sys::set_kernel(nullptr);
    EXPECT_EQ(open_fds(), before) << "fd leaked with call " << n << " failing";
    if (!fk.fired) return;
    (*faults_seen)++;
  }
  ADD_FAILURE() << "the operation never completed without a fault";
}

TEST(BtfFaults, ParseRawSurvivesEveryFailingCall) {
  if (!have_vmlinux_btf()) GTEST_SKIP() << "no /sys/kernel/btf/vmlinux";
  auto old = libbpf_set_print(nullptr);
  int faults = 0;
  for_each_fault([](BtfFaultKernel& fk) {
    errno = 0;
    struct btf* b = btf__parse_raw("/sys/kernel/btf/vmlinux");
    if (b == nullptr) {
      EXPECT_TRUE(fk.fired) << "failed without a fault";
      EXPECT_EQ(errno, EIO);
    } else {
      EXPECT_GT(btf__find_by_name_kind(b, "task_struct", BTF_KIND_STRUCT), 0);
      btf__free(b);
    }
  }, &faults);
  EXPECT_GE(faults, 2) << "open and mmap (then the read fallback) are exercised";
  libbpf_set_print(old);
}

TEST(BtfFaults, LoadIntoKernelAndBackSurviveEveryFailingCall) {
  BPFXX_REQUIRE_ROOT();
  auto old = libbpf_set_print(nullptr);
  struct btf* b = btf__new_empty();
  const int i = btf__add_int(b, "int", 4, BTF_INT_SIGNED);
  btf__add_type_tag(b, "user", i);
  btf__add_float(b, "float", 4);
  (void)bpfxx::btf::sanitized_for_kernel(*b);  // probe features before faults
  int faults = 0;
  __u32 id = 0;
  for_each_fault([&](BtfFaultKernel& fk) {
    struct btf* copy = btf__new_empty();
    ASSERT_GT(btf__add_btf(copy, b), 0);
    const int rc = btf__load_into_kernel(copy);
    if (rc < 0) {
      EXPECT_TRUE(fk.fired);
      EXPECT_EQ(rc, -EIO);
      EXPECT_LT(btf__fd(copy), 0);
    } else {
      struct bpf_btf_info info = {};
      __u32 len = sizeof info;
      if (bpf_btf_get_info_by_fd(btf__fd(copy), &info, &len) == 0) id = info.id;
    }
    btf__free(copy);
  }, &faults);
  EXPECT_GE(faults, 1);
  ASSERT_GT(id, 0u);
  // By id: the BTF is gone once freed, so load a fresh one to read back.
  ASSERT_EQ(btf__load_into_kernel(b), 0);
  struct bpf_btf_info info = {};
  __u32 len = sizeof info;
  ASSERT_EQ(bpf_btf_get_info_by_fd(btf__fd(b), &info, &len), 0);
  for_each_fault([&](BtfFaultKernel& fk) {
    struct btf* back = btf__load_from_kernel_by_id(info.id);
    if (back == nullptr) {
      EXPECT_TRUE(fk.fired);
      EXPECT_EQ(errno, EIO);
    } else {
      EXPECT_EQ(btf__type_cnt(back), btf__type_cnt(b));
      btf__free(back);
    }
  }, &faults);
  EXPECT_GE(faults, 3) << "get fd, size query, data query";
  btf__free(b);
  libbpf_set_print(old);
}

TEST(BtfKernel, GetFromIdOfUnknownIdFails) {
  BPFXX_REQUIRE_ROOT();
  EXPECT_EQ(btf__load_from_kernel_by_id(0x7ffffff0u), nullptr);
  EXPECT_EQ(errno, ENOENT);
}

}  // namespace
