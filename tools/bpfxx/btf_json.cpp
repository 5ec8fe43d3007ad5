#include "btf_json.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>

namespace bpfxx::tool {
namespace {

constexpr int kMaxDepth = 32;

class ValueWriter {
 public:
  ValueWriter(const struct btf* btf, const uint8_t* end, JsonWriter& w) : btf_(btf), end_(end), w_(w) {}

  int value(uint32_t id, const uint8_t* p, int depth);

 private:
  const btf_type* resolve(uint32_t* id) const {
    for (int i = 0; i < kMaxDepth; i++) {
      const btf_type* t = btf__type_by_id(btf_, *id);
      if (t == nullptr) return nullptr;
      if (!btf_is_mod(t) && !btf_is_typedef(t) && !btf_is_var(t)) return t;
      *id = t->type;
    }
    return nullptr;
  }
  bool fits(const uint8_t* p, size_t n) const { return p <= end_ && static_cast<size_t>(end_ - p) >= n; }

  // An unsigned integer of up to 8 bytes in host order.
  uint64_t load(const uint8_t* p, size_t n) const {
    uint64_t v = 0;
    if (n == 1) v = p[0];
    else if (n == 2) { uint16_t x; std::memcpy(&x, p, 2); v = x; }
    else if (n == 4) { uint32_t x; std::memcpy(&x, p, 4); v = x; }
    else if (n == 8) std::memcpy(&v, p, 8);
    return v;
  }
  static int64_t sign_extend(uint64_t v, unsigned bits) {
    if (bits == 0 || bits >= 64) return static_cast<int64_t>(v);
    const uint64_t m = uint64_t{1} << (bits - 1);
    v &= (m << 1) - 1;
    return static_cast<int64_t>((v ^ m) - m);
  }
  void number(uint64_t v, bool is_signed, unsigned bits) {
    if (is_signed) {
      w_.number(sign_extend(v, bits));
    } else if (v <= static_cast<uint64_t>(INT64_MAX)) {
      w_.number(static_cast<int64_t>(v));
    } else {
      w_.string(std::to_string(v));  // past what JSON numbers hold exactly
    }
  }
  int integer(const btf_type* t, const uint8_t* p, uint32_t bit_off, uint32_t bit_size);
  int enumeration(const btf_type* t, const uint8_t* p, uint32_t bit_off, uint32_t bit_size);
  int array(const btf_type* t, const uint8_t* p, int depth);
  int record(const btf_type* t, const uint8_t* p, int depth);
  int datasec(const btf_type* t, const uint8_t* p, int depth);
  // Reads a bitfield (or a whole value when bit_size is 0).
  bool bits(const uint8_t* p, size_t size, uint32_t bit_off, uint32_t bit_size, uint64_t* out) const;

  const struct btf* btf_;
  const uint8_t* end_;
  JsonWriter& w_;
};

bool ValueWriter::bits(const uint8_t* p, size_t size, uint32_t bit_off, uint32_t bit_size, uint64_t* out) const {
  if (bit_size == 0) {
    if (!fits(p, size) || size > 8) return false;
    *out = load(p, size);
    return true;
  }
  // A bitfield: gather the bytes it touches (little-endian bit numbering).
  const size_t first = bit_off / 8;
  const size_t last = (bit_off + bit_size - 1) / 8;
  if (last - first >= 8 || !fits(p + first, last - first + 1)) return false;
  unsigned __int128 acc = 0;
  for (size_t i = last + 1; i-- > first;) acc = (acc << 8) | p[i];
  acc >>= bit_off % 8;
  const uint64_t mask = bit_size >= 64 ? ~uint64_t{0} : (uint64_t{1} << bit_size) - 1;
  *out = static_cast<uint64_t>(acc) & mask;
  return true;
}

int ValueWriter::integer(const btf_type* t, const uint8_t* p, uint32_t bit_off, uint32_t bit_size) {
  const uint32_t meta = *reinterpret_cast<const uint32_t*>(t + 1);
  const uint32_t enc = BTF_INT_ENCODING(meta);
  if (t->size == 16 && bit_size == 0) {
    if (!fits(p, 16)) return -EINVAL;
    char buf[40];
    uint64_t lo, hi;
    std::memcpy(&lo, p, 8);
    std::memcpy(&hi, p + 8, 8);
    if (hi != 0)
      std::snprintf(buf, sizeof(buf), "0x%llx%016llx", static_cast<unsigned long long>(hi),
                    static_cast<unsigned long long>(lo));
    else
      std::snprintf(buf, sizeof(buf), "0x%llx", static_cast<unsigned long long>(lo));
    w_.string(buf);
    return 0;
  }
  uint64_t v;
  if (!bits(p, t->size, bit_off + BTF_INT_OFFSET(meta), bit_size != 0 ? bit_size : 0, &v)) return -EINVAL;
  if (enc & BTF_INT_BOOL) {
    w_.boolean(v != 0);
    return 0;
  }
  number(v, (enc & BTF_INT_SIGNED) != 0, bit_size != 0 ? bit_size : t->size * 8);
  return 0;
}

int ValueWriter::enumeration(const btf_type* t, const uint8_t* p, uint32_t bit_off, uint32_t bit_size) {
  uint64_t v;
  if (!bits(p, t->size, bit_off, bit_size, &v)) return -EINVAL;
  const bool is_signed = btf_kflag(t);
  const int64_t sv = sign_extend(v, bit_size != 0 ? bit_size : t->size * 8);
  for (uint32_t i = 0; i < btf_vlen(t); i++) {
    uint32_t name_off;
    uint64_t ev;
    if (btf_is_enum(t)) {
      name_off = btf_enum(t)[i].name_off;
      ev = is_signed ? static_cast<uint64_t>(static_cast<int64_t>(btf_enum(t)[i].val))
                     : static_cast<uint32_t>(btf_enum(t)[i].val);
    } else {
      name_off = btf_enum64(t)[i].name_off;
      ev = btf_enum64_value(btf_enum64(t) + i);
    }
    if (ev == (is_signed ? static_cast<uint64_t>(sv) : v)) {
      const char* name = btf__name_by_offset(btf_, name_off);
      if (name != nullptr && name[0] != 0) {
        w_.string(name);
        return 0;
      }
    }
  }
  number(v, is_signed, bit_size != 0 ? bit_size : t->size * 8);
  return 0;
}

int ValueWriter::array(const btf_type* t, const uint8_t* p, int depth) {
  const struct btf_array* a = btf_array(t);
  uint32_t elem_id = a->type;
  const btf_type* et = resolve(&elem_id);
  if (et == nullptr) return -EINVAL;
  const __s64 esz = btf__resolve_size(btf_, elem_id);
  if (esz < 0) return -EINVAL;
  if (!fits(p, static_cast<size_t>(esz) * a->nelems)) return -EINVAL;
  if (btf_is_int(et) && et->size == 1) {
    const uint32_t enc = BTF_INT_ENCODING(*reinterpret_cast<const uint32_t*>(et + 1));
    const char* ename = btf__name_by_offset(btf_, et->name_off);
    const bool is_char = (enc & BTF_INT_CHAR) || (ename != nullptr && std::strcmp(ename, "char") == 0);
    // A NUL-terminated char array reads best as a string.
    const void* nul = is_char ? std::memchr(p, 0, a->nelems) : nullptr;
    if (nul != nullptr) {
      bool printable = true;
      for (const uint8_t* c = p; c < static_cast<const uint8_t*>(nul); c++) printable = printable && ((*c >= 0x20 && *c < 0x7f) || *c == '\n' || *c == '\t');
      if (printable) {
        w_.string(std::string(reinterpret_cast<const char*>(p), static_cast<const uint8_t*>(nul) - p));
        return 0;
      }
    }
  }
  w_.begin_array();
  for (uint32_t i = 0; i < a->nelems; i++) {
    int err = value(elem_id, p + static_cast<size_t>(esz) * i, depth + 1);
    if (err != 0) return err;
  }
  w_.end_array();
  return 0;
}

int ValueWriter::record(const btf_type* t, const uint8_t* p, int depth) {
  if (!fits(p, t->size)) return -EINVAL;
  w_.begin_object();
  for (uint32_t i = 0; i < btf_vlen(t); i++) {
    const btf_member* m = btf_members(t) + i;
    const char* name = btf__name_by_offset(btf_, m->name_off);
    const uint32_t bit_off = btf_member_bit_offset(t, i);
    const uint32_t bit_size = btf_member_bitfield_size(t, i);
    w_.key(name != nullptr && name[0] != 0 ? name : "(anon)");
    uint32_t mid = m->type;
    const btf_type* mt = resolve(&mid);
    if (mt == nullptr) return -EINVAL;
    int err;
    if (bit_size != 0 && btf_is_int(mt)) {
      err = integer(mt, p, bit_off, bit_size);
    } else if (bit_size != 0 && btf_is_any_enum(mt)) {
      err = enumeration(mt, p, bit_off, bit_size);
    } else {
      err = value(mid, p + bit_off / 8, depth + 1);
    }
    if (err != 0) return err;
  }
  w_.end_object();
  return 0;
}

int ValueWriter::datasec(const btf_type* t, const uint8_t* p, int depth) {
  w_.begin_object();
  for (uint32_t i = 0; i < btf_vlen(t); i++) {
    const btf_var_secinfo* v = btf_var_secinfos(t) + i;
    const btf_type* vt = btf__type_by_id(btf_, v->type);
    if (vt == nullptr) return -EINVAL;
    const char* name = btf__name_by_offset(btf_, vt->name_off);
    w_.key(name != nullptr ? name : "(anon)");
    int err = value(v->type, p + v->offset, depth + 1);
    if (err != 0) return err;
  }
  w_.end_object();
  return 0;
}

int ValueWriter::value(uint32_t id, const uint8_t* p, int depth) {
  if (depth > kMaxDepth) return -EINVAL;
  const btf_type* t = resolve(&id);
  if (t == nullptr) return -EINVAL;
  switch (btf_kind(t)) {
    case BTF_KIND_INT: return integer(t, p, 0, 0);
    case BTF_KIND_ENUM:
    case BTF_KIND_ENUM64: return enumeration(t, p, 0, 0);
    case BTF_KIND_PTR: {
      if (!fits(p, sizeof(void*))) return -EINVAL;
      number(load(p, sizeof(void*)), false, 64);
      return 0;
    }
    case BTF_KIND_FLOAT: {
      if (!fits(p, t->size)) return -EINVAL;
      char buf[64];
      if (t->size == 4) {
        float f;
        std::memcpy(&f, p, 4);
        std::snprintf(buf, sizeof(buf), "%g", static_cast<double>(f));
      } else if (t->size == 8) {
        double d;
        std::memcpy(&d, p, 8);
        std::snprintf(buf, sizeof(buf), "%g", d);
      } else {
        std::snprintf(buf, sizeof(buf), "(float%u)", t->size * 8);
      }
      w_.string(buf);
      return 0;
    }
    case BTF_KIND_ARRAY: return array(t, p, depth);
    case BTF_KIND_STRUCT:
    case BTF_KIND_UNION: return record(t, p, depth);
    case BTF_KIND_DATASEC: return datasec(t, p, depth);
    default: return -EINVAL;
  }
}

}  // namespace

int btf_value_json(const struct btf* btf, uint32_t type_id, const uint8_t* data, size_t size, JsonWriter& w) {
  ValueWriter vw(btf, data + size, w);
  return vw.value(type_id, data, 0);
}

}  // namespace bpfxx::tool
