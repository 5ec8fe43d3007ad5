// The process's module BTF cache (module_cache.h).
#include "btf/module_cache.h"

#include "base/log.h"
#include "btf/load.h"
#include "sys/kernel.h"

#include <bpf/bpf.h>

#include <cstring>

namespace bpfxx::btf {
namespace {

// The name of BTF object id when it is a module's kernel BTF; empty when
// it is vmlinux or a program's BTF. ENOENT-like failures (gone meanwhile,
// not permitted) come back as a negative errno.
int module_name_of(uint32_t id, int token_fd, std::string& name) {
  const int fd = open_kernel_btf(id, token_fd);
  if (fd < 0) return fd;
  char buf[64] = {};
  bpf_btf_info info{};
  info.name = reinterpret_cast<uintptr_t>(buf);
  info.name_len = sizeof buf;
  uint32_t len = sizeof info;
  const int rc = bpf_btf_get_info_by_fd(fd, &info, &len);
  sys::kernel().close(fd);
  if (rc != 0) return rc;
  buf[sizeof buf - 1] = 0;
  name.clear();
  if (info.kernel_btf != 0 && buf[0] != 0 && std::strcmp(buf, "vmlinux") != 0) name = buf;
  return 0;
}

::btf::Result parse_from_kernel(uint32_t id, const std::string& name, const ::btf* base) {
  ::btf::Result b = load_module(name.c_str(), base);
  if (!b) b = load_from_kernel_by_id(id, base);
  return b;
}

}  // namespace

std::shared_ptr<const ::btf> ModuleBtf::btf() const {
  std::call_once(parsed_, [this] {
    ::btf::Result b = parse_(id_, name_, base_.get());
    if (!b) {
      BPFXX_DEBUG("BTF of module '%s' (id %u) cannot be read: %s\n", name_.c_str(), id_,
                  b.message().c_str());
      return;
    }
    // The split BTF views the base: keep both alive together.
    struct Holder {
      std::shared_ptr<const ::btf> base;
      std::unique_ptr<::btf> split;
    };
    auto h = std::make_shared<Holder>(Holder{base_, std::move(*b)});
    btf_ = std::shared_ptr<const ::btf>(h, h->split.get());
  });
  return btf_;
}

ModuleCache& ModuleCache::process() {
  static ModuleCache c;
  return c;
}

ModuleCache::ModuleCache() : parse_(parse_from_kernel) {}

ModuleCache::ModuleCache(std::shared_ptr<const ::btf> base, ModuleBtf::Parser parse)
    : base_tried_(true), base_(std::move(base)), parse_(std::move(parse)) {}

Result<std::vector<std::shared_ptr<const ModuleBtf>>> ModuleCache::loaded(int token_fd) {
  std::lock_guard<std::mutex> lock(mu_);
  if (!base_tried_) {
    base_tried_ = true;
    Result<std::shared_ptr<const ::btf>> v = vmlinux();
    if (v)
      base_ = *v;
    else
      base_error_ = v.failure();
  }
  if (!base_) return base_error_.failure();
  std::map<uint32_t, std::shared_ptr<const ModuleBtf>> now;
  uint32_t id = 0;
  while (bpf_btf_get_next_id(id, &id) == 0) {
    auto old = known_.find(id);
    if (old != known_.end()) {
      now.insert(known_.extract(old));
      continue;
    }
    std::string name;
    if (module_name_of(id, token_fd, name) != 0) continue;  // gone, or not ours to open: ask again later
    now.emplace(id, name.empty() ? nullptr : std::make_shared<const ModuleBtf>(id, name, base_, parse_));
  }
  // Objects gone since the last listing (unloaded modules, programs' BTF)
  // are forgotten; users holding an entry keep it alive.
  known_ = std::move(now);
  std::vector<std::shared_ptr<const ModuleBtf>> out;
  for (const auto& [kid, m] : known_) {
    if (m) out.push_back(m);
  }
  return out;
}

int open_kernel_btf(uint32_t id, int token_fd) {
  bpf_get_fd_by_id_opts o{};
  o.sz = sizeof o;
  if (token_fd > 0) {
    o.token_fd = static_cast<uint32_t>(token_fd);
    o.open_flags = BPF_F_TOKEN_FD;
  }
  return bpf_btf_get_fd_by_id_opts(id, &o);
}

}  // namespace bpfxx::btf
