// One CO-RE relocation: values from the local and the target BTF, and the
// instruction rewritten.
#include "relo/resolve.h"

#include <cerrno>
#include <climits>
#include <cstring>

#include "base/log.h"
#include "relo/compat.h"
#include "relo/core_kind.h"

namespace bpfxx::relo {

const char* kind_str(uint32_t k) noexcept {
  static const char* const names[] = {"byte_off",    "byte_sz",    "field_exists",   "signed",
                                      "lshift_u64",  "rshift_u64", "local_type_id",  "target_type_id",
                                      "type_exists", "type_size",  "enumval_exists", "enumval_value",
                                      "type_matches"};
  return k < sizeof names / sizeof names[0] ? names[k] : "unknown";
}

namespace {

uint32_t kind_of(const btf_type* t) noexcept { return BTF_INFO_KIND(t->info); }
uint32_t int_data(const btf_type* t) noexcept { return *reinterpret_cast<const uint32_t*>(t + 1); }

std::string prefix(const ReloSite& s) {
  return "prog '" + std::string(s.prog) + "': relo #" + std::to_string(s.relo_idx) + ": ";
}

Failure relo_fail(const ReloSite& s, int err, const std::string& what) {
  const std::string msg = prefix(s) + what;
  BPFXX_WARN("%s\n", msg.c_str());
  return fail(err, msg);
}

// What a field relocation evaluates to in one spec (null: no target).
struct FieldValue {
  uint64_t val = 0;
  uint32_t sz = 0;       // memory access size of a plain field
  uint32_t type_id = 0;  // its type
  bool validate = true;
  bool missing = false;  // no spec: poison
};

int calc_field(uint32_t kind, const Spec* s, FieldValue& out, std::string* why) {
  if (kind == kFieldExists) {
    out.val = s != nullptr ? 1 : 0;
    return 0;
  }
  if (s == nullptr) {
    out.missing = true;
    return 0;
  }
  const ::btf& b = *s->btf;
  const Accessor& acc = s->acc[s->len - 1];
  if (acc.name == nullptr) {
    // The path ends on an array element (or the root itself).
    const int64_t sz = b.resolve_size(acc.type_id);
    if (sz < 0) return static_cast<int>(sz);
    if (kind == kFieldByteOffset) {
      out.val = s->bit_offset / 8;
      out.sz = static_cast<uint32_t>(sz);
      out.type_id = acc.type_id;
    } else if (kind == kFieldByteSize) {
      out.val = static_cast<uint64_t>(sz);
    } else {
      if (why) *why = std::string(kind_str(kind)) + " cannot be applied to an array element";
      return -EINVAL;
    }
    out.validate = true;
    return 0;
  }
  const btf_type* parent = b.type_by_id(acc.type_id);
  const btf_member& m = reinterpret_cast<const btf_member*>(parent + 1)[acc.idx];
  uint32_t field_id = 0;
  const btf_type* mt = skip_mods_and_typedefs(b, m.type, &field_id);
  if (mt == nullptr) return -EINVAL;
  const uint64_t bit_off = s->bit_offset;
  uint64_t bit_sz = BTF_INFO_KFLAG(parent->info) ? BTF_MEMBER_BITFIELD_SIZE(m.offset) : 0;
  const bool bitfield = bit_sz > 0;
  uint64_t byte_sz, byte_off;
  if (bitfield) {
    // The smallest naturally aligned load, starting from the declared
    // type's size, that covers every bit of the field.
    byte_sz = mt->size;
    if (byte_sz == 0) return -EINVAL;
    byte_off = bit_off / 8 / byte_sz * byte_sz;
    while (bit_off + bit_sz - byte_off * 8 > byte_sz * 8) {
      if (byte_sz >= 8) {
        if (why) *why = "bitfield cannot be read with one 64-bit load";
        return -E2BIG;
      }
      byte_sz *= 2;
      byte_off = bit_off / 8 / byte_sz * byte_sz;
    }
  } else {
    const int64_t sz = b.resolve_size(field_id);
    if (sz < 0) return static_cast<int>(sz);
    byte_sz = static_cast<uint64_t>(sz);
    byte_off = bit_off / 8;
    bit_sz = byte_sz * 8;
  }
  // The compiler may lay a bitfield's load out differently from us, so only
  // values that cannot differ are checked against the instruction.
  out.validate = !bitfield;
  switch (kind) {
    case kFieldByteOffset:
      out.val = byte_off;
      if (!bitfield) {
        out.sz = static_cast<uint32_t>(byte_sz);
        out.type_id = field_id;
      }
      break;
    case kFieldByteSize: out.val = byte_sz; break;
    case kFieldSigned:
      out.val =
          (kind_of(mt) == BTF_KIND_INT && (BTF_INT_ENCODING(int_data(mt)) & BTF_INT_SIGNED)) ||
          ((kind_of(mt) == BTF_KIND_ENUM || kind_of(mt) == BTF_KIND_ENUM64) && BTF_INFO_KFLAG(mt->info));
      out.validate = true;
      break;
    case kFieldLshiftU64:
      if constexpr (__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__)
        out.val = 64 - (bit_off + bit_sz - byte_off * 8);
      else
        out.val = (8 - byte_sz) * 8 + (bit_off - byte_off * 8);
      break;
    case kFieldRshiftU64:
      out.val = 64 - bit_sz;
      out.validate = true;
      break;
    default: return -EOPNOTSUPP;
  }
  return 0;
}

// Type relocations answer 0 when no target type exists.
int calc_type(uint32_t kind, const Spec* s, uint64_t& val, bool& validate) {
  validate = true;
  if (s == nullptr) {
    val = 0;
    return 0;
  }
  switch (kind) {
    case kTypeIdTarget:
      val = s->root_type_id;
      // Local ids may be renumbered by static linking: never checked.
      validate = false;
      return 0;
    case kTypeExists:
    case kTypeMatches: val = 1; return 0;
    case kTypeSize: {
      const int64_t sz = s->btf->resolve_size(s->root_type_id);
      if (sz < 0) return static_cast<int>(sz);
      val = static_cast<uint64_t>(sz);
      return 0;
    }
    default: return -EOPNOTSUPP;
  }
}

int calc_enumval(uint32_t kind, const Spec* s, uint64_t& val, bool& missing) {
  if (kind == kEnumvalExists) {
    val = s != nullptr ? 1 : 0;
    return 0;
  }
  if (kind != kEnumvalValue) return -EOPNOTSUPP;
  if (s == nullptr) {
    missing = true;
    return 0;
  }
  const btf_type* t = s->btf->type_by_id(s->acc[0].type_id);
  const uint32_t i = s->acc[0].idx;
  if (kind_of(t) == BTF_KIND_ENUM) {
    // 32-bit values are sign-extended, as the compiler writes them.
    val = static_cast<uint64_t>(static_cast<int64_t>(reinterpret_cast<const struct btf_enum*>(t + 1)[i].val));
  } else {
    const auto& e = reinterpret_cast<const struct btf_enum64*>(t + 1)[i];
    val = (uint64_t{e.val_hi32} << 32) | e.val_lo32;
  }
  return 0;
}

// The resolution for local spec ls against target spec ts (null: none).
int calc(const Spec& ls, const Spec* ts, Resolution& res, std::string* why) {
  const uint32_t kind = ls.kind;
  res = Resolution{};
  if (is_field_kind(kind)) {
    FieldValue o, n;
    if (int r = calc_field(kind, &ls, o, why); r != 0) return r;
    if (int r = calc_field(kind, ts, n, why); r != 0) return r;
    res.orig_val = o.val;
    res.orig_sz = o.sz;
    res.orig_type_id = o.type_id;
    res.validate = o.validate;
    if (n.missing) {
      res.poison = true;
      return 0;
    }
    res.new_val = n.val;
    res.new_sz = n.sz;
    res.new_type_id = n.type_id;
    if (res.orig_sz != res.new_sz) {
      // A different width reads the same value only for pointers and
      // unsigned integers (zero extension); anything else is poisoned if
      // it is a load or store.
      const btf_type* ot = ls.btf->type_by_id(res.orig_type_id);
      const btf_type* nt = ts->btf->type_by_id(res.new_type_id);
      const bool ok = ot != nullptr && nt != nullptr &&
                      ((kind_of(ot) == BTF_KIND_PTR && kind_of(nt) == BTF_KIND_PTR) ||
                       (kind_of(ot) == BTF_KIND_INT && kind_of(nt) == BTF_KIND_INT &&
                        !(BTF_INT_ENCODING(int_data(ot)) & BTF_INT_SIGNED) &&
                        !(BTF_INT_ENCODING(int_data(nt)) & BTF_INT_SIGNED)));
      res.fail_memsz_adjust = !ok;
    }
    return 0;
  }
  if (is_type_kind(kind)) {
    bool unused = false;
    if (int r = calc_type(kind, &ls, res.orig_val, res.validate); r != 0) return r;
    return calc_type(kind, ts, res.new_val, unused);
  }
  if (is_enumval_kind(kind)) {
    bool missing = false;
    if (int r = calc_enumval(kind, &ls, res.orig_val, missing); r != 0) return r;
    if (int r = calc_enumval(kind, ts, res.new_val, missing); r != 0) return r;
    res.poison = missing;
    return 0;
  }
  return -EOPNOTSUPP;
}

std::string value_str(const Resolution& r) {
  return r.poison ? std::string("poison") : std::to_string(r.new_val);
}

std::string cand_str(const Candidate& c) {
  const btf_type* t = c.btf->type_by_id(c.id);
  std::string s = "[" + std::to_string(c.id) + "] ";
  if (t != nullptr)
    s += std::string(btf::kind_name(kind_of(t))) + " " + std::string(name_of(*c.btf, t->name_off));
  return s + " in " + std::string(c.btf_name);
}

}  // namespace

Result<Resolution> resolve(const ::btf& local, const btf::CoreRelo& rec, std::span<const Candidate> cands,
                           const ReloSite& site) {
  if (!is_known_kind(rec.kind))
    return relo_fail(site, EOPNOTSUPP,
                     "unknown CO-RE relocation kind " + std::to_string(rec.kind) + " at insn #" +
                         std::to_string(site.insn_idx));
  Spec ls;
  std::string why;
  if (parse_spec(local, rec, ls, &why) != 0) {
    const char* acc = local.str_by_offset(rec.access_str_off);
    return relo_fail(site, EINVAL,
                     std::string(kind_str(rec.kind)) + " relocation of type [" + std::to_string(rec.type_id) +
                         "] with access '" + (acc ? acc : "?") + "' is malformed: " + why);
  }
  const std::string desc = std::string("<") + kind_str(rec.kind) + "> " + describe_spec(ls);
  Resolution best;
  if (rec.kind == kTypeIdLocal) {
    // Answered by the object's own BTF; no target involved.
    best.orig_val = best.new_val = rec.type_id;
    best.validate = false;
    best.local_desc = desc;
    return best;
  }
  const btf_type* lt = local.type_by_id(rec.type_id);
  if (name_of(local, lt->name_off).empty())
    return relo_fail(site, EOPNOTSUPP,
                     desc + ": anonymous types cannot be relocated (nothing to find them by)");

  Spec ts, first_spec;
  const Candidate* first = nullptr;
  for (const Candidate& c : cands) {
    const int m = match_spec(ls, *c.btf, c.id, ts);
    if (m < 0)
      return relo_fail(site, -m,
                       desc + ": error matching candidate " + cand_str(c) + ": " + std::strerror(-m));
    if (m == 0) continue;
    Resolution r;
    if (int e = calc(ls, &ts, r, &why); e != 0)
      return relo_fail(site, -e,
                       desc + ": cannot compute against " + cand_str(c) + (why.empty() ? "" : ": " + why));
    if (first == nullptr) {
      best = std::move(r);
      first = &c;
      first_spec = ts;
      continue;
    }
    if (ts.bit_offset != first_spec.bit_offset)
      return relo_fail(site, EINVAL,
                       desc + ": ambiguous: candidates " + cand_str(*first) + " and " + cand_str(c) +
                           " place the field at different bit offsets (" +
                           std::to_string(first_spec.bit_offset) + " vs " + std::to_string(ts.bit_offset) +
                           ")");
    if (r.poison != best.poison || r.new_val != best.new_val)
      return relo_fail(site, EINVAL,
                       desc + ": ambiguous: candidates " + cand_str(*first) + " and " + cand_str(c) +
                           " give different values (" + value_str(best) + " vs " + value_str(r) + ")");
  }
  if (first == nullptr) {
    if (int e = calc(ls, nullptr, best, &why); e != 0)
      return relo_fail(site, -e, desc + ": " + (why.empty() ? std::string(std::strerror(-e)) : why));
    if (best.poison)
      best.poison_reason =
          desc + ": no matching target type among " + std::to_string(cands.size()) + " candidate(s)";
  }
  best.local_desc = desc;
  if (first != nullptr)
    BPFXX_DEBUG("%s%s: matched %s: %llu -> %llu\n", prefix(site).c_str(), desc.c_str(),
                cand_str(*first).c_str(), static_cast<unsigned long long>(best.orig_val),
                static_cast<unsigned long long>(best.new_val));
  return best;
}

void poison_insn(bpf_insn& insn) noexcept {
  insn.code = BPF_JMP | BPF_CALL;
  insn.dst_reg = 0;
  insn.src_reg = 0;
  insn.off = 0;
  insn.imm = kPoisonHelperId;
}

namespace {

int size_bytes(uint8_t code) noexcept {
  switch (BPF_SIZE(code)) {
    case BPF_B: return 1;
    case BPF_H: return 2;
    case BPF_W: return 4;
    case BPF_DW: return 8;
    default: return -1;
  }
}

int size_code(uint32_t bytes) noexcept {
  switch (bytes) {
    case 1: return BPF_B;
    case 2: return BPF_H;
    case 4: return BPF_W;
    case 8: return BPF_DW;
    default: return -1;
  }
}

bool is_ld_imm64(const bpf_insn& i) noexcept { return i.code == (BPF_LD | BPF_IMM | BPF_DW); }

}  // namespace

Result<void> patch_insn(std::span<bpf_insn> insns, const Resolution& res, const ReloSite& site) {
  const uint32_t idx = site.insn_idx;
  if (idx >= insns.size())
    return relo_fail(site, EINVAL, "insn #" + std::to_string(idx) + " is past the program's end");
  bpf_insn& in = insns[idx];
  // Only messages need it: built on demand, not for every relocation.
  auto at = [&] { return res.local_desc + ": insn #" + std::to_string(idx); };
  auto poison = [&]() -> Result<void> {
    // The second half of an ld_imm64 is poisoned too, so the verifier does
    // not stop at a half instruction before reaching the call.
    if (is_ld_imm64(in) && idx + 1 < insns.size()) poison_insn(insns[idx + 1]);
    poison_insn(in);
    BPFXX_DEBUG("%s%s: cannot be satisfied, replaced by call 0x%x\n", prefix(site).c_str(), at().c_str(),
                static_cast<unsigned>(kPoisonHelperId));
    return {};
  };
  if (res.poison) return poison();
  const uint64_t nv = res.new_val;
  switch (BPF_CLASS(in.code)) {
    case BPF_ALU:
    case BPF_ALU64: {
      if (BPF_SRC(in.code) != BPF_K)
        return relo_fail(site, EINVAL, at() + " is an ALU operation on a register, not an immediate");
      if (res.validate && static_cast<uint64_t>(static_cast<int64_t>(in.imm)) != res.orig_val &&
          static_cast<uint32_t>(in.imm) != res.orig_val)
        return relo_fail(
            site, EINVAL,
            at() + " (ALU) holds " + std::to_string(in.imm) + ", expected " + std::to_string(res.orig_val));
      in.imm = static_cast<int32_t>(static_cast<uint32_t>(nv));
      return {};
    }
    case BPF_LDX:
    case BPF_ST:
    case BPF_STX: {
      if (res.validate && static_cast<int64_t>(in.off) != static_cast<int64_t>(res.orig_val))
        return relo_fail(site, EINVAL,
                         at() + " (load/store) has offset " + std::to_string(in.off) + ", expected " +
                             std::to_string(res.orig_val));
      if (nv > SHRT_MAX)
        return relo_fail(site, ERANGE, at() + " (load/store): offset " + std::to_string(nv) + " does not fit");
      if (res.fail_memsz_adjust) {
        BPFXX_WARN(
            "%s%s accesses a field whose size changed (%u -> %u bytes) in a way a resized load "
            "cannot read; only pointers and unsigned integers can be resized: poisoned\n",
            prefix(site).c_str(), at().c_str(), res.orig_sz, res.new_sz);
        return poison();
      }
      in.off = static_cast<int16_t>(nv);
      if (res.new_sz != res.orig_sz) {
        if (size_bytes(in.code) != static_cast<int>(res.orig_sz))
          return relo_fail(site, EINVAL,
                           at() + " accesses " + std::to_string(size_bytes(in.code)) + " bytes, expected " +
                               std::to_string(res.orig_sz));
        const int sc = size_code(res.new_sz);
        if (sc < 0)
          return relo_fail(site, EINVAL,
                           at() + ": the field's new size " + std::to_string(res.new_sz) +
                               " cannot be loaded in one instruction");
        in.code = static_cast<uint8_t>(BPF_MODE(in.code) | sc | BPF_CLASS(in.code));
      }
      return {};
    }
    case BPF_LD: {
      if (!is_ld_imm64(in) || idx + 1 >= insns.size() || in.src_reg != 0 || in.off != 0 ||
          insns[idx + 1].code != 0 || insns[idx + 1].dst_reg != 0 || insns[idx + 1].src_reg != 0 ||
          insns[idx + 1].off != 0)
        return relo_fail(site, EINVAL, at() + " is not a plain 64-bit immediate load");
      const uint64_t imm =
          static_cast<uint32_t>(in.imm) | (uint64_t{static_cast<uint32_t>(insns[idx + 1].imm)} << 32);
      if (res.validate && imm != res.orig_val)
        return relo_fail(
            site, EINVAL,
            at() + " (ld_imm64) holds " + std::to_string(imm) + ", expected " + std::to_string(res.orig_val));
      in.imm = static_cast<int32_t>(static_cast<uint32_t>(nv));
      insns[idx + 1].imm = static_cast<int32_t>(static_cast<uint32_t>(nv >> 32));
      return {};
    }
    default: {
      char buf[64];
      std::snprintf(buf, sizeof buf, " (code 0x%02x) cannot be relocated", in.code);
      return relo_fail(site, EINVAL, at() + buf);
    }
  }
}

}  // namespace bpfxx::relo
