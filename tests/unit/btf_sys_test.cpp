// BTF's kernel calls through the syscall seam, with a fake kernel: reading
// BTF back by id (the attr sequence, the buffer retry, fds closed on every
// path) and file access failures reported with the kernel's errno.
#include "fake_kernel.h"

#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstring>
#include <vector>

namespace bpfxx::test {
namespace {

constexpr int kFd = 77;

std::vector<uint8_t> sample_blob() {
  struct btf* b = btf__new_empty();
  btf__add_int(b, "int", 4, BTF_INT_SIGNED);
  btf__add_struct(b, "from_kernel", 4);
  btf__add_field(b, "x", 1, 0, 0);
  __u32 size;
  const auto* p = static_cast<const uint8_t*>(btf__raw_data(b, &size));
  std::vector<uint8_t> v(p, p + size);
  btf__free(b);
  return v;
}

int quiet(enum libbpf_print_level, const char*, va_list) { return 0; }

class BtfSys : public testing::Test {
 protected:
  void SetUp() override { old_ = libbpf_set_print(quiet); }
  void TearDown() override { libbpf_set_print(old_); }
  FakeKernel fake_;
  ScopedKernel scoped_{&fake_};
  libbpf_print_fn_t old_ = nullptr;
};

TEST_F(BtfSys, LoadFromKernelByIdAsksSizeThenData) {
  const std::vector<uint8_t> blob = sample_blob();
  int info_calls = 0;
  fake_.on_bpf = [&](int cmd, union bpf_attr* attr, unsigned int) -> long {
    if (cmd == BPF_BTF_GET_FD_BY_ID) {
      EXPECT_EQ(attr->btf_id, 42u);
      return kFd;
    }
    if (cmd == BPF_OBJ_GET_INFO_BY_FD) {
      info_calls++;
      EXPECT_EQ(attr->info.bpf_fd, static_cast<__u32>(kFd));
      auto* info = reinterpret_cast<bpf_btf_info*>(static_cast<uintptr_t>(attr->info.info));
      if (info->btf != 0 && info->btf_size >= blob.size()) {
        std::memcpy(reinterpret_cast<void*>(static_cast<uintptr_t>(info->btf)), blob.data(),
                    blob.size());
      }
      info->btf_size = static_cast<__u32>(blob.size());
      info->id = 42;
      return 0;
    }
    return FakeKernel::kDefer;
  };
  struct btf* b = btf__load_from_kernel_by_id(42);
  ASSERT_NE(b, nullptr) << std::strerror(errno);
  EXPECT_EQ(info_calls, 2) << "one call for the size, one for the data";
  EXPECT_EQ(btf__find_by_name_kind(b, "from_kernel", BTF_KIND_STRUCT), 2);
  EXPECT_EQ(btf__fd(b), -1) << "the fd used to read it is not kept";
  EXPECT_NE(std::find(fake_.closed.begin(), fake_.closed.end(), kFd), fake_.closed.end());
  btf__free(b);
}

TEST_F(BtfSys, LoadFromKernelByIdFailuresCloseTheFd) {
  fake_.results[BPF_BTF_GET_FD_BY_ID] = kFd;
  fake_.results[BPF_OBJ_GET_INFO_BY_FD] = -EPERM;
  EXPECT_EQ(btf__load_from_kernel_by_id(5), nullptr);
  EXPECT_EQ(errno, EPERM);
  EXPECT_NE(std::find(fake_.closed.begin(), fake_.closed.end(), kFd), fake_.closed.end());

  fake_.results[BPF_BTF_GET_FD_BY_ID] = -ENOENT;
  EXPECT_EQ(btf__load_from_kernel_by_id(6), nullptr);
  EXPECT_EQ(errno, ENOENT);
}

TEST_F(BtfSys, GarbageFromTheKernelIsRejected) {
  fake_.on_bpf = [&](int cmd, union bpf_attr* attr, unsigned int) -> long {
    if (cmd == BPF_BTF_GET_FD_BY_ID) return kFd;
    if (cmd == BPF_OBJ_GET_INFO_BY_FD) {
      auto* info = reinterpret_cast<bpf_btf_info*>(static_cast<uintptr_t>(attr->info.info));
      if (info->btf != 0) {
        std::memset(reinterpret_cast<void*>(static_cast<uintptr_t>(info->btf)), 0xab,
                    info->btf_size);
      }
      info->btf_size = 64;
      return 0;
    }
    return FakeKernel::kDefer;
  };
  EXPECT_EQ(btf__load_from_kernel_by_id(9), nullptr);
  EXPECT_EQ(errno, EINVAL);
  EXPECT_NE(std::find(fake_.closed.begin(), fake_.closed.end(), kFd), fake_.closed.end());
}

TEST_F(BtfSys, FileErrorsCarryTheKernelErrno) {
  // The fake kernel fails open() with ENOSYS.
  EXPECT_EQ(btf__parse_raw("/sys/kernel/btf/vmlinux"), nullptr);
  EXPECT_EQ(errno, ENOSYS);
  EXPECT_EQ(btf__parse_elf("/bin/true", nullptr), nullptr);
  EXPECT_EQ(errno, ENOSYS);
  EXPECT_EQ(btf__load_module_btf("../etc/passwd", nullptr), nullptr);
  EXPECT_EQ(errno, EINVAL);
}

}  // namespace
}  // namespace bpfxx::test
