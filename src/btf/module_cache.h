// The BTF of the running kernel's modules, shared by every object of the
// process (CO-RE candidates, BTF attach targets, typed ksyms and kfuncs).
//
// Each module's BTF is split BTF over the shared vmlinux BTF (vmlinux()).
// Kernel BTF object ids are never reused, so an entry found by its id stays
// true for as long as the module is loaded; each listing asks the kernel
// which ids exist now, opens only ids it has not seen (once, to read their
// name) and forgets the ones that are gone. A module's BTF is parsed on
// first use and then kept for the process. No fd is kept: whoever needs
// one for the kernel (fd_array, attach_btf_obj_fd, ld_imm64) opens it with
// open_kernel_btf() and owns it.
#pragma once

#include "btf/btf.h"

#include <bpfxx/result.hpp>

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace bpfxx::btf {

class ModuleBtf {
 public:
  using Parser = std::function<::btf::Result(uint32_t id, const std::string& name, const ::btf* base)>;

  ModuleBtf(uint32_t id, std::string name, std::shared_ptr<const ::btf> base, Parser parse)
      : id_(id), name_(std::move(name)), base_(std::move(base)), parse_(std::move(parse)) {}

  uint32_t id() const noexcept { return id_; }
  const std::string& name() const noexcept { return name_; }
  // The module's types (ids from the base's type_cnt() on), parsed on the
  // first call from any thread; null when they cannot be read.
  std::shared_ptr<const ::btf> btf() const;

 private:
  uint32_t id_;
  std::string name_;
  std::shared_ptr<const ::btf> base_;
  Parser parse_;
  mutable std::once_flag parsed_;
  mutable std::shared_ptr<const ::btf> btf_;
};

class ModuleCache {
 public:
  // The cache of the process, over vmlinux(), parsing from
  // /sys/kernel/btf/<module> or else from the kernel by id.
  static ModuleCache& process();

  // A cache over base that parses with parse (tests).
  ModuleCache(std::shared_ptr<const ::btf> base, ModuleBtf::Parser parse);

  // The modules with BTF loaded now, in id order. token_fd (> 0) is the
  // object's BPF token, used to open ids not seen before. Fails only when
  // the base BTF (vmlinux) cannot be read.
  Result<std::vector<std::shared_ptr<const ModuleBtf>>> loaded(int token_fd);

 private:
  ModuleCache();

  std::mutex mu_;
  bool base_tried_ = false;
  std::shared_ptr<const ::btf> base_;
  Result<void> base_error_;
  ModuleBtf::Parser parse_;
  // Every BTF object id seen; null for ones that are not module BTF
  // (vmlinux, programs' BTF).
  std::map<uint32_t, std::shared_ptr<const ModuleBtf>> known_;
};

// A new fd for kernel BTF object id (with the token when token_fd > 0),
// owned by the caller; a negative errno when it cannot be opened.
int open_kernel_btf(uint32_t id, int token_fd);

}  // namespace bpfxx::btf
