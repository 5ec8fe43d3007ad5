// kconfig and ksym externs of our own programs, resolved against this
// kernel: values equal what user space reads from /proc/config.gz, uname
// and /proc/kallsyms; a kfunc returns our own task; weak externs the
// kernel lacks read 0 and their calls are dropped; strong ones fail the
// load with a message naming them.
#include "object_support.h"
#include "sys/kernel.h"

#include <sys/utsname.h>

#include <gmock/gmock.h>

#include <cstdio>
#include <cstring>
#include <map>
#include <sstream>
#include <string>

namespace bpfxx::test {
namespace {

using ::testing::HasSubstr;

// CONFIG_X -> value as written, from the kernel's own config: the same
// sources as the loader (/proc/config.gz, else /boot/config-<release>), read
// independently of it (zcat does the decompression). Empty if neither.
std::map<std::string, std::string> kernel_config() {
  std::map<std::string, std::string> out;
  struct utsname u{};
  if (uname(&u) != 0) return out;
  const std::string cmd = std::string("(zcat /proc/config.gz || cat /boot/config-") + u.release + ") 2>/dev/null";
  FILE* f = popen(cmd.c_str(), "r");
  if (f == nullptr) return out;
  char line[4096];
  while (std::fgets(line, sizeof line, f) != nullptr) {
    std::string s(line);
    while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
    if (!s.starts_with("CONFIG_")) continue;
    const size_t eq = s.find('=');
    if (eq != std::string::npos) out[s.substr(0, eq)] = s.substr(eq + 1);
  }
  pclose(f);
  return out;
}

// The address /proc/kallsyms lists for name; 0 if absent.
uint64_t kallsyms_addr(const std::string& name) {
  FILE* f = std::fopen("/proc/kallsyms", "r");
  if (f == nullptr) return 0;
  char line[512];
  uint64_t addr = 0;
  while (std::fgets(line, sizeof line, f) != nullptr) {
    unsigned long long a = 0;
    char type = 0;
    char sym[256] = {};
    if (std::sscanf(line, "%llx %c %255s", &a, &type, sym) == 3 && name == sym) {
      addr = a;
      break;
    }
  }
  std::fclose(f);
  return addr;
}

// The kernel's version as LINUX_KERNEL_VERSION should give it: from the
// release, except on Debian, whose releases say x.y.0 and whose version
// string carries the real "Debian x.y.z" (libbpf reads it from there).
uint32_t uname_version_code() {
  struct utsname u{};
  if (uname(&u) != 0) return 0;
  unsigned a = 0, b = 0, c = 0;
  const char* debian = std::strstr(u.version, "Debian ");
  if (debian == nullptr || std::sscanf(debian, "Debian %u.%u.%u", &a, &b, &c) != 3) {
    if (std::sscanf(u.release, "%u.%u.%u", &a, &b, &c) != 3) return 0;
  }
  return (a << 16) + (b << 8) + (c > 255 ? 255 : c);
}

int run_syscall_prog(bpf_program* prog) {
  LIBBPF_OPTS(bpf_test_run_opts, opts);
  return bpf_prog_test_run_opts(bpf_program__fd(prog), &opts);
}

class ObjectExternsKconfig : public ::testing::Test {
 protected:
  void SetUp() override { elf_ = prog_bytes("extern_kconfig"); }
  GlobalVar var(const char* name) { return find_global(elf_, name); }
  std::vector<uint8_t> elf_;
};

TEST_F(ObjectExternsKconfig, ValuesEqualTheKernelConfigAndUname) {
  BPFXX_REQUIRE_ROOT();
  const auto cfg = kernel_config();
  if (cfg.empty()) GTEST_SKIP() << "no kernel configuration (/proc/config.gz, /boot/config-<release>)";
  // The options the program reads strongly must be set on this kernel.
  ASSERT_EQ(cfg.count("CONFIG_BPF_SYSCALL"), 1u);
  ASSERT_EQ(cfg.count("CONFIG_HZ"), 1u);
  ASSERT_EQ(cfg.count("CONFIG_NR_CPUS"), 1u);
  ASSERT_EQ(cfg.count("CONFIG_DEFAULT_HOSTNAME"), 1u);
  ASSERT_EQ(cfg.count("CONFIG_BPF_JIT"), 1u);

  ObjectPtr obj = open_prog_object("extern_kconfig");
  ASSERT_TRUE(obj);
  BPFXX_ASSERT_OK(bpf_object__load(obj.get()));
  BPFXX_ASSERT_OK(run_syscall_prog(must_find_program(obj.get(), "read_kconfig")));
  bpf_object* o = obj.get();

  EXPECT_EQ(read_initial<__u32>(o, var("kernel_version")), uname_version_code());
  EXPECT_EQ(read_initial<int>(o, var("bpf_syscall")), cfg.at("CONFIG_BPF_SYSCALL") == "y" ? 1 : 0);
  const std::string jit = cfg.at("CONFIG_BPF_JIT");
  EXPECT_EQ(read_initial<int>(o, var("bpf_jit")), jit == "y" ? 1 : jit == "m" ? 2 : 0) << "tristate";
  EXPECT_EQ(read_initial<int>(o, var("hz")), std::stoi(cfg.at("CONFIG_HZ")));
  EXPECT_EQ(read_initial<__u64>(o, var("nr_cpus")), std::stoull(cfg.at("CONFIG_NR_CPUS")));
  std::string host = cfg.at("CONFIG_DEFAULT_HOSTNAME");
  host = host.substr(1, host.size() - 2);  // unquoted
  const GlobalVar hv = var("hostname");
  std::string got;
  for (size_t i = 0; i < 16; i++) {
    GlobalVar c = hv;
    c.offset += i;
    const char ch = read_initial<char>(o, c);
    if (ch == 0) break;
    got += ch;
  }
  EXPECT_EQ(got, host.substr(0, 15));
  // Weak options no config has read 0.
  EXPECT_EQ(read_initial<int>(o, var("missing")), 0);
  EXPECT_EQ(read_initial<int>(o, var("short_val")), 0);
  EXPECT_EQ(read_initial<int>(o, var("jit_char")), 0);
  // Feature flags: this x86-64 kernel has both.
  EXPECT_EQ(read_initial<int>(o, var("has_cookie")), 1);
  EXPECT_EQ(read_initial<int>(o, var("has_wrapper")), 1);

  // The .kconfig map is internal, read-only for programs and frozen.
  bpf_map* kmap = nullptr;
  bpf_map* m = nullptr;
  bpf_object__for_each_map(m, o) {
    if (std::string(bpf_map__name(m)).ends_with(".kconfig")) kmap = m;
  }
  ASSERT_NE(kmap, nullptr);
  EXPECT_TRUE(bpf_map__is_internal(kmap));
  EXPECT_EQ(bpf_map__map_flags(kmap) & BPF_F_RDONLY_PROG, static_cast<__u32>(BPF_F_RDONLY_PROG));
  bpf_map_info info{};
  __u32 len = sizeof info;
  BPFXX_ASSERT_OK(bpf_map_get_info_by_fd(bpf_map__fd(kmap), &info, &len));
  EXPECT_EQ(info.value_size, bpf_map__value_size(kmap));
  const __u32 zero = 0;
  std::vector<char> buf(info.value_size);
  EXPECT_LT(bpf_map_update_elem(bpf_map__fd(kmap), &zero, buf.data(), 0), 0) << "frozen";
}

TEST_F(ObjectExternsKconfig, TheKconfigOptionWinsOverTheKernelConfig) {
  BPFXX_REQUIRE_ROOT();
  LIBBPF_OPTS(bpf_object_open_opts, opts);
  opts.kconfig =
      "# given by the test\n"
      "CONFIG_HZ=1234\n"
      "CONFIG_BPF_JIT=m\n"
      "CONFIG_BPF_JIT_ALWAYS_ON_CHAR=m\n"
      "CONFIG_BPFXX_SHORT=-0x7fff\n"
      "CONFIG_BPFXX_NEGATIVE=-5\n"
      "CONFIG_BPFXX_MODULE=m\n"
      "CONFIG_DEFAULT_HOSTNAME=\"bpfxx-host\"\n";
  ObjectPtr obj = open_prog_object("extern_kconfig", &opts);
  ASSERT_TRUE(obj);
  if (kernel_config().empty()) {
    // What the option does not give must come from the kernel, which has
    // no readable configuration: the first strong extern left is named.
    FullPrintCapture cap;
    EXPECT_EQ(bpf_object__load(obj.get()), -ESRCH);
    EXPECT_THAT(cap.text(), HasSubstr("kconfig extern 'CONFIG_"));
    GTEST_SKIP() << "no kernel configuration: only the refusal was checked";
  }
  BPFXX_ASSERT_OK(bpf_object__load(obj.get()));
  BPFXX_ASSERT_OK(run_syscall_prog(must_find_program(obj.get(), "read_kconfig")));
  bpf_object* o = obj.get();
  EXPECT_EQ(read_initial<int>(o, var("hz")), 1234);
  EXPECT_EQ(read_initial<int>(o, var("bpf_jit")), 2) << "LIBBPF_TRISTATE_MODULE";
  EXPECT_EQ(read_initial<int>(o, var("jit_char")), 'm');
  EXPECT_EQ(read_initial<int>(o, var("short_val")), -0x7fff);
  EXPECT_EQ(read_initial<long long>(o, var("negative_val")), -5);
  EXPECT_EQ(read_initial<int>(o, var("module_val")), 2);
  EXPECT_EQ(read_initial<char>(o, var("hostname")), 'b');
  // What the option does not give still comes from the kernel.
  EXPECT_EQ(read_initial<int>(o, var("bpf_syscall")), 1);
  EXPECT_EQ(read_initial<__u32>(o, var("kernel_version")), uname_version_code());
}

TEST_F(ObjectExternsKconfig, AValueOutOfRangeFailsTheLoadNamingTheExtern) {
  BPFXX_REQUIRE_ROOT();
  LIBBPF_OPTS(bpf_object_open_opts, opts);
  opts.kconfig = "CONFIG_BPFXX_SHORT=70000\n";
  ObjectPtr obj = open_prog_object("extern_kconfig", &opts);
  ASSERT_TRUE(obj);
  FullPrintCapture cap;
  EXPECT_LT(bpf_object__load(obj.get()), 0);
  EXPECT_THAT(cap.text(), HasSubstr("CONFIG_BPFXX_SHORT"));
  EXPECT_THAT(cap.text(), HasSubstr("does not fit"));
}

TEST(ObjectExternsKconfigMissing, AStrongMissingOptionFailsTheLoadNamingIt) {
  BPFXX_REQUIRE_ROOT();
  ObjectPtr obj = open_prog_object("extern_kconfig_missing");
  ASSERT_TRUE(obj);
  FullPrintCapture cap;
  EXPECT_EQ(bpf_object__load(obj.get()), -ESRCH);
  EXPECT_THAT(cap.text(), HasSubstr("kconfig extern 'CONFIG_BPFXX_NOT_A_REAL_OPTION' has no value"));
}

TEST(ObjectExternsKconfigMissing, TheKconfigOptionCanGiveIt) {
  BPFXX_REQUIRE_ROOT();
  LIBBPF_OPTS(bpf_object_open_opts, opts);
  opts.kconfig = "CONFIG_BPFXX_NOT_A_REAL_OPTION=77";
  ObjectPtr obj = open_prog_object("extern_kconfig_missing", &opts);
  ASSERT_TRUE(obj);
  BPFXX_ASSERT_OK(bpf_object__load(obj.get()));
  bpf_program* prog = must_find_program(obj.get(), "read_missing");
  BPFXX_ASSERT_OK(run_syscall_prog(prog));
  const std::vector<uint8_t> elf = prog_bytes("extern_kconfig_missing");
  EXPECT_EQ(read_initial<int>(obj.get(), find_global(elf, "out")), 77);
}

// The kfuncs extern_ksyms.bpf.c and extern_weak_flavors.bpf.c call
// strongly; older kernels lack them, and the load must then fail naming
// the first one missing.
bool kernel_has_task_kfuncs() {
  return kernel_has_func("bpf_task_from_pid") && kernel_has_func("bpf_task_release");
}

void expect_missing_task_kfunc(bpf_object* obj) {
  FullPrintCapture cap;
  EXPECT_EQ(bpf_object__load(obj), -ESRCH);
  EXPECT_THAT(cap.text(), testing::ContainsRegex("kfunc 'bpf_task_(from_pid|release)' is not in the running kernel"));
}

class ObjectExternsKsyms : public ::testing::Test {
 protected:
  void SetUp() override { elf_ = prog_bytes("extern_ksyms"); }
  GlobalVar var(const char* name) { return find_global(elf_, name); }
  std::vector<uint8_t> elf_;
};

TEST_F(ObjectExternsKsyms, AddressesKfuncsAndWeakSymbolsResolve) {
  BPFXX_REQUIRE_ROOT();
  const uint64_t stext = kallsyms_addr("_stext");
  ASSERT_NE(stext, 0u) << "_stext in /proc/kallsyms";
  ObjectPtr obj = open_prog_object("extern_ksyms");
  ASSERT_TRUE(obj);
  bpf_object* o = obj.get();
  write_initial<int>(o, var("pid_in"), static_cast<int>(getpid()));
  if (!kernel_has_task_kfuncs()) {
    expect_missing_task_kfunc(o);
    GTEST_SKIP() << "the kernel has no bpf_task_from_pid/bpf_task_release kfuncs: only the refusal was checked";
  }
  BPFXX_ASSERT_OK(bpf_object__load(o));
  BPFXX_ASSERT_OK(run_syscall_prog(must_find_program(o, "use_ksyms")));

  EXPECT_EQ(read_initial<__u64>(o, var("stext_addr")), stext) << "typeless ksym = /proc/kallsyms";
  EXPECT_EQ(read_initial<__u64>(o, var("missing_addr")), 0u) << "weak missing typeless ksym";
  EXPECT_EQ(read_initial<int>(o, var("missing_var_exists")), 0) << "weak missing typed ksym";
  EXPECT_EQ(read_initial<int>(o, var("found")), 1) << "bpf_task_from_pid(getpid())";
  EXPECT_EQ(read_initial<int>(o, var("is_current")), 1) << "the kfunc returned our own task";
  EXPECT_EQ(read_initial<int>(o, var("weak_kfunc_exists")), 0) << "weak missing kfunc";
}

TEST_F(ObjectExternsKsyms, AnotherPidGivesAnotherTask) {
  BPFXX_REQUIRE_ROOT();
  ObjectPtr obj = open_prog_object("extern_ksyms");
  ASSERT_TRUE(obj);
  bpf_object* o = obj.get();
  write_initial<int>(o, var("pid_in"), static_cast<int>(getppid()));  // our parent: a task, not ours
  if (!kernel_has_task_kfuncs()) {
    expect_missing_task_kfunc(o);
    GTEST_SKIP() << "the kernel has no bpf_task_from_pid/bpf_task_release kfuncs: only the refusal was checked";
  }
  BPFXX_ASSERT_OK(bpf_object__load(o));
  BPFXX_ASSERT_OK(run_syscall_prog(must_find_program(o, "use_ksyms")));
  EXPECT_EQ(read_initial<int>(o, var("found")), 1);
  EXPECT_EQ(read_initial<int>(o, var("is_current")), 0);
}

TEST(ObjectExternsKsymTyped, APerCpuVariableIsPassedAsItsBtfId) {
  BPFXX_REQUIRE_ROOT();
  ObjectPtr obj = open_prog_object("extern_ksym_typed");
  ASSERT_TRUE(obj);
  if (kallsyms_addr("bpf_prog_active") == 0) {
    // Without CONFIG_KALLSYMS_ALL the kernel cannot place the variable;
    // its refusal names the symbol of the BTF id the loader gave.
    FullPrintCapture cap;
    EXPECT_EQ(bpf_object__load(obj.get()), -ENOENT);
    EXPECT_THAT(cap.text(), HasSubstr("failed to find the address for kernel symbol 'bpf_prog_active'"));
    GTEST_SKIP() << "kallsyms lists no data symbols (CONFIG_KALLSYMS_ALL off): only the BTF id was checked";
  }
  BPFXX_ASSERT_OK(bpf_object__load(obj.get()));
  BPFXX_ASSERT_OK(run_syscall_prog(must_find_program(obj.get(), "read_typed")));
  const std::vector<uint8_t> elf = prog_bytes("extern_ksym_typed");
  EXPECT_GE(read_initial<int>(obj.get(), find_global(elf, "prog_active")), 0);
}

TEST(ObjectExternsKsymMissing, AStrongMissingKfuncFailsTheLoadNamingIt) {
  BPFXX_REQUIRE_ROOT();
  ObjectPtr obj = open_prog_object("extern_ksym_missing");
  ASSERT_TRUE(obj);
  FullPrintCapture cap;
  EXPECT_EQ(bpf_object__load(obj.get()), -ESRCH);
  EXPECT_THAT(cap.text(), HasSubstr("kfunc 'bpfxx_no_such_kfunc' is not in the running kernel"));
}

TEST(ObjectExternsWeak, KfuncFlavorsAndUnknownLinuxValuesDoNotFailTheLoad) {
  BPFXX_REQUIRE_ROOT();
  ObjectPtr obj = open_prog_object("extern_weak_flavors");
  ASSERT_TRUE(obj);
  if (!kernel_has_task_kfuncs()) {
    expect_missing_task_kfunc(obj.get());
    GTEST_SKIP() << "the kernel has no bpf_task_from_pid/bpf_task_release kfuncs: only the refusal was checked";
  }
  BPFXX_ASSERT_OK(bpf_object__load(obj.get()));
  ASSERT_EQ(run_syscall_prog(must_find_program(obj.get(), "pick_flavor")), 0);
  const std::vector<uint8_t> elf = prog_bytes("extern_weak_flavors");
  EXPECT_EQ(read_initial<int>(obj.get(), find_global(elf, "has_foo")), 0);
  EXPECT_EQ(read_initial<int>(obj.get(), find_global(elf, "right_exists")), 1);
  EXPECT_EQ(read_initial<int>(obj.get(), find_global(elf, "wrong_exists")), 0);
  EXPECT_EQ(read_initial<int>(obj.get(), find_global(elf, "found_self")), 1);
  EXPECT_EQ(read_initial<int>(obj.get(), find_global(elf, "two_flavors_exists")), 0)
      << "a kfunc drops only its last ___flavor (libbpf's rule)";
  EXPECT_EQ(read_initial<int>(obj.get(), find_global(elf, "flavored_var_exists")), 0)
      << "a ksym variable is looked up by its whole name";
}

// A kernel whose version cannot be read (uname's release is not a version,
// no Ubuntu or Debian hint): LINUX_KERNEL_VERSION fails the load, as in
// libbpf, instead of reading 0. Everything else is the real kernel.
class NoVersionKernel : public sys::Kernel {
 public:
  int uname(struct utsname* u) override {
    const int rc = sys::Kernel::uname(u);
    std::snprintf(u->release, sizeof u->release, "%s", "custom-build");
    std::snprintf(u->version, sizeof u->version, "%s", "#1 SMP");
    return rc;
  }
};

TEST_F(ObjectExternsKconfig, AnUnknownKernelVersionFailsTheLoadNamingTheExtern) {
  BPFXX_REQUIRE_ROOT();
  ObjectPtr obj = open_prog_object("extern_kconfig");
  ASSERT_TRUE(obj);
  NoVersionKernel k;
  sys::Kernel* old = sys::set_kernel(&k);
  FullPrintCapture cap;
  const int rc = bpf_object__load(obj.get());
  sys::set_kernel(old);
  EXPECT_EQ(rc, -EINVAL);
  EXPECT_THAT(cap.text(), HasSubstr("kconfig extern 'LINUX_KERNEL_VERSION': the running kernel's version "
                                    "cannot be determined"));
}

TEST(ObjectExternsKconfigMap, InitialValueCannotBeSet) {
  BPFXX_REQUIRE_ROOT();
  ObjectPtr obj = open_prog_object("extern_weak_flavors");
  ASSERT_TRUE(obj);
  bpf_map* kconfig = bpf_object__find_map_by_name(obj.get(), ".kconfig");
  ASSERT_NE(kconfig, nullptr);
  size_t size = 0;
  ASSERT_NE(bpf_map__initial_value(kconfig, &size), nullptr);
  std::vector<uint8_t> zeros(size);
  EXPECT_EQ(bpf_map__set_initial_value(kconfig, zeros.data(), zeros.size()), -EINVAL);
}

}  // namespace
}  // namespace bpfxx::test
