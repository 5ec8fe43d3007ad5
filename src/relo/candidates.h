// Candidate target types of a local type: the types of a target BTF with
// the same essential name (flavor suffixes stripped on both sides) and a
// compatible kind.
//
// A NameIndex maps essential names to type ids over one target BTF (its
// own types, from start_id): built once, in flat arrays (buckets of ids in
// one vector), so each look-up touches only the namesakes instead of
// scanning the kernel's ~100k types. shared_index() keeps one per target
// BTF for the whole process, since kernel BTF is shared too.
#pragma once

#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "btf/btf.h"

namespace bpfxx::relo {

class NameIndex {
 public:
  NameIndex(const ::btf& b, uint32_t start_id);
  // Ids (ascending) of the indexed types whose essential name is ess.
  template <class Fn>
  void for_each(std::string_view ess, Fn&& fn) const {
    if (mask_ == 0 && ids_.empty()) return;
    const uint32_t h = btf::name_hash(ess);
    const uint32_t bucket = h & mask_;
    for (uint32_t i = starts_[bucket]; i < starts_[bucket + 1]; i++) {
      if (hashes_[i] == h && essential_of(ids_[i]) == ess) fn(ids_[i]);
    }
  }
  // Kinds that are indexed; other kinds are searched by scanning.
  static bool indexed_kind(uint32_t kind) noexcept;

 private:
  std::string_view essential_of(uint32_t id) const;
  const ::btf& btf_;
  uint32_t mask_ = 0;
  std::vector<uint32_t> starts_;  // mask_ + 2 entries
  std::vector<uint32_t> ids_;
  std::vector<uint32_t> hashes_;
};

// The process-wide index of b's types from start_id (built on first use).
// b must outlive the process's use of it (kernel BTF, kept by its cache).
const NameIndex& shared_index(const std::shared_ptr<const ::btf>& b, uint32_t start_id);

// One BTF to search.
struct Target {
  const ::btf* btf = nullptr;
  std::string_view name;             // "vmlinux", a module name, or a path
  uint32_t start_id = 1;             // first own type id (split BTF: after the base)
  const NameIndex* index = nullptr;  // null: scan
};

struct Candidate {
  const ::btf* btf = nullptr;
  uint32_t id = 0;
  std::string_view btf_name;
};

// Appends target's candidates for local type local_id. Fails with EINVAL
// for a bad id or an anonymous type (which has nothing to be found by).
int add_candidates(const ::btf& local, uint32_t local_id, const Target& target, std::vector<Candidate>& out);

}  // namespace bpfxx::relo
