// Serializing a BTF object back into a raw blob, in either byte order.
//
// Layout of what we write: header, [kind layout section], types, strings.
// An object read from a blob and never modified hands back that blob.
#include "btf/btf.h"

#include <bit>
#include <cerrno>
#include <cstring>
#include <new>

using namespace bpfxx::btf;  // NOLINT

namespace {
bool host_le() { return std::endian::native == std::endian::little; }
enum btf_endianness host_endian() { return host_le() ? BTF_LITTLE_ENDIAN : BTF_BIG_ENDIAN; }
}  // namespace

std::vector<uint8_t> btf::serialize(bool host_order, bool with_layout) const {
  const bool layout = with_layout && !layout_.empty();
  btf_header hdr{};
  hdr.magic = BTF_MAGIC;
  hdr.version = BTF_VERSION;
  hdr.flags = hdr_flags_;
  hdr.hdr_len = layout ? sizeof(btf_header) : offsetof(btf_header, layout_off);
  const uint32_t layout_len = layout ? static_cast<uint32_t>(layout_.size() * sizeof(btf_layout)) : 0;
  if (layout) {
    hdr.layout_off = 0;
    hdr.layout_len = layout_len;
  }
  hdr.type_off = layout_len;
  hdr.type_len = static_cast<uint32_t>(types_len_);
  hdr.str_off = hdr.type_off + hdr.type_len;
  hdr.str_len = static_cast<uint32_t>(strs_len_);

  std::vector<uint8_t> out(hdr.hdr_len + layout_len + types_len_ + strs_len_);
  uint8_t* p = out.data();
  std::memcpy(p, &hdr, hdr.hdr_len);
  uint8_t* lp = p + hdr.hdr_len;
  if (layout) std::memcpy(lp, layout_.data(), layout_len);
  uint8_t* tp = lp + layout_len;
  if (types_len_ != 0) std::memcpy(tp, types_, types_len_);
  if (strs_len_ != 0) std::memcpy(tp + types_len_, strs_, strs_len_);

  if (!host_order && endian_ != host_endian()) {
    // Header: the magic and everything after the first word are swapped;
    // version and flags are single bytes.
    uint16_t magic = __builtin_bswap16(hdr.magic);
    std::memcpy(p, &magic, 2);
    swap_words(p + 4, hdr.hdr_len - 4);
    swap_words(tp, types_len_);
    for (size_t i = 0; i < layout_.size(); i++) {
      auto* l = reinterpret_cast<btf_layout*>(lp + i * sizeof(btf_layout));
      uint16_t f;
      std::memcpy(&f, &l->flags, 2);
      f = __builtin_bswap16(f);
      std::memcpy(&l->flags, &f, 2);
    }
  }
  return out;
}

bpfxx::Result<std::span<const uint8_t>> btf::raw_data() const {
  std::lock_guard<std::mutex> lock(cache_mu_);
  if (!orig_raw_.empty() && endian_ == host_endian()) return orig_raw_;
  if (!raw_cache_valid_) {
    try {
      raw_cache_ = serialize(false, true);
    } catch (const std::bad_alloc&) {
      return bpfxx::fail(ENOMEM, "out of memory");
    }
    raw_cache_valid_ = true;
  }
  return std::span<const uint8_t>(raw_cache_);
}

int btf::set_endianness(enum btf_endianness e) noexcept {
  if (e != BTF_LITTLE_ENDIAN && e != BTF_BIG_ENDIAN) return -EINVAL;
  std::lock_guard<std::mutex> lock(cache_mu_);
  if (e != endian_) {
    raw_cache_valid_ = false;
    raw_cache_.clear();
  }
  endian_ = e;
  return 0;
}
