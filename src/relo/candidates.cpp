// Essential-name index and candidate search.
#include "relo/candidates.h"

#include <cerrno>
#include <map>
#include <mutex>

#include "relo/compat.h"
#include "relo/essential_name.h"

namespace bpfxx::relo {

bool NameIndex::indexed_kind(uint32_t kind) noexcept {
  // Functions, variables, sections and tags are never relocation roots;
  // leaving them out halves the kernel's index.
  switch (kind) {
    case BTF_KIND_FUNC:
    case BTF_KIND_VAR:
    case BTF_KIND_DATASEC:
    case BTF_KIND_DECL_TAG:
    case BTF_KIND_TYPE_TAG: return false;
    default: return true;
  }
}

std::string_view NameIndex::essential_of(uint32_t id) const {
  return essential_name(name_of(btf_, btf_.type_unchecked(id)->name_off));
}

NameIndex::NameIndex(const ::btf& b, uint32_t start_id) : btf_(b) {
  std::vector<uint32_t> ids, hashes;
  const uint32_t end = b.type_cnt();
  ids.reserve(end > start_id ? end - start_id : 0);
  for (uint32_t id = start_id; id < end; id++) {
    const btf_type* t = b.type_unchecked(id);
    if (t->name_off == 0 || !indexed_kind(BTF_INFO_KIND(t->info))) continue;
    const std::string_view ess = essential_of(id);
    if (ess.empty()) continue;
    ids.push_back(id);
    hashes.push_back(btf::name_hash(ess));
  }
  uint32_t nb = 1;
  while (nb < ids.size()) nb <<= 1;
  mask_ = nb - 1;
  // Counting sort into buckets keeps ids ascending within each bucket.
  starts_.assign(size_t{nb} + 1, 0);
  for (uint32_t h : hashes) starts_[(h & mask_) + 1]++;
  for (uint32_t i = 0; i < nb; i++) starts_[i + 1] += starts_[i];
  ids_.resize(ids.size());
  hashes_.resize(ids.size());
  std::vector<uint32_t> fill(starts_.begin(), starts_.end() - 1);
  for (size_t i = 0; i < ids.size(); i++) {
    const uint32_t pos = fill[hashes[i] & mask_]++;
    ids_[pos] = ids[i];
    hashes_[pos] = hashes[i];
  }
}

const NameIndex& shared_index(const std::shared_ptr<const ::btf>& b, uint32_t start_id) {
  struct Entry {
    std::shared_ptr<const ::btf> keep;
    std::unique_ptr<NameIndex> index;
  };
  static std::mutex mu;
  static std::map<std::pair<const ::btf*, uint32_t>, Entry> cache;
  std::lock_guard<std::mutex> lock(mu);
  Entry& e = cache[{b.get(), start_id}];
  if (!e.index) {
    e.keep = b;
    e.index = std::make_unique<NameIndex>(*b, start_id);
  }
  return *e.index;
}

int add_candidates(const ::btf& local, uint32_t local_id, const Target& tg, std::vector<Candidate>& out) {
  const btf_type* lt = local.type_by_id(local_id);
  if (lt == nullptr || tg.btf == nullptr) return -EINVAL;
  const std::string_view ess = essential_name(name_of(local, lt->name_off));
  if (ess.empty()) return -EINVAL;
  const ::btf& tb = *tg.btf;
  auto consider = [&](uint32_t id) {
    const btf_type* t = tb.type_unchecked(id);
    if (kinds_compat(lt, t)) out.push_back(Candidate{&tb, id, tg.name});
    return true;
  };
  if (tg.index != nullptr && NameIndex::indexed_kind(BTF_INFO_KIND(lt->info))) {
    tg.index->for_each(ess, consider);
    return 0;
  }
  for (uint32_t id = tg.start_id; id < tb.type_cnt(); id++) {
    const btf_type* t = tb.type_unchecked(id);
    if (t->name_off == 0) continue;
    if (essential_name(name_of(tb, t->name_off)) == ess) consider(id);
  }
  return 0;
}

}  // namespace bpfxx::relo
