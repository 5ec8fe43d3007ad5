// Typed data: bytes of a BTF type printed as a C-like initializer,
// e.g. (struct pair){.a = (int)1,.b = (char)'x',}.
//
// Every read is checked against the end of the caller's bytes: a scalar
// that does not fit fails the dump with -E2BIG; zero checks never read past
// the end (an incomplete member counts as non-zero and is then reported).
// Members and elements whose value is zero are left out unless asked for,
// except inside non-char arrays, where leaving a hole would shift the rest.
#include "btf/dump.h"

#include "base/log.h"

#include <cctype>
#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstring>

namespace {

constexpr int kMaxDataDepth = 64;

static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ || __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__);

}  // namespace

int btf_dump::dump_type_data(uint32_t id, const void* data, size_t size, const bpfxx::btf::DataOptions& o) {
  int err = refresh();
  if (err != 0) return err;
  if (id >= nr_types_ || btf__type_by_id(btf_, id) == nullptr) return -ENOENT;
  const auto* p = static_cast<const uint8_t*>(data);
  data_end_ = p + size;
  dopts_ = &o;
  ddepth_ = 0;
  nest_ = 0;
  in_array_ = false;
  array_terminated_ = false;
  array_char_ = false;
  err_ = 0;
  // Printing is proportional to the data: every byte is looked at a
  // bounded number of times per nesting level (zero checks look again).
  start_work(64 * static_cast<uint64_t>(size) + 65536);
  int ret = data_value(nullptr, id, p, 0, 0);
  dopts_ = nullptr;
  flush();
  return ret < 0 ? ret : err_ < 0 ? err_ : ret;
}

uint32_t btf_dump::skip_mods_typedefs(uint32_t id) const {
  for (int i = 0; i < 64; i++) {
    const btf_type* t = type(id);
    if (!btf_is_mod(t) && !btf_is_typedef(t)) return id;
    id = t->type;
  }
  return 0;
}

void btf_dump::data_prefix() {
  if (dopts_->compact) return;
  for (int i = 0; i < dopts_->indent_level + ddepth_; i++) put(dopts_->indent_str);
}

// After a value: a comma inside an aggregate, and a newline unless compact.
void btf_dump::data_value_end() {
  if (ddepth_ == 0) return;
  put(',');
  if (!dopts_->compact) put('\n');
}

// "(type)" before a value, without qualifiers or anonymous bodies.
void btf_dump::data_cast(uint32_t id, bool top_level) {
  if (in_array_) return;
  const btf_type* t = type(id);
  if (btf_is_var(t) || btf_is_datasec(t)) return;
  if (top_level) put('(');
  skip_anon_defs_ = true;
  strip_mods_ = true;
  emit_decl(id, "", 0);
  strip_mods_ = false;
  skip_anon_defs_ = false;
  if (top_level) put(')');
}

// The size the value takes; -E2BIG when a scalar does not fit in the data.
int btf_dump::data_check_size(uint32_t id, const uint8_t* p, uint8_t bit_off, uint8_t bit_sz) {
  if (bit_sz != 0) {
    const size_t nr = (bit_off + bit_sz + 7u) / 8u;
    return p > data_end_ || static_cast<size_t>(data_end_ - p) < nr ? -E2BIG : static_cast<int>(nr);
  }
  const int64_t size = btf__resolve_size(btf_, id);
  if (size < 0 || size >= INT_MAX) {
    BPFXX_WARN("btf_dump: type [%u] has no usable size\n", id);
    return -EINVAL;
  }
  switch (btf_kind(type(skip_mods_typedefs(id)))) {
    case BTF_KIND_INT:
    case BTF_KIND_FLOAT:
    case BTF_KIND_PTR:
    case BTF_KIND_ENUM:
    case BTF_KIND_ENUM64:
      if (p > data_end_ || static_cast<uint64_t>(data_end_ - p) < bit_off / 8u + static_cast<uint64_t>(size))
        return -E2BIG;
      break;
    default:
      break;
  }
  return static_cast<int>(size);
}

// Reads the bit_sz bits at bit_off of p (host byte order).
int btf_dump::data_bits(const btf_type* t, const uint8_t* p, uint8_t bit_off, uint8_t bit_sz, uint64_t* v) {
  const size_t nr = (bit_off % 8u + bit_sz + 7u) / 8u;
  if (p > data_end_ || static_cast<size_t>(data_end_ - p) < nr) return -E2BIG;
  if (t->size > 8 || bit_sz > 64) {
    BPFXX_WARN("btf_dump: bitfield of %u bits in a %u-byte type is not supported\n", bit_sz, t->size);
    return -EINVAL;
  }
  unsigned __int128 num = 0;
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  for (size_t i = nr; i-- > 0;) num = (num << 8) | p[i];
  num >>= bit_off % 8u;
#else
  // Big endian: bit 0 is the most significant bit of the first byte.
  for (size_t i = 0; i < nr; i++) num = (num << 8) | p[i];
  num >>= nr * 8 - bit_off % 8u - bit_sz;
#endif
  const uint64_t mask = bit_sz >= 64 ? ~0ull : (1ull << bit_sz) - 1;
  *v = static_cast<uint64_t>(num) & mask;
  return 0;
}

int btf_dump::data_enum_value(uint32_t id, const btf_type* t, const uint8_t* p, int64_t* v) {
  const bool is_signed = btf_kflag(t);
  switch (t->size) {
    case 8: {
      int64_t x;
      std::memcpy(&x, p, 8);
      *v = x;
      return 0;
    }
    case 4: {
      uint32_t x;
      std::memcpy(&x, p, 4);
      *v = is_signed ? static_cast<int64_t>(static_cast<int32_t>(x)) : static_cast<int64_t>(x);
      return 0;
    }
    case 2: {
      uint16_t x;
      std::memcpy(&x, p, 2);
      *v = is_signed ? static_cast<int64_t>(static_cast<int16_t>(x)) : static_cast<int64_t>(x);
      return 0;
    }
    case 1:
      *v = is_signed ? static_cast<int64_t>(static_cast<int8_t>(p[0])) : static_cast<int64_t>(p[0]);
      return 0;
    default:
      BPFXX_WARN("btf_dump: enum [%u] has unsupported size %u\n", id, t->size);
      return -EINVAL;
  }
}

// 0 when the value must be shown, -ENODATA when it is zero and may be
// left out, another negative code on error.
int btf_dump::data_check_zero(uint32_t id, const uint8_t* p, uint8_t bit_off, uint8_t bit_sz, int depth) {
  if (!step()) return 0;
  if (dopts_->emit_zeroes || ddepth_ == 0 || (in_array_ && !array_char_)) return 0;
  if (depth > kMaxDataDepth) return 0;
  const uint32_t rid = skip_mods_typedefs(id);
  const btf_type* t = type(rid);
  auto all_zero = [&](size_t n) -> int {
    if (p > data_end_ || static_cast<size_t>(data_end_ - p) < n) return 0;  // let the dump report it
    for (size_t i = 0; i < n; i++)
      if (p[i] != 0) return 0;
    return -ENODATA;
  };
  switch (btf_kind(t)) {
    case BTF_KIND_INT:
      if (bit_sz != 0) {
        uint64_t v;
        if (data_bits(t, p, bit_off, bit_sz, &v) != 0) return 0;
        return v == 0 ? -ENODATA : 0;
      }
      [[fallthrough]];
    case BTF_KIND_FLOAT: {
      if (t->size < 1 || t->size > 16) {
        BPFXX_WARN("btf_dump: type [%u] has unexpected size %u\n", rid, t->size);
        return -EINVAL;
      }
      return all_zero(t->size);
    }
    case BTF_KIND_PTR:
      return all_zero(ptr_sz_);
    case BTF_KIND_ARRAY: {
      const struct btf_array* a = btf_array(t);
      const int64_t esz = btf__resolve_size(btf_, a->type);
      if (esz <= 0) return 0;
      const bool is_char = btf_is_int(type(skip_mods_typedefs(a->type))) && esz == 1;
      for (uint32_t i = 0; i < a->nelems; i++) {
        const uint64_t off = static_cast<uint64_t>(i) * static_cast<uint64_t>(esz);
        if (p > data_end_ || off >= static_cast<uint64_t>(data_end_ - p)) return 0;
        if (i == 0 && is_char && p[0] == 0) return -ENODATA;
        int r = data_check_zero(a->type, p + off, bit_off, 0, depth + 1);
        if (r != -ENODATA) return r;
      }
      return -ENODATA;
    }
    case BTF_KIND_STRUCT:
    case BTF_KIND_UNION: {
      for (uint32_t i = 0, n = btf_vlen(t); i < n; i++) {
        const btf_member* m = btf_members(t) + i;
        const uint32_t off = btf_member_bit_offset(t, i);
        if (p > data_end_ || off / 8u > static_cast<size_t>(data_end_ - p)) return 0;
        int r = data_check_zero(m->type, p + off / 8u, static_cast<uint8_t>(off % 8u),
                                static_cast<uint8_t>(btf_member_bitfield_size(t, i)), depth + 1);
        if (r != -ENODATA) return r;
      }
      return -ENODATA;
    }
    case BTF_KIND_ENUM:
    case BTF_KIND_ENUM64: {
      if (p > data_end_ || static_cast<size_t>(data_end_ - p) < t->size) return 0;
      int64_t v;
      int r = data_enum_value(rid, t, p, &v);
      if (r != 0) return r;
      return v == 0 ? -ENODATA : 0;
    }
    default:
      return 0;
  }
}

int btf_dump::data_int(uint32_t id, const btf_type* t, const uint8_t* p) {
  const bool is_signed = (btf_int_encoding(t) & BTF_INT_SIGNED) != 0;
  char buf[64];
  int n = 0;
  switch (t->size) {
    case 16: {
      uint64_t w[2];
      std::memcpy(w, p, 16);
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
      const uint64_t lo = w[0], hi = w[1];
#else
      const uint64_t lo = w[1], hi = w[0];
#endif
      if (hi == 0)
        n = std::snprintf(buf, sizeof(buf), "0x%llx", static_cast<unsigned long long>(lo));
      else
        n = std::snprintf(buf, sizeof(buf), "0x%llx%016llx", static_cast<unsigned long long>(hi),
                          static_cast<unsigned long long>(lo));
      break;
    }
    case 8: {
      uint64_t v;
      std::memcpy(&v, p, 8);
      if (is_signed)
        put_int(static_cast<int64_t>(v));
      else
        put_uint(v);
      break;
    }
    case 4: {
      uint32_t v;
      std::memcpy(&v, p, 4);
      if (is_signed)
        put_int(static_cast<int32_t>(v));
      else
        put_uint(v);
      break;
    }
    case 2: {
      uint16_t v;
      std::memcpy(&v, p, 2);
      if (is_signed)
        put_int(static_cast<int16_t>(v));
      else
        put_uint(v);
      break;
    }
    case 1: {
      const char c = static_cast<char>(p[0]);
      if (array_char_) {
        if (array_terminated_) return 0;
        if (c == 0) {
          put("'\\0'");
          array_terminated_ = true;
          data_value_end();
          return 0;
        }
        if (std::isprint(static_cast<unsigned char>(c))) {
          put('\'');
          put(c);
          put('\'');
          data_value_end();
          return 0;
        }
      }
      if (is_signed)
        put_int(static_cast<int8_t>(p[0]));
      else
        put_uint(p[0]);
      break;
    }
    default:
      BPFXX_WARN("btf_dump: integer [%u] has unsupported size %u\n", id, t->size);
      return -EINVAL;
  }
  if (n > 0) put(std::string_view(buf, static_cast<size_t>(n)));
  data_value_end();
  return 0;
}

int btf_dump::data_float(uint32_t id, const btf_type* t, const uint8_t* p) {
  char buf[128];
  int n;
  switch (t->size) {
    case 16: {
      long double v;
      static_assert(sizeof(long double) <= 16);
      std::memcpy(&v, p, sizeof(v));
      n = std::snprintf(buf, sizeof(buf), "%Lf", v);
      break;
    }
    case 8: {
      double v;
      std::memcpy(&v, p, 8);
      n = std::snprintf(buf, sizeof(buf), "%lf", v);
      break;
    }
    case 4: {
      float v;
      std::memcpy(&v, p, 4);
      n = std::snprintf(buf, sizeof(buf), "%f", static_cast<double>(v));
      break;
    }
    default:
      BPFXX_WARN("btf_dump: float [%u] has unsupported size %u\n", id, t->size);
      return -EINVAL;
  }
  if (n > 0) put(std::string_view(buf, std::min<size_t>(static_cast<size_t>(n), sizeof(buf) - 1)));
  data_value_end();
  return 0;
}

// A char array holding a NUL-terminated string, as "text"; -EINVAL when
// there is no NUL (the caller prints the elements instead).
int btf_dump::data_string(const btf_type* t, const uint8_t* p) {
  const uint32_t nelems = btf_array(t)->nelems;
  uint32_t len = 0;
  for (; len < nelems; len++) {
    if (p + len >= data_end_) return -E2BIG;
    if (p[len] == 0) break;
  }
  if (len == nelems) return -EINVAL;
  put('"');
  for (uint32_t i = 0; i < len; i++) {
    const unsigned char c = p[i];
    if (std::isprint(c)) {
      put(static_cast<char>(c));
    } else {
      char buf[8];
      std::snprintf(buf, sizeof(buf), "\\x%02x", c);
      put(buf);
    }
  }
  put('"');
  data_value_end();
  return 0;
}

int btf_dump::data_array(uint32_t id, const btf_type* t, const uint8_t* p) {
  const struct btf_array* a = btf_array(t);
  const uint32_t elem_id = a->type;
  const int64_t esz = btf__resolve_size(btf_, elem_id);
  if (esz <= 0) {
    BPFXX_WARN("btf_dump: array [%u] has elements without a size\n", id);
    return -EINVAL;
  }
  const bool saved_char = array_char_;
  if (btf_is_int(type(skip_mods_typedefs(elem_id))) && esz == 1) {
    if (dopts_->emit_strings && data_string(t, p) == 0) return 0;
    array_char_ = true;
  }
  ddepth_++;
  put('[');
  if (!dopts_->compact) put('\n');
  const bool saved_in_array = in_array_;
  const bool saved_terminated = array_terminated_;
  in_array_ = true;
  array_terminated_ = false;
  for (uint32_t i = 0; i < a->nelems; i++) {
    if (array_terminated_) break;
    const uint64_t off = static_cast<uint64_t>(i) * static_cast<uint64_t>(esz);
    if (p > data_end_ || off > static_cast<uint64_t>(data_end_ - p)) break;
    // Elements past the end of the data are left out.
    if (data_value(nullptr, elem_id, p + off, 0, 0) == -E2BIG) break;
  }
  in_array_ = saved_in_array;
  array_terminated_ = saved_terminated;
  array_char_ = saved_char;
  ddepth_--;
  data_prefix();
  put(']');
  data_value_end();
  return 0;
}

int btf_dump::data_struct(uint32_t /*id*/, const btf_type* t, const uint8_t* p) {
  ddepth_++;
  put('{');
  if (!dopts_->compact) put('\n');
  for (uint32_t i = 0, n = btf_vlen(t); i < n; i++) {
    const btf_member* m = btf_members(t) + i;
    const uint32_t off = btf_member_bit_offset(t, i);
    if (p > data_end_ || off / 8u > static_cast<size_t>(data_end_ - p)) {
      ddepth_--;
      return -E2BIG;
    }
    int r = data_value(str(m->name_off), m->type, p + off / 8u, static_cast<uint8_t>(off % 8u),
                       static_cast<uint8_t>(btf_member_bitfield_size(t, i)));
    if (r < 0) {
      ddepth_--;
      return r;
    }
  }
  ddepth_--;
  data_prefix();
  put('}');
  data_value_end();
  return 0;
}

int btf_dump::data_enum(const btf_type* t, int64_t v) {
  const bool is_signed = btf_kflag(t);
  if (btf_is_enum(t)) {
    const uint32_t v32 = static_cast<uint32_t>(v);
    for (uint32_t i = 0, n = btf_vlen(t); i < n; i++) {
      if (static_cast<uint32_t>(btf_enum(t)[i].val) == v32) {
        put(str(btf_enum(t)[i].name_off));
        data_value_end();
        return 0;
      }
    }
    if (is_signed)
      put_int(static_cast<int32_t>(v32));
    else
      put_uint(v32);
  } else {
    for (uint32_t i = 0, n = btf_vlen(t); i < n; i++) {
      const struct btf_enum64* e = btf_enum64(t) + 0;
      const auto* w = reinterpret_cast<const uint32_t*>(e) + 3 * i;
      const uint64_t ev = (static_cast<uint64_t>(w[2]) << 32) | w[1];
      if (ev == static_cast<uint64_t>(v)) {
        put(str(w[0]));
        data_value_end();
        return 0;
      }
    }
    if (is_signed) {
      put_int(v);
      put("LL");
    } else {
      put_uint(static_cast<uint64_t>(v));
      put("ULL");
    }
  }
  data_value_end();
  return 0;
}

// "[static |extern ](type) name = value".
int btf_dump::data_var(uint32_t /*id*/, const btf_type* t, const uint8_t* p) {
  switch (btf_var(t)->linkage) {
    case BTF_VAR_STATIC:
      put("static ");
      break;
    case BTF_VAR_GLOBAL_EXTERN:
      put("extern ");
      break;
    default:
      break;
  }
  data_cast(t->type, false);
  put(' ');
  put(str(t->name_off));
  put(" = ");
  // nest_ (not ddepth_, which drives the layout) bounds VAR <-> DATASEC
  // recursion in BTF that was built rather than validated.
  nest_++;
  const int r = data_value(nullptr, t->type, p, 0, 0);
  nest_--;
  return r;
}

int btf_dump::data_datasec(uint32_t /*id*/, const btf_type* t, const uint8_t* p) {
  put("SEC(\"");
  put(str(t->name_off));
  put("\") ");
  data_value_end();
  for (uint32_t i = 0, n = btf_vlen(t); i < n; i++) {
    const btf_var_secinfo* v = btf_var_secinfos(t) + i;
    if (p > data_end_ || v->offset > static_cast<size_t>(data_end_ - p)) return -E2BIG;
    nest_++;
    int r = data_value(nullptr, v->type, p + v->offset, 0, 0);
    nest_--;
    if (r < 0) return r;
    put(';');
  }
  return 0;
}

// One value: its size, or a negative error code.
int btf_dump::data_value(const char* fname, uint32_t id, const uint8_t* p, uint8_t bit_off, uint8_t bit_sz) {
  if (!step()) return err_;
  if (ddepth_ + nest_ > kMaxDataDepth) {
    BPFXX_WARN("btf_dump: data of type [%u] nests too deeply\n", id);
    return -ELOOP;
  }
  const int size = data_check_size(id, p, bit_off, bit_sz);
  if (size < 0) return size;
  int err = data_check_zero(id, p, bit_off, bit_sz, 0);
  if (err != 0) return err == -ENODATA ? size : err;
  data_prefix();
  if (!dopts_->skip_names) {
    if (fname != nullptr && fname[0] != 0) {
      put('.');
      put(fname);
      put(" = ");
    }
    data_cast(id, true);
  }
  const uint32_t rid = skip_mods_typedefs(id);
  const btf_type* t = type(rid);
  switch (btf_kind(t)) {
    case BTF_KIND_UNKN:
    case BTF_KIND_FWD:
    case BTF_KIND_FUNC:
    case BTF_KIND_FUNC_PROTO:
    case BTF_KIND_DECL_TAG:
      put("<unsupported kind:");
      put_uint(btf_kind(t));
      put('>');
      err = -EOPNOTSUPP;
      break;
    case BTF_KIND_INT:
      if (bit_sz != 0) {
        uint64_t v;
        err = data_bits(t, p, bit_off, bit_sz, &v);
        if (err == 0) {
          char buf[24];
          int n = std::snprintf(buf, sizeof(buf), "0x%llx", static_cast<unsigned long long>(v));
          put(std::string_view(buf, static_cast<size_t>(n)));
          data_value_end();
        }
      } else {
        err = data_int(rid, t, p);
      }
      break;
    case BTF_KIND_FLOAT:
      err = data_float(rid, t, p);
      break;
    case BTF_KIND_PTR: {
      // The size checked so far came from the BTF, whose pointer size may
      // have changed since this dumper cached ptr_sz_: check the bytes read.
      const size_t psz = ptr_sz_ == 4 ? 4 : 8;
      if (p > data_end_ || static_cast<size_t>(data_end_ - p) < psz) {
        BPFXX_WARN("btf_dump: pointer of type [%u] overflows the data\n", rid);
        return -E2BIG;
      }
      char buf[32];
      int n;
      if (ptr_sz_ == sizeof(void*)) {
        void* v;
        std::memcpy(&v, p, sizeof(v));
        n = std::snprintf(buf, sizeof(buf), "%p", v);
      } else if (ptr_sz_ == 4) {
        uint32_t v;
        std::memcpy(&v, p, 4);
        n = std::snprintf(buf, sizeof(buf), "0x%x", v);
      } else {
        uint64_t v;
        std::memcpy(&v, p, 8);
        n = std::snprintf(buf, sizeof(buf), "0x%llx", static_cast<unsigned long long>(v));
      }
      put(std::string_view(buf, static_cast<size_t>(n)));
      data_value_end();
      err = 0;
      break;
    }
    case BTF_KIND_ARRAY:
      err = data_array(rid, t, p);
      break;
    case BTF_KIND_STRUCT:
    case BTF_KIND_UNION:
      err = data_struct(rid, t, p);
      break;
    case BTF_KIND_ENUM:
    case BTF_KIND_ENUM64: {
      int64_t v = 0;
      if (bit_sz != 0) {
        uint64_t u;
        err = data_bits(t, p, bit_off, bit_sz, &u);
        v = static_cast<int64_t>(u);
      } else {
        err = data_enum_value(rid, t, p, &v);
      }
      if (err == 0) err = data_enum(t, v);
      break;
    }
    case BTF_KIND_VAR:
      err = data_var(rid, t, p);
      break;
    case BTF_KIND_DATASEC:
      err = data_datasec(rid, t, p);
      break;
    default:
      BPFXX_WARN("btf_dump: type [%u] has unexpected kind %u\n", rid, btf_kind(t));
      return -EINVAL;
  }
  return err < 0 ? err : size;
}
