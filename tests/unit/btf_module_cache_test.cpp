// The process-wide module BTF cache (src/btf/module_cache.h) over a fake
// kernel: which BTF objects count as modules, ids opened once and
// forgotten when gone, each module's split BTF parsed once over the base,
// and every fd the listing opens closed again.
#include "btf/module_cache.h"
#include "fake_kernel.h"

#include <bpf/btf.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cstring>
#include <map>
#include <string>
#include <thread>
#include <vector>

namespace bpfxx::test {
namespace {

constexpr int kFdBase = 500;

struct FakeBtfObject {
  std::string name;
  bool kernel_btf;
};

class ModuleCacheTest : public testing::Test {
 protected:
  void SetUp() override {
    ::btf* b = btf__new_empty();
    btf__add_int(b, "int", 4, BTF_INT_SIGNED);
    btf__add_struct(b, "task_struct", 4);
    btf__add_field(b, "pid", 1, 0, 0);
    base_ = std::shared_ptr<const ::btf>(b, [](const ::btf* p) { btf__free(const_cast<::btf*>(p)); });
    fake_.on_bpf = [this](int cmd, union bpf_attr* attr, unsigned) -> long {
      switch (cmd) {
        case BPF_BTF_GET_NEXT_ID: {
          auto it = objects_.upper_bound(attr->start_id);
          if (it == objects_.end()) return -ENOENT;
          attr->next_id = it->first;
          return 0;
        }
        case BPF_BTF_GET_FD_BY_ID:
          if (objects_.count(attr->btf_id) == 0) return -ENOENT;
          opened_.push_back(kFdBase + static_cast<int>(attr->btf_id));
          return kFdBase + attr->btf_id;
        case BPF_OBJ_GET_INFO_BY_FD: {
          const uint32_t id = attr->info.bpf_fd - kFdBase;
          auto it = objects_.find(id);
          if (it == objects_.end()) return -EBADF;
          auto* info = reinterpret_cast<bpf_btf_info*>(attr->info.info);
          info->id = id;
          info->kernel_btf = it->second.kernel_btf ? 1 : 0;
          if (info->name != 0 && info->name_len > it->second.name.size())
            std::memcpy(reinterpret_cast<char*>(info->name), it->second.name.c_str(), it->second.name.size() + 1);
          return 0;
        }
        default:
          return -EINVAL;
      }
    };
  }

  // A module's split BTF built in memory: one struct of its own.
  btf::ModuleBtf::Parser parser() {
    return [this](uint32_t id, const std::string& name, const ::btf* base) -> ::btf::Result {
      parses_++;
      if (name == "broken") return fail(EINVAL, "unreadable");
      ::btf* m = btf__new_empty_split(const_cast<::btf*>(base));
      const std::string type = name + "_state";
      btf__add_struct(m, type.c_str(), 8);
      btf__add_field(m, "id", 1, 0, 0);  // an int of the base
      (void)id;
      return std::unique_ptr<::btf>(m);
    };
  }

  std::vector<std::string> names(const std::vector<std::shared_ptr<const btf::ModuleBtf>>& v) {
    std::vector<std::string> out;
    for (const auto& m : v) out.push_back(m->name() + "#" + std::to_string(m->id()));
    return out;
  }

  FakeKernel fake_;
  std::shared_ptr<const ::btf> base_;
  std::map<uint32_t, FakeBtfObject> objects_;
  std::vector<int> opened_;
  std::atomic<int> parses_{0};
};

TEST_F(ModuleCacheTest, ListsModulesInIdOrderAndParsesEachOnceOverTheBase) {
  objects_ = {{1, {"vmlinux", true}},
              {4, {"nf_tables", true}},
              {7, {"", false}},  // a program's BTF
              {9, {"bpf_testmod", true}}};
  ScopedKernel k(&fake_);
  btf::ModuleCache cache(base_, parser());
  auto mods = cache.loaded(-1);
  ASSERT_TRUE(mods) << mods.message();
  EXPECT_EQ(names(*mods), (std::vector<std::string>{"nf_tables#4", "bpf_testmod#9"}));
  EXPECT_EQ(fake_.count(BPF_BTF_GET_FD_BY_ID), 4) << "each id opened once to read its name";
  EXPECT_EQ(parses_.load(), 0) << "parsing waits for the first use";

  std::shared_ptr<const ::btf> b = (*mods)[1]->btf();
  ASSERT_TRUE(b);
  EXPECT_EQ(b->start_id(), base_->type_cnt()) << "split over the base";
  const int32_t own = b->find_by_name_kind_own("bpf_testmod_state", BTF_KIND_STRUCT);
  EXPECT_GE(own, static_cast<int32_t>(base_->type_cnt()));
  EXPECT_GT(b->find_by_name_kind("task_struct", BTF_KIND_STRUCT), 0) << "base types seen through it";
  EXPECT_LE(b->find_by_name_kind_own("task_struct", BTF_KIND_STRUCT), 0) << "but not as its own";
  EXPECT_EQ((*mods)[1]->btf(), b);
  EXPECT_EQ(parses_.load(), 1);

  // A second listing opens nothing it knows; entries are the same objects.
  auto again = cache.loaded(-1);
  ASSERT_TRUE(again);
  EXPECT_EQ(fake_.count(BPF_BTF_GET_FD_BY_ID), 4);
  EXPECT_EQ((*again)[1], (*mods)[1]);
  EXPECT_EQ((*again)[1]->btf(), b);
  EXPECT_EQ(parses_.load(), 1);

  // Every fd opened for names was closed.
  std::vector<int> closed = fake_.closed;
  std::sort(closed.begin(), closed.end());
  std::sort(opened_.begin(), opened_.end());
  EXPECT_EQ(closed, opened_);
}

TEST_F(ModuleCacheTest, UnloadedModulesAreForgottenAndNewOnesFound) {
  objects_ = {{1, {"vmlinux", true}}, {4, {"nf_tables", true}}};
  ScopedKernel k(&fake_);
  btf::ModuleCache cache(base_, parser());
  auto first = cache.loaded(-1);
  ASSERT_TRUE(first);
  EXPECT_EQ(names(*first), (std::vector<std::string>{"nf_tables#4"}));
  // nf_tables unloaded, then loaded again under a new id; another module.
  objects_ = {{1, {"vmlinux", true}}, {11, {"nf_tables", true}}, {12, {"broken", true}}};
  auto second = cache.loaded(-1);
  ASSERT_TRUE(second);
  EXPECT_EQ(names(*second), (std::vector<std::string>{"nf_tables#11", "broken#12"}));
  EXPECT_EQ((*second)[1]->btf(), nullptr) << "an unreadable module has no BTF, and no error";
  // An entry a caller holds stays usable after its module is gone.
  ASSERT_TRUE((*first)[0]->btf());
  EXPECT_GT((*first)[0]->btf()->find_by_name_kind_own("nf_tables_state", BTF_KIND_STRUCT), 0);
}

TEST_F(ModuleCacheTest, ConcurrentFirstUsesParseOnce) {
  objects_ = {{1, {"vmlinux", true}}, {5, {"mod_a", true}}};
  ScopedKernel k(&fake_);
  btf::ModuleCache cache(base_, parser());
  auto mods = cache.loaded(-1);
  ASSERT_TRUE(mods);
  ASSERT_EQ(mods->size(), 1u);
  const std::shared_ptr<const btf::ModuleBtf> m = (*mods)[0];
  std::vector<std::thread> threads;
  std::vector<const ::btf*> seen(4);
  for (size_t i = 0; i < seen.size(); i++) threads.emplace_back([&, i] { seen[i] = m->btf().get(); });
  for (auto& t : threads) t.join();
  EXPECT_EQ(parses_.load(), 1);
  for (const ::btf* p : seen) EXPECT_EQ(p, seen[0]);
  EXPECT_NE(seen[0], nullptr);
}

TEST_F(ModuleCacheTest, TokenIsPassedWhenOpeningIds) {
  objects_ = {{3, {"mod_t", true}}};
  ScopedKernel k(&fake_);
  btf::ModuleCache cache(base_, parser());
  ASSERT_TRUE(cache.loaded(42));
  const FakeKernel::Call* c = fake_.last(BPF_BTF_GET_FD_BY_ID);
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->attr.fd_by_id_token_fd, 42);
  EXPECT_EQ(c->attr.open_flags & BPF_F_TOKEN_FD, static_cast<__u32>(BPF_F_TOKEN_FD));
  const int fd = btf::open_kernel_btf(3, -1);
  EXPECT_EQ(fd, kFdBase + 3);
  EXPECT_EQ(fake_.last(BPF_BTF_GET_FD_BY_ID)->attr.open_flags, 0u);
}

}  // namespace
}  // namespace bpfxx::test
