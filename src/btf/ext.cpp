// Parsing and validating .BTF.ext.
#include "btf/ext.h"

#include "btf/btf.h"

#include "base/log.h"

#include <bit>
#include <cstring>
#include <new>

using namespace bpfxx::btf;  // NOLINT

namespace {

constexpr uint32_t kMinHdr = 24;     // through line_info_len
constexpr uint32_t kCoreHdr = 32;    // through core_relo_len

bool host_le() { return std::endian::native == std::endian::little; }

// Validates one info subsection at [off, off+len) of the body and fills
// info. what names it in messages.
bool parse_info(const uint8_t* body, uint64_t body_len, uint32_t off, uint32_t len,
                uint32_t min_rec, const char* what, ExtInfo& info) {
  if (len == 0) return true;
  if (uint64_t{off} + len > body_len || off % 4 != 0) {
    BPFXX_WARN(".BTF.ext %s: subsection (offset %u, length %u) lies outside the data or is "
               "misaligned\n",
               what, off, len);
    return false;
  }
  const uint8_t* p = body + off;
  const uint8_t* end = p + len;
  if (len < 4) {
    BPFXX_WARN(".BTF.ext %s: subsection too short for its record size\n", what);
    return false;
  }
  uint32_t rec_size;
  std::memcpy(&rec_size, p, 4);
  p += 4;
  if (rec_size < min_rec || rec_size % 4 != 0) {
    BPFXX_WARN(".BTF.ext %s: invalid record size %u (minimum %u, multiple of 4)\n", what,
               rec_size, min_rec);
    return false;
  }
  info.rec_size = rec_size;
  if (p == end) {
    BPFXX_WARN(".BTF.ext %s: no section records\n", what);
    return false;
  }
  while (p < end) {
    if (end - p < 8) {
      BPFXX_WARN(".BTF.ext %s: section header %zu truncated\n", what, info.sections.size());
      return false;
    }
    ExtSection s;
    std::memcpy(&s.sec_name_off, p, 4);
    std::memcpy(&s.num, p + 4, 4);
    p += 8;
    if (s.num == 0) {
      BPFXX_WARN(".BTF.ext %s: section %zu has no records\n", what, info.sections.size());
      return false;
    }
    const uint64_t need = uint64_t{s.num} * rec_size;
    if (need > static_cast<uint64_t>(end - p)) {
      BPFXX_WARN(".BTF.ext %s: section %zu: %u records of %u bytes run past the end\n", what,
                 info.sections.size(), s.num, rec_size);
      return false;
    }
    s.records = p;
    p += need;
    info.sections.push_back(s);
  }
  return true;
}

}  // namespace

bpfxx::Result<std::unique_ptr<btf_ext>> btf_ext::parse(std::span<const uint8_t> data) {
  if (data.size() < kMinHdr) {
    BPFXX_WARN(".BTF.ext: %zu bytes is smaller than its header\n", data.size());
    return bpfxx::fail(EINVAL, ".BTF.ext too small");
  }
  uint16_t magic;
  std::memcpy(&magic, data.data(), 2);
  bool swapped;
  if (magic == BTF_MAGIC) swapped = false;
  else if (magic == 0x9feb) swapped = true;
  else {
    BPFXX_WARN(".BTF.ext: bad magic 0x%04x\n", magic);
    return bpfxx::fail(EINVAL, "bad .BTF.ext magic");
  }
  std::unique_ptr<btf_ext> ext(new (std::nothrow) btf_ext());
  if (!ext) return bpfxx::fail(ENOMEM, "out of memory");
  ext->endian_ = (host_le() != swapped) ? BTF_LITTLE_ENDIAN : BTF_BIG_ENDIAN;
  try {
    ext->host_.assign((data.size() + 3) / 4, 0);
  } catch (const std::bad_alloc&) {
    return bpfxx::fail(ENOMEM, "out of memory");
  }
  ext->size_ = data.size();
  auto* bytes = reinterpret_cast<uint8_t*>(ext->host_.data());
  std::memcpy(bytes, data.data(), data.size());
  uint32_t hdr_len;
  std::memcpy(&hdr_len, bytes + 4, 4);
  if (swapped) hdr_len = __builtin_bswap32(hdr_len);
  if (hdr_len < kMinHdr || hdr_len > data.size() || hdr_len % 4 != 0) {
    BPFXX_WARN(".BTF.ext: header length %u is invalid (data is %zu bytes)\n", hdr_len,
               data.size());
    return bpfxx::fail(EINVAL, "bad .BTF.ext header length");
  }
  if (bytes[2] != 1) {
    BPFXX_WARN(".BTF.ext: unsupported version %u\n", bytes[2]);
    return bpfxx::fail(EOPNOTSUPP, "unsupported .BTF.ext version");
  }
  if (bytes[3] != 0) {
    BPFXX_WARN(".BTF.ext: unsupported flags 0x%x\n", bytes[3]);
    return bpfxx::fail(EOPNOTSUPP, "unsupported .BTF.ext flags");
  }
  if (swapped) {
    // Every field after the first word (header and records) is a u32.
    uint16_t m = BTF_MAGIC;
    std::memcpy(bytes, &m, 2);
    swap_words(bytes + 4, (data.size() - 4) & ~size_t{3});
  }
  uint32_t hdr[8] = {};
  std::memcpy(hdr, bytes, std::min<size_t>(hdr_len, sizeof hdr));
  const uint8_t* body = bytes + hdr_len;
  const uint64_t body_len = data.size() - hdr_len;
  if (!parse_info(body, body_len, hdr[2], hdr[3], kFuncInfoMin, "func_info", ext->func_info_) ||
      !parse_info(body, body_len, hdr[4], hdr[5], kLineInfoMin, "line_info", ext->line_info_)) {
    return bpfxx::fail(EINVAL, "malformed .BTF.ext");
  }
  if (hdr_len >= kCoreHdr &&
      !parse_info(body, body_len, hdr[6], hdr[7], kCoreReloMin, "core_relo", ext->core_relo_)) {
    return bpfxx::fail(EINVAL, "malformed .BTF.ext");
  }
  return ext;
}

int btf_ext::set_endianness(enum btf_endianness e) noexcept {
  if (e != BTF_LITTLE_ENDIAN && e != BTF_BIG_ENDIAN) return -EINVAL;
  if (e != endian_) swapped_.clear();
  endian_ = e;
  return 0;
}

std::span<const uint8_t> btf_ext::raw_data() const {
  const auto* bytes = reinterpret_cast<const uint8_t*>(host_.data());
  const bool host_is_target = (endian_ == BTF_LITTLE_ENDIAN) == host_le();
  if (host_is_target) return {bytes, size_};
  std::lock_guard<std::mutex> lock(swapped_mu_);
  if (swapped_.empty()) {
    swapped_.assign(bytes, bytes + size_);
    uint16_t m = __builtin_bswap16(BTF_MAGIC);
    std::memcpy(swapped_.data(), &m, 2);
    swap_words(swapped_.data() + 4, (size_ - 4) & ~size_t{3});
  }
  return swapped_;
}

bool btf_ext::remap_type_ids(const std::function<bool(uint32_t&)>& remap) {
  // The type id is the second word of both record kinds.
  constexpr size_t kTypeIdAt = sizeof(uint32_t);
  std::vector<uint32_t> ids;
  for (const bpfxx::btf::ExtInfo* info : {&func_info_, &core_relo_})
    for (const bpfxx::btf::ExtSection& sec : info->sections)
      for (uint32_t i = 0; i < sec.num; i++) {
        uint32_t id;
        std::memcpy(&id, sec.records + size_t{i} * info->rec_size + kTypeIdAt, sizeof(id));
        if (!remap(id)) return false;
        ids.push_back(id);
      }
  // Every id is accepted: write them into the host copy the views point
  // into (owned by this object), and drop the swapped copy.
  size_t next = 0;
  for (const bpfxx::btf::ExtInfo* info : {&func_info_, &core_relo_})
    for (const bpfxx::btf::ExtSection& sec : info->sections)
      for (uint32_t i = 0; i < sec.num; i++)
        std::memcpy(const_cast<uint8_t*>(sec.records) + size_t{i} * info->rec_size + kTypeIdAt, &ids[next++],
                    sizeof(uint32_t));
  std::lock_guard<std::mutex> lock(swapped_mu_);
  swapped_.clear();
  return true;
}
