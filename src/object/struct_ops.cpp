// struct_ops maps: parsed at open, laid out for the kernel at prepare,
// completed with program fds after load (see struct_ops.h).
#include "object/struct_ops.h"

#include "base/log.h"
#include "btf/load.h"
#include "object/load.h"
#include "object/object.h"

#include <bpf/btf.h>

#include <algorithm>
#include <cstring>

namespace bpfxx::object {
namespace {

constexpr std::string_view kValuePrefix = "bpf_struct_ops_";
constexpr uint64_t kPtrSize = 8;  // a pointer of the BPF target

Failure open_bad(const bpf_object& obj, int err, const std::string& what) {
  BPFXX_WARN("elf: %s: struct_ops: %s\n", obj.name.c_str(), what.c_str());
  return fail(err, obj.name + ": struct_ops: " + what);
}

Failure map_bad(const bpf_map& m, int err, const std::string& what) {
  BPFXX_WARN("struct_ops map '%s': %s\n", m.name.c_str(), what.c_str());
  return fail(err, "struct_ops map '" + m.name + "': " + what);
}

std::string name_of(const ::btf* b, uint32_t name_off) {
  const char* n = btf__name_by_offset(b, name_off);
  return n != nullptr ? n : "";
}

// The type behind typedefs and modifiers (and type tags); NULL if broken.
const btf_type* skip_mods(const ::btf* b, uint32_t id, uint32_t* out_id) {
  const btf_type* t = btf__type_by_id(b, id);
  for (int depth = 0; t != nullptr && depth < 32; depth++) {
    if (!btf_is_mod(t) && !btf_is_typedef(t) && !btf_is_type_tag(t)) {
      if (out_id != nullptr) *out_id = id;
      return t;
    }
    id = t->type;
    t = btf__type_by_id(b, id);
  }
  return nullptr;
}

// A pointer to a function prototype (a function-pointer member).
bool is_func_ptr(const ::btf* b, const btf_type* t) {
  if (t == nullptr || !btf_is_ptr(t)) return false;
  const btf_type* p = skip_mods(b, t->type, nullptr);
  return p != nullptr && btf_is_func_proto(p);
}

bool all_zero(const uint8_t* p, size_t n) {
  return std::all_of(p, p + n, [](uint8_t c) { return c == 0; });
}

// The type name without a ___flavor suffix.
std::string essential(const std::string& name) {
  const size_t pos = name.find("___");
  return pos == std::string::npos || pos == 0 ? name : name.substr(0, pos);
}

bool is_obj_struct_ops_prog(const bpf_object& obj, const bpf_program* prog) {
  for (const auto& p : obj.programs)
    if (p.get() == prog) return !p->is_subprog && p->type == BPF_PROG_TYPE_STRUCT_OPS;
  return false;
}

class Parser {
 public:
  Parser(bpf_object& obj, const elf::Reader& elf) : obj_(obj), elf_(elf) {}

  Result<void> add_maps(const elf::Section& s) {
    const std::string sec_name(s.name);
    if (std::find(obj_.struct_ops_shndx.begin(), obj_.struct_ops_shndx.end(), s.index) ==
        obj_.struct_ops_shndx.end())
      obj_.struct_ops_shndx.push_back(s.index);
    if (!obj_.btf_data)
      return open_bad(obj_, EINVAL, "section '" + sec_name + "' needs the object's BTF, which is missing");
    const ::btf* b = obj_.btf_data.get();
    const int32_t dsid = btf__find_by_name_kind(b, sec_name.c_str(), BTF_KIND_DATASEC);
    if (dsid < 0) return open_bad(obj_, EINVAL, "no BTF DATASEC describes section '" + sec_name + "'");
    Result<std::span<const uint8_t>> data = elf_.data(s);
    if (!data) return data.failure();
    const btf_type* ds = btf__type_by_id(b, static_cast<uint32_t>(dsid));
    const bool link = sec_name.ends_with(".link");
    const bool off_by_default = sec_name[0] == '?';
    const btf_var_secinfo* vsi = btf_var_secinfos(ds);
    for (uint16_t i = 0; i < btf_vlen(ds); i++) {
      const btf_type* var = btf__type_by_id(b, vsi[i].type);
      if (var == nullptr || !btf_is_var(var))
        return open_bad(obj_, EINVAL, "section '" + sec_name + "': entry #" + std::to_string(i) + " is not a variable");
      const std::string var_name = name_of(b, var->name_off);
      uint32_t tid = 0;
      const btf_type* t = skip_mods(b, var->type, &tid);
      if (t == nullptr || !btf_is_struct(t))
        return open_bad(obj_, EINVAL, "variable '" + var_name + "' in '" + sec_name + "' is not a struct");
      const std::string tname = name_of(b, t->name_off);
      if (tname.empty())
        return open_bad(obj_, ENOTSUP, "variable '" + var_name + "' has an anonymous struct type");
      // The variable's place: its symbol says it (the DATASEC's offsets
      // are only fixed up at the end of open).
      uint64_t var_off = vsi[i].offset;
      if (Result<uint64_t> so = symbol_offset(s.index, var_name); so) var_off = *so;
      if (var_off > data->size() || t->size > data->size() - var_off)
        return open_bad(obj_, EINVAL, "variable '" + var_name + "' lies beyond the end of '" + sec_name + "'");
      auto map = std::make_unique<bpf_map>();
      map->obj = &obj_;
      map->name = var_name;
      map->real_name = var_name;
      map->kind = MapKind::kStructOps;
      map->sec_idx = s.index;
      map->sec_offset = var_off;
      map->var_size = t->size;
      map->type = BPF_MAP_TYPE_STRUCT_OPS;
      map->key_size = sizeof(uint32_t);
      map->value_size = t->size;
      map->max_entries = 1;
      map->map_flags = link ? BPF_F_LINK : 0;
      map->btf_var_id = vsi[i].type;
      map->btf_value_type_id = tid;
      map->autocreate = !off_by_default;
      auto st = std::make_unique<StructOps>();
      st->local_type_id = tid;
      st->type_name = tname;
      st->shadow.assign(data->begin() + static_cast<ptrdiff_t>(var_off),
                        data->begin() + static_cast<ptrdiff_t>(var_off + t->size));
      map->st_ops = std::move(st);
      BPFXX_DEBUG("struct_ops: map '%s' of struct %s at offset %llu of %s\n", var_name.c_str(), tname.c_str(),
                  static_cast<unsigned long long>(var_off), sec_name.c_str());
      obj_.maps.push_back(std::move(map));
    }
    return {};
  }

  Result<void> apply_relos(const elf::Section& rs) {
    const elf::Section& target = *elf_.section(rs.info);
    const std::string tname(target.name);
    Result<std::vector<elf::Relocation>> relos = elf_.relocations(rs);
    if (!relos) return relos.failure();
    Result<std::span<const uint8_t>> data = elf_.data(target);
    if (!data) return data.failure();
    const ::btf* b = obj_.btf_data.get();
    for (size_t i = 0; i < relos->size(); i++) {
      const elf::Relocation& r = (*relos)[i];
      auto bad = [&](int err, const std::string& what) {
        return open_bad(obj_, err, "section '" + tname + "': relo #" + std::to_string(i) + ": " + what);
      };
      bpf_map* map = map_at(target.index, r.offset);
      if (map == nullptr) return bad(EINVAL, "offset " + std::to_string(r.offset) + " is in no struct_ops variable");
      StructOps& st = *map->st_ops;
      const uint64_t moff = r.offset - map->sec_offset;
      const btf_type* t = btf__type_by_id(b, st.local_type_id);
      const btf_member* m = btf_members(t);
      int member = -1;
      for (uint16_t k = 0; k < btf_vlen(t); k++)
        if (btf_member_bit_offset(t, k) == moff * 8) member = k;
      if (member < 0) return bad(EINVAL, "map '" + map->name + "': offset " + std::to_string(moff) + " starts no member");
      const std::string mname = name_of(b, m[member].name_off);
      if (!is_func_ptr(b, skip_mods(b, m[member].type, nullptr)))
        return bad(EINVAL, "map '" + map->name + "': member '" + mname + "' is not a function pointer");
      if (moff + kPtrSize > st.shadow.size())
        return bad(EINVAL, "map '" + map->name + "': member '" + mname + "' crosses the end of the struct");
      Result<elf::Symbol> sym = elf_.symbol(r.sym);
      if (!sym) return bad(EINVAL, "bad symbol index " + std::to_string(r.sym));
      const std::string sname(sym->name);
      const elf::Section* ssec = sym->shndx < elf::kShnLoreserve ? elf_.section(sym->shndx) : nullptr;
      if (sym->shndx == elf::kShnUndef || ssec == nullptr || (ssec->flags & elf::kShfExecinstr) == 0)
        return bad(EINVAL, "map '" + map->name + "': member '" + mname + "' refers to '" + sname +
                               "', which is not a BPF program");
      uint64_t off = sym->value + static_cast<uint64_t>(r.addend);
      if (sym->type() == elf::kSttSection) {
        // A section-relative reference keeps its addend in the slot.
        uint64_t implicit = 0;
        std::memcpy(&implicit, data->data() + r.offset, sizeof implicit);
        off += implicit;
      }
      bpf_program* prog = off % sizeof(bpf_insn) == 0
                              ? obj_.program_at(sym->shndx, static_cast<uint32_t>(off / sizeof(bpf_insn)))
                              : nullptr;
      if (prog == nullptr || prog->is_subprog || prog->sec_insn_off * sizeof(bpf_insn) != off)
        return bad(EINVAL, "map '" + map->name + "': member '" + mname + "' refers to '" + sname +
                               "', which is not the start of a BPF program");
      if (prog->type != BPF_PROG_TYPE_STRUCT_OPS)
        return bad(EINVAL, "map '" + map->name + "': member '" + mname + "' is set to program '" + prog->name +
                               "' of section '" + prog->sec_name + "', which is not a struct_ops program");
      const auto p = reinterpret_cast<uintptr_t>(prog);
      std::memset(st.shadow.data() + moff, 0, kPtrSize);
      std::memcpy(st.shadow.data() + moff, &p, std::min<size_t>(sizeof p, kPtrSize));
      if (st.declared.size() < btf_vlen(t)) st.declared.resize(btf_vlen(t), nullptr);
      st.declared[static_cast<size_t>(member)] = prog;
      BPFXX_DEBUG("struct_ops: map '%s': member '%s' is program '%s'\n", map->name.c_str(), mname.c_str(),
                  prog->name.c_str());
    }
    return {};
  }

 private:
  // The value of the symbol named name in section shndx.
  Result<uint64_t> symbol_offset(uint32_t shndx, const std::string& name) const {
    const size_t n = elf_.symbol_count();
    for (size_t i = 1; i < n; i++) {
      Result<elf::Symbol> sym = elf_.symbol(i);
      if (sym && sym->shndx == shndx && sym->name == name) return sym->value;
    }
    return fail(ENOENT, name);
  }

  bpf_map* map_at(uint32_t sec_idx, uint64_t off) const {
    for (auto& m : obj_.maps) {
      if (!m->st_ops || m->sec_idx != sec_idx) continue;
      if (off >= m->sec_offset && off - m->sec_offset < m->st_ops->shadow.size()) return m.get();
    }
    return nullptr;
  }

  bpf_object& obj_;
  const elf::Reader& elf_;
};

// Builds the kernel value of one map (prepare).
class KernelLayout {
 public:
  KernelLayout(bpf_object& obj, bpf_map& map, const ::btf* kern)
      : obj_(obj), map_(map), st_(*map.st_ops), local_(obj.btf_data.get()), kern_(kern) {}

  Result<void> run() {
    const std::string name = essential(st_.type_name);
    const int32_t kid = btf__find_by_name_kind(kern_, name.c_str(), BTF_KIND_STRUCT);
    if (kid < 0)
      return map_bad(map_, ENOTSUP, "struct " + name + " is not in the kernel's BTF (not a struct_ops type "
                                    "of this kernel; struct_ops types of modules are not supported yet)");
    const std::string vname = std::string(kValuePrefix) + name;
    const int32_t vid = btf__find_by_name_kind(kern_, vname.c_str(), BTF_KIND_STRUCT);
    if (vid < 0)
      return map_bad(map_, ENOTSUP, "the kernel has no struct " + vname + ": struct " + name +
                                    " is not a struct_ops type it can register");
    const btf_type* kt = btf__type_by_id(kern_, static_cast<uint32_t>(kid));
    const btf_type* vt = btf__type_by_id(kern_, static_cast<uint32_t>(vid));
    int64_t data_off = -1;
    for (uint16_t k = 0; k < btf_vlen(vt); k++) {
      uint32_t mid = 0;
      if (skip_mods(kern_, btf_members(vt)[k].type, &mid) != nullptr && mid == static_cast<uint32_t>(kid))
        data_off = btf_member_bit_offset(vt, k) / 8;
    }
    if (data_off < 0) return map_bad(map_, EINVAL, "struct " + vname + " holds no struct " + name);
    st_.kern_type_id = static_cast<uint32_t>(kid);
    st_.kern_value_type_id = static_cast<uint32_t>(vid);
    st_.kern_value.assign(vt->size, 0);
    st_.func_slots.clear();
    map_.value_size = vt->size;

    const btf_type* lt = btf__type_by_id(local_, st_.local_type_id);
    for (uint16_t i = 0; i < btf_vlen(lt); i++) {
      if (auto r = member(lt, i, kt, static_cast<uint32_t>(data_off)); !r) return r;
    }
    return {};
  }

 private:
  Result<void> member(const btf_type* lt, uint16_t i, const btf_type* kt, uint32_t data_off) {
    const btf_member& lm = btf_members(lt)[i];
    const std::string mname = name_of(local_, lm.name_off);
    const uint32_t moff = btf_member_bit_offset(lt, i) / 8;
    const int64_t msize = btf__resolve_size(local_, lm.type);
    if (msize < 0 || moff + static_cast<uint64_t>(msize) > st_.shadow.size())
      return map_bad(map_, EINVAL, "the size of member '" + mname + "' cannot be resolved");
    const uint8_t* mdata = st_.shadow.data() + moff;
    bpf_program* declared = i < st_.declared.size() ? st_.declared[i] : nullptr;

    int kidx = -1;
    for (uint16_t k = 0; k < btf_vlen(kt); k++)
      if (name_of(kern_, btf_members(kt)[k].name_off) == mname) kidx = k;
    if (kidx < 0) {
      if (!all_zero(mdata, static_cast<size_t>(msize)))
        return map_bad(map_, ENOTSUP, "member '" + mname + "' is not in the kernel's struct " +
                                      essential(st_.type_name) + " and is set (non-zero)");
      // A callback the kernel cannot take: its program is not loaded for
      // this map (another map may still want it: see adjust_autoload).
      if (declared != nullptr) declared->autoload = false;
      BPFXX_INFO("struct_ops map '%s': member '%s' is not in the kernel; skipped, as it is zero\n",
                 map_.name.c_str(), mname.c_str());
      return {};
    }
    if (btf_member_bitfield_size(lt, i) != 0 || btf_member_bitfield_size(kt, static_cast<uint32_t>(kidx)) != 0)
      return map_bad(map_, ENOTSUP, "member '" + mname + "' is a bitfield, which struct_ops cannot copy");
    const btf_member& km = btf_members(kt)[kidx];
    const uint32_t kmoff = btf_member_bit_offset(kt, static_cast<uint32_t>(kidx)) / 8;
    uint32_t lmt_id = 0, kmt_id = 0;
    const btf_type* lmt = skip_mods(local_, lm.type, &lmt_id);
    const btf_type* kmt = skip_mods(kern_, km.type, &kmt_id);
    if (lmt == nullptr || kmt == nullptr || btf_kind(lmt) != btf_kind(kmt))
      return map_bad(map_, ENOTSUP, "member '" + mname + "' has a type of another kind than the kernel's");

    if (btf_is_ptr(lmt)) {
      bpf_program* prog = shadow_prog(st_, moff);
      // Declared in the source, then cleared or replaced through the
      // shadow: the old program serves nothing here (adjust_autoload()
      // turns it back on if another map still uses it).
      if (declared != nullptr && declared != prog) declared->autoload = false;
      if (prog == nullptr) return {};
      if (!is_obj_struct_ops_prog(obj_, prog))
        return map_bad(map_, EINVAL, "member '" + mname + "' holds something that is not a struct_ops "
                                     "program of this object");
      if (!is_func_ptr(kern_, kmt))
        return map_bad(map_, ENOTSUP, "member '" + mname + "' is not a function pointer in the kernel");
      const uint32_t kid = st_.kern_type_id;
      if (prog->attach_btf_id == 0) {
        prog->attach_btf_id = kid;
        prog->expected_attach_type = static_cast<uint32_t>(kidx);
      }
      if (prog->attach_btf_id != kid || prog->expected_attach_type != static_cast<uint32_t>(kidx))
        return map_bad(map_, EINVAL, "member '" + mname + "': program '" + prog->name +
                                     "' already implements member #" + std::to_string(prog->expected_attach_type) +
                                     " of kernel type [" + std::to_string(prog->attach_btf_id) +
                                     "]; a program can serve one member of one struct_ops type only");
      if (data_off + kmoff + sizeof(uint64_t) > st_.kern_value.size())
        return map_bad(map_, EINVAL, "member '" + mname + "' lies outside the kernel value");
      st_.func_slots.push_back({data_off + kmoff, prog});
      BPFXX_DEBUG("struct_ops map '%s': member '%s' (kernel member #%d) is program '%s'\n", map_.name.c_str(),
                  mname.c_str(), kidx, prog->name.c_str());
      return {};
    }
    const int64_t ksize = btf__resolve_size(kern_, kmt_id);
    if (ksize != msize)
      return map_bad(map_, ENOTSUP, "member '" + mname + "' has " + std::to_string(msize) +
                                    " bytes, the kernel's has " + std::to_string(ksize));
    if (data_off + kmoff + static_cast<uint64_t>(ksize) > st_.kern_value.size())
      return map_bad(map_, EINVAL, "member '" + mname + "' lies outside the kernel value");
    std::memcpy(st_.kern_value.data() + data_off + kmoff, mdata, static_cast<size_t>(msize));
    return {};
  }

  bpf_object& obj_;
  bpf_map& map_;
  StructOps& st_;
  const ::btf* local_;
  const ::btf* kern_;
};

// libbpf's rule: a struct_ops program some map uses is loaded when one of
// those maps is created, and not otherwise. One no map uses has nothing to
// tell the kernel what it implements: it fails unless autoload is off.
Result<void> adjust_autoload(bpf_object& obj) {
  for (auto& p : obj.programs) {
    if (p->is_subprog || p->type != BPF_PROG_TYPE_STRUCT_OPS) continue;
    int uses = 0;
    bool load = false;
    for (const auto& m : obj.maps) {
      if (!m->st_ops) continue;
      if (m->autocreate) {
        for (const auto& slot : m->st_ops->func_slots)
          if (slot.prog == p.get()) uses++, load = true;
      } else {
        for (bpf_program* d : m->st_ops->declared)
          if (d == p.get()) uses++;
      }
    }
    if (uses > 0) {
      p->autoload = load;
      continue;
    }
    if (p->autoload) {
      BPFXX_WARN("prog '%s': struct_ops program used by no struct_ops map, so nothing says which "
                 "callback it implements; use it in a map or turn its autoload off\n",
                 p->name.c_str());
      return fail(EINVAL, obj.name + ": prog '" + p->name + "': struct_ops program used by no map");
    }
  }
  return {};
}

}  // namespace

bool is_struct_ops_section(std::string_view name) noexcept {
  if (!name.empty() && name[0] == '?') name.remove_prefix(1);
  return name == ".struct_ops" || name == ".struct_ops.link";
}

bpf_program* shadow_prog(const StructOps& st, uint32_t off) noexcept {
  if (off + sizeof(uintptr_t) > st.shadow.size()) return nullptr;
  uintptr_t p = 0;
  std::memcpy(&p, st.shadow.data() + off, sizeof p);
  return reinterpret_cast<bpf_program*>(p);
}

Result<void> parse_struct_ops(bpf_object& obj, const elf::Reader& elf, std::span<const elf::Section* const> relos) {
  Parser parser(obj, elf);
  for (const elf::Section& s : elf.sections()) {
    if (s.index == 0 || !is_struct_ops_section(s.name)) continue;
    if ((s.flags & elf::kShfExecinstr) != 0) continue;
    if (auto r = parser.add_maps(s); !r) return r;
  }
  for (const elf::Section* rs : relos) {
    if (auto r = parser.apply_relos(*rs); !r) return r;
  }
  return {};
}

Result<void> prepare_struct_ops(bpf_object& obj) {
  bool any = false;
  for (const auto& m : obj.maps) any = any || (m->st_ops && m->autocreate);
  if (any) {
    Result<std::shared_ptr<const ::btf>> vml = btf::vmlinux();
    if (!vml) {
      BPFXX_WARN("%s: struct_ops maps need the kernel's BTF, which cannot be read: %s\n", obj.name.c_str(),
                 vml.message().c_str());
      return vml.failure();
    }
    for (auto& m : obj.maps) {
      if (!m->st_ops || !m->autocreate) continue;
      if (m->created()) return map_bad(*m, EINVAL, "reusing an existing struct_ops map is not supported");
      KernelLayout layout(obj, *m, vml->get());
      if (auto r = layout.run(); !r) return r;
    }
  }
  return adjust_autoload(obj);
}

Result<void> fill_struct_ops_values(bpf_object& obj) {
  for (auto& m : obj.maps) {
    if (!m->st_ops || !m->created()) continue;
    for (const auto& slot : m->st_ops->func_slots) {
      if (slot.prog->fd < 0)
        return map_bad(*m, EINVAL, "program '" + slot.prog->name + "' is not loaded");
      const uint64_t fd = static_cast<uint64_t>(slot.prog->fd);
      std::memcpy(m->st_ops->kern_value.data() + slot.kern_off, &fd, sizeof fd);
    }
  }
  return {};
}

}  // namespace bpfxx::object
