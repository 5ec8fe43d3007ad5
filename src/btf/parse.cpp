// Reading a raw BTF blob: header, byte order, sections, the type offset
// array; and the basic accessors over it.
#include "btf/btf.h"

#include "base/log.h"
#include "sys/kernel.h"

#include <bit>
#include <cstring>
#include <new>

namespace bpfxx::btf {

const char* kind_name(uint32_t kind) noexcept {
  static const char* const names[] = {
      "void",     "int",     "ptr",      "array",      "struct", "union",   "enum",
      "fwd",      "typedef", "volatile", "const",      "restrict", "func", "func_proto",
      "var",      "datasec", "float",    "decl_tag",   "type_tag", "enum64"};
  return kind < std::size(names) ? names[kind] : "unknown";
}

bool kind_has_size(uint32_t kind) noexcept {
  switch (kind) {
    case BTF_KIND_INT:
    case BTF_KIND_STRUCT:
    case BTF_KIND_UNION:
    case BTF_KIND_ENUM:
    case BTF_KIND_DATASEC:
    case BTF_KIND_FLOAT:
    case BTF_KIND_ENUM64:
      return true;
    default:
      return false;
  }
}

void swap_words(void* data, size_t n) noexcept {
  auto* p = static_cast<uint8_t*>(data);
  for (size_t i = 0; i + 4 <= n; i += 4) {
    uint32_t w;
    std::memcpy(&w, p + i, 4);
    w = __builtin_bswap32(w);
    std::memcpy(p + i, &w, 4);
  }
}

namespace {

constexpr uint16_t kMagicSwapped = 0x9feb;
constexpr size_t kMinHdr = 24;  // up to str_len
constexpr size_t kLayoutHdr = offsetof(btf_header, layout_len) + sizeof(uint32_t);
// Ids and string offsets must fit in the int the C API returns.
constexpr uint32_t kMaxTypes = 0x7fffffffu;


bool host_is_le() { return std::endian::native == std::endian::little; }

// Aligned, owned copy of a byte range.
std::shared_ptr<const void> copy_aligned(std::span<const uint8_t> data) {
  auto words = std::make_shared<std::vector<uint32_t>>((data.size() + 3) / 4);
  if (!data.empty()) std::memcpy(words->data(), data.data(), data.size());
  return std::shared_ptr<const void>(words, words->data());
}

const char* label(const std::string& name) { return name.empty() ? "BTF" : name.c_str(); }

}  // namespace
}  // namespace bpfxx::btf

using namespace bpfxx::btf;  // NOLINT

btf::~btf() {
  // Like libbpf, the object closes the fd it holds, loaded or set.
  if (fd_ >= 0) bpfxx::sys::kernel().close(fd_);
}

::btf::Result btf::parse(std::span<const uint8_t> data, const ParseOptions& opts) {
  std::unique_ptr<::btf> b(new (std::nothrow) ::btf());
  if (!b) return bpfxx::fail(ENOMEM, "out of memory");
  auto r = b->init_from(data, opts);
  if (!r) return r.failure();
  return b;
}

std::unique_ptr<::btf> btf::create_empty(const ::btf* base, bool add_layout) {
  std::unique_ptr<::btf> b(new (std::nothrow) ::btf());
  if (!b) return nullptr;
  b->base_ = base;
  if (base != nullptr) {
    b->start_id_ = base->type_cnt();
    b->start_str_off_ = base->str_end();
    b->endian_ = b->source_endian_ = base->endianness();
    b->ptr_sz_ = base->ptr_sz_.load();
  } else {
    b->endian_ = b->source_endian_ = host_is_le() ? BTF_LITTLE_ENDIAN : BTF_BIG_ENDIAN;
  }
  b->owned_ = true;
  if (base == nullptr) b->owned_strs_.push_back('\0');
  if (add_layout) {
    for (uint32_t k = 0; k < NR_BTF_KINDS; k++) {
      btf_layout l{};
      switch (k) {
        case BTF_KIND_INT: l.info_sz = 4; break;
        case BTF_KIND_ARRAY: l.info_sz = sizeof(struct btf_array); break;
        case BTF_KIND_STRUCT:
        case BTF_KIND_UNION: l.elem_sz = sizeof(btf_member); break;
        case BTF_KIND_ENUM: l.elem_sz = sizeof(struct btf_enum); break;
        case BTF_KIND_FUNC_PROTO: l.elem_sz = sizeof(btf_param); break;
        case BTF_KIND_VAR: l.info_sz = sizeof(struct btf_var); break;
        case BTF_KIND_DATASEC: l.elem_sz = sizeof(btf_var_secinfo); break;
        case BTF_KIND_DECL_TAG: l.info_sz = sizeof(struct btf_decl_tag); break;
        case BTF_KIND_ENUM64: l.elem_sz = sizeof(struct btf_enum64); break;
        default: break;
      }
      b->layout_.push_back(l);
    }
  }
  b->repoint();
  return b;
}

bpfxx::Result<void> btf::init_from(std::span<const uint8_t> data, const ParseOptions& opts) {
  name_ = opts.name;
  base_ = opts.base;
  const char* who = label(name_);
  if (base_ != nullptr) {
    start_id_ = base_->type_cnt();
    start_str_off_ = base_->str_end();
    ptr_sz_ = base_->ptr_sz_.load();
  }
  if (data.size() < kMinHdr) {
    BPFXX_WARN("%s: blob of %zu bytes is smaller than a BTF header\n", who, data.size());
    return bpfxx::fail(EINVAL, "BTF blob too small");
  }
  uint16_t magic;
  std::memcpy(&magic, data.data(), 2);
  bool swapped;
  if (magic == BTF_MAGIC) {
    swapped = false;
  } else if (magic == kMagicSwapped) {
    swapped = true;
  } else {
    BPFXX_WARN("%s: bad BTF magic 0x%04x\n", who, magic);
    return bpfxx::fail(EINVAL, "bad BTF magic");
  }
  const bool host_le = host_is_le();
  source_endian_ = (host_le != swapped) ? BTF_LITTLE_ENDIAN : BTF_BIG_ENDIAN;
  endian_ = source_endian_;

  btf_header hdr{};
  uint32_t hdr_len;
  std::memcpy(&hdr_len, data.data() + 4, 4);
  if (swapped) hdr_len = __builtin_bswap32(hdr_len);
  if (hdr_len < kMinHdr || hdr_len > data.size()) {
    BPFXX_WARN("%s: BTF header length %u is invalid (blob is %zu bytes)\n", who, hdr_len,
               data.size());
    return bpfxx::fail(EINVAL, "bad BTF header length");
  }
  std::memcpy(&hdr, data.data(), std::min<size_t>(hdr_len, sizeof hdr));
  if (swapped) {
    hdr.magic = BTF_MAGIC;
    hdr.hdr_len = hdr_len;
    swap_words(reinterpret_cast<uint8_t*>(&hdr) + 8, sizeof hdr - 8);
  }
  if (hdr_len < kLayoutHdr) hdr.layout_off = hdr.layout_len = 0;
  if (hdr.version != BTF_VERSION) {
    BPFXX_WARN("%s: unsupported BTF version %u\n", who, hdr.version);
    return bpfxx::fail(EOPNOTSUPP, "unsupported BTF version");
  }
  if (hdr.flags != 0) {
    BPFXX_WARN("%s: unsupported BTF header flags 0x%x\n", who, hdr.flags);
    return bpfxx::fail(EOPNOTSUPP, "unsupported BTF flags");
  }
  // Bytes of a longer header that we do not know must be zero (a header
  // too short for the layout fields has none of them).
  for (size_t i = hdr_len >= kLayoutHdr ? sizeof hdr : kMinHdr; i < hdr_len; i++) {
    if (data[i] != 0) {
      BPFXX_WARN("%s: BTF header has unknown non-zero byte at offset %zu\n", who, i);
      return bpfxx::fail(EOPNOTSUPP, "unknown BTF header fields");
    }
  }
  hdr_flags_ = hdr.flags;
  const uint64_t body = data.size() - hdr_len;
  auto in_body = [&](uint32_t off, uint32_t len) { return uint64_t{off} + len <= body; };
  if (!in_body(hdr.type_off, hdr.type_len) || !in_body(hdr.str_off, hdr.str_len) ||
      !in_body(hdr.layout_off, hdr.layout_len)) {
    BPFXX_WARN("%s: BTF section (types %u+%u, strings %u+%u, layout %u+%u) lies outside the "
               "%llu bytes after the header\n",
               who, hdr.type_off, hdr.type_len, hdr.str_off, hdr.str_len, hdr.layout_off,
               hdr.layout_len, static_cast<unsigned long long>(body));
    return bpfxx::fail(EINVAL, "BTF section out of bounds");
  }
  if (hdr.type_off % 4 != 0 || hdr.type_len % 4 != 0) {
    BPFXX_WARN("%s: BTF type section (offset %u, length %u) is not 4-byte aligned\n", who,
               hdr.type_off, hdr.type_len);
    return bpfxx::fail(EINVAL, "misaligned BTF type section");
  }
  // Sections must not overlap.
  struct Sec { uint32_t off, len; const char* name; };
  Sec secs[3] = {{hdr.type_off, hdr.type_len, "type"},
                 {hdr.str_off, hdr.str_len, "string"},
                 {hdr.layout_off, hdr.layout_len, "layout"}};
  for (int i = 0; i < 3; i++) {
    for (int j = i + 1; j < 3; j++) {
      if (secs[i].len == 0 || secs[j].len == 0) continue;
      if (secs[i].off < secs[j].off + secs[j].len && secs[j].off < secs[i].off + secs[i].len) {
        BPFXX_WARN("%s: BTF %s and %s sections overlap\n", who, secs[i].name, secs[j].name);
        return bpfxx::fail(EINVAL, "overlapping BTF sections");
      }
    }
  }
  if (hdr.layout_len != 0) {
    if (hdr.layout_len % sizeof(btf_layout) != 0 || hdr.layout_off % 4 != 0) {
      BPFXX_WARN("%s: BTF layout section (offset %u, length %u) is malformed\n", who,
                 hdr.layout_off, hdr.layout_len);
      return bpfxx::fail(EINVAL, "bad BTF layout section");
    }
    layout_.resize(hdr.layout_len / sizeof(btf_layout));
    std::memcpy(layout_.data(), data.data() + hdr_len + hdr.layout_off, hdr.layout_len);
    if (swapped) {
      for (auto& l : layout_) l.flags = __builtin_bswap16(l.flags);
    }
  }

  // Strings: a base blob's section starts with the empty string; every
  // section that is not empty ends with a NUL.
  if (base_ == nullptr && (hdr.str_len == 0 || data[hdr_len + hdr.str_off] != 0)) {
    BPFXX_WARN("%s: BTF string section must start with an empty string\n", who);
    return bpfxx::fail(EINVAL, "bad BTF string section");
  }
  if (hdr.str_len != 0 && data[hdr_len + hdr.str_off + hdr.str_len - 1] != 0) {
    BPFXX_WARN("%s: BTF string section is not NUL-terminated\n", who);
    return bpfxx::fail(EINVAL, "bad BTF string section");
  }
  if (uint64_t{start_str_off_} + hdr.str_len > kMaxTypes) {
    BPFXX_WARN("%s: BTF string section too large\n", who);
    return bpfxx::fail(EINVAL, "BTF string section too large");
  }

  // View in place when the bytes are ours to keep, aligned and in host
  // order; copy otherwise.
  std::span<const uint8_t> view = data;
  const bool aligned = (reinterpret_cast<uintptr_t>(data.data()) + hdr_len + hdr.type_off) % 4 == 0;
  if (opts.keepalive && aligned && !swapped) {
    backing_ = opts.keepalive;
  } else {
    auto copy = copy_aligned(data);
    auto* bytes = static_cast<uint8_t*>(const_cast<void*>(copy.get()));
    if (swapped) {
      // Every field of the type section is a 32-bit word.
      swap_words(bytes + hdr_len + hdr.type_off, hdr.type_len);
      std::memcpy(bytes, &hdr, std::min<size_t>(hdr_len, sizeof hdr));
      if (hdr.layout_len != 0) {
        std::memcpy(bytes + hdr_len + hdr.layout_off, layout_.data(), hdr.layout_len);
      }
    }
    backing_ = std::move(copy);
    view = {static_cast<const uint8_t*>(backing_.get()), data.size()};
  }
  types_ = view.data() + hdr_len + hdr.type_off;
  types_len_ = hdr.type_len;
  strs_ = reinterpret_cast<const char*>(view.data() + hdr_len + hdr.str_off);
  strs_len_ = hdr.str_len;
  if (reinterpret_cast<uintptr_t>(types_) % 4 != 0) {
    // hdr_len not a multiple of 4: keep an owned, aligned copy of types.
    if (!make_writable()) return bpfxx::fail(ENOMEM, "out of memory");
  } else if (hdr_len == kMinHdr || hdr_len == sizeof(btf_header)) {
    orig_raw_ = view;  // can be handed back as is while unmodified
  }

  if (!index_types()) return bpfxx::fail(EINVAL, "malformed BTF types");
  return {};
}

const btf_type btf::void_type_{};

const char* btf::str_by_offset_slow(uint32_t off) const noexcept {
  if (off < start_str_off_) return base_ != nullptr ? base_->str_by_offset(off) : nullptr;
  off -= start_str_off_;
  if (off >= strs_len_) {
    // Offset 0 of an empty split string section still names "".
    return (off == 0 && base_ != nullptr) ? "" : nullptr;
  }
  return strs_ + off;
}

size_t btf::type_size(const btf_type* t) const noexcept {
  const uint32_t kind = BTF_INFO_KIND(t->info);
  const uint32_t vlen = BTF_INFO_VLEN(t->info);
  long extra = kind_extra_size(kind, vlen);
  if (extra < 0) {
    extra = kind < layout_.size()
                ? static_cast<long>(layout_[kind].info_sz) +
                      static_cast<long>(vlen) * static_cast<long>(layout_[kind].elem_sz)
                : 0;
  }
  return sizeof(btf_type) + static_cast<size_t>(extra);
}

void btf::repoint() noexcept {
  types_ = reinterpret_cast<const uint8_t*>(owned_types_.data());
  strs_ = owned_strs_.data();
  strs_len_ = owned_strs_.size();
}

bool btf::make_writable() {
  if (owned_) return true;
  try {
    owned_types_.assign((types_len_ + 3) / 4, 0);
    if (types_len_ != 0) std::memcpy(owned_types_.data(), types_, types_len_);
    owned_strs_.assign(strs_, strs_ + strs_len_);
  } catch (const std::bad_alloc&) {
    return false;
  }
  owned_ = true;
  orig_raw_ = {};
  repoint();
  backing_.reset();
  // The string index holds offsets: still valid over the copy.
  return true;
}

void btf::invalidate_raw() noexcept {
  std::lock_guard<std::mutex> lock(cache_mu_);
  raw_cache_valid_ = false;
  raw_cache_.clear();
  orig_raw_ = {};
}

void btf::invalidate() noexcept {
  std::lock_guard<std::mutex> lock(cache_mu_);
  raw_cache_valid_ = false;
  raw_cache_.clear();
  index_ready_.store(false, std::memory_order_release);
  name_slots_.clear();
  name_hash_.clear();
  orig_raw_ = {};
}
