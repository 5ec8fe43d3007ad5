// The C API of skeletons and subskeletons: the structs a generated
// skeleton header fills (libbpf's layout) walked with the element sizes
// the generator wrote, the object opened from the embedded bytes, data
// pointers set at open and after load (object/skeleton.h), programs and
// struct_ops maps attached through the auto-attach machinery.
#include <bpf/libbpf.h>

#include "base/log.h"
#include "capi/errors.h"
#include "capi/opts.h"
#include "link/attach.h"
#include "link/struct_ops_link.h"
#include "object/object.h"
#include "object/skeleton.h"

#include <algorithm>
#include <cerrno>
#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <string>

using bpfxx::capi::err;
using bpfxx::capi::guard;
using bpfxx::object::SkeletonPhase;

namespace {

// The smallest entries that still hold every member the runtime needs:
// older generators write map entries without the link member.
constexpr size_t kMapSkelMin = offsetof(bpf_map_skeleton, link);
constexpr size_t kMapSkelWithLink = offsetof(bpf_map_skeleton, link) + sizeof(bpf_link**);
constexpr size_t kProgSkelMin = offsetof(bpf_prog_skeleton, link) + sizeof(bpf_link**);
constexpr size_t kVarSkelMin = offsetof(bpf_var_skeleton, addr) + sizeof(void**);
constexpr size_t kObjSkelMin = offsetof(bpf_object_skeleton, progs) + sizeof(bpf_prog_skeleton*);
constexpr size_t kSubSkelMin = offsetof(bpf_object_subskeleton, vars) + sizeof(bpf_var_skeleton*);

// Entry i of a generated array whose elements are stride bytes apart.
template <class T>
T* entry(T* base, int i, int stride) noexcept {
  return reinterpret_cast<T*>(reinterpret_cast<char*>(base) + static_cast<size_t>(i) * static_cast<size_t>(stride));
}

// How messages name a skeleton: "skeleton 'name'" or "subskeleton of
// object 'name'".
std::string skel_label(const bpf_object_skeleton* s) {
  return std::string("skeleton '") + (s->name != nullptr ? s->name : "(unnamed)") + "'";
}
std::string subskel_label(const bpf_object_subskeleton* s) {
  return std::string("subskeleton of object '") + (s->obj != nullptr ? s->obj->name : "(none)") + "'";
}

// One array of a skeleton is usable: a count >= 0, entries at least
// min_sz bytes apart, and storage when the count is not 0. Says what is
// wrong otherwise.
bool array_ok(const std::string& who, const char* what, int cnt, int sz, const void* arr, size_t min_sz) {
  if (cnt < 0) {
    BPFXX_WARN("%s: %s_cnt is %d, negative\n", who.c_str(), what, cnt);
    return false;
  }
  if (cnt == 0) return true;
  if (sz < 0 || static_cast<size_t>(sz) < min_sz) {
    BPFXX_WARN("%s: %s_skel_sz is %d, smaller than the %zu bytes an entry needs\n", who.c_str(), what, sz, min_sz);
    return false;
  }
  if (arr == nullptr) {
    BPFXX_WARN("%s: %s_cnt is %d but the %ss array is NULL\n", who.c_str(), what, cnt, what);
    return false;
  }
  return true;
}

// The maps and programs arrays of a skeleton are usable (what
// open/load/attach walk).
bool arrays_ok(const bpf_object_skeleton* s, const std::string& who) {
  return array_ok(who, "map", s->map_cnt, s->map_skel_sz, s->maps, kMapSkelMin) &&
         array_ok(who, "prog", s->prog_cnt, s->prog_skel_sz, s->progs, kProgSkelMin);
}

// Fills every map entry: the map, and the data pointer for the phase.
int populate_maps(const bpf_object& obj, bpf_map_skeleton* maps, int cnt, int stride, SkeletonPhase phase,
                  const std::string& who) {
  for (int i = 0; i < cnt; i++) {
    bpf_map_skeleton* e = entry(maps, i, stride);
    if (e->name == nullptr || e->map == nullptr) {
      BPFXX_WARN("%s: map entry #%d has no %s\n", who.c_str(), i, e->name == nullptr ? "name" : "map slot");
      return -EINVAL;
    }
    bpf_map* m = obj.find_map(e->name);
    if (m == nullptr) {
      BPFXX_WARN(
          "%s: map '%s' is not in object '%s' (was the skeleton "
          "generated from another object?)\n",
          who.c_str(), e->name, obj.name.c_str());
      return -ESRCH;
    }
    *e->map = m;
    if (e->mmaped != nullptr) *e->mmaped = bpfxx::object::skeleton_data(*m, phase);
  }
  return 0;
}

int populate_progs(const bpf_object& obj, bpf_prog_skeleton* progs, int cnt, int stride, const std::string& who) {
  for (int i = 0; i < cnt; i++) {
    bpf_prog_skeleton* e = entry(progs, i, stride);
    if (e->name == nullptr || e->prog == nullptr) {
      BPFXX_WARN("%s: program entry #%d has no %s\n", who.c_str(), i, e->name == nullptr ? "name" : "program slot");
      return -EINVAL;
    }
    bpf_program* p = obj.find_program(e->name);
    if (p == nullptr) {
      BPFXX_WARN(
          "%s: program '%s' is not in object '%s' (was the skeleton "
          "generated from another object?)\n",
          who.c_str(), e->name, obj.name.c_str());
      return -ESRCH;
    }
    *e->prog = p;
  }
  return 0;
}

// Opens the embedded object with the caller's options, named after the
// skeleton unless the options name it (internal map names carry that name,
// and the skeleton lists them by it).
bpf_object* open_embedded(const bpf_object_skeleton* s, const bpf_object_open_opts* opts) {
  if (!BPFXX_OPTS_VALID(opts, bpf_object_open_opts)) {
    errno = EINVAL;
    return nullptr;
  }
  bpf_object_open_opts o;
  std::memset(&o, 0, sizeof o);
  if (opts != nullptr) std::memcpy(&o, opts, std::min(opts->sz, sizeof o));
  o.sz = sizeof o;
  if (o.object_name == nullptr) o.object_name = s->name;
  return bpf_object__open_mem(s->data, s->data_sz, &o);
}

void destroy_link_slot(bpf_link** slot) {
  if (slot == nullptr || *slot == nullptr) return;
  bpf_link__destroy(*slot);
  *slot = nullptr;
}

int attach_programs(bpf_object_skeleton* s, const std::string& who) {
  for (int i = 0; i < s->prog_cnt; i++) {
    bpf_prog_skeleton* e = entry(s->progs, i, s->prog_skel_sz);
    const bpf_program* prog = e->prog != nullptr ? *e->prog : nullptr;
    if (prog == nullptr || !prog->autoload || !prog->autoattach) continue;
    if (e->link == nullptr) {
      BPFXX_WARN("%s: program '%s' has no link slot; not attaching it\n", who.c_str(), prog->name.c_str());
      continue;
    }
    if (*e->link != nullptr) continue;  // attached by the user already
    auto link = bpfxx::link::try_auto_attach(*prog);
    if (!link) {
      BPFXX_WARN("%s: prog '%s': failed to auto-attach: %s\n", who.c_str(), prog->name.c_str(),
                 std::strerror(link.error()));
      return -link.error();
    }
    if (*link == nullptr) {
      // The section names no target (SEC("uprobe"), SEC("xdp") ...): the
      // user attaches it, skeleton attach leaves it.
      BPFXX_DEBUG("%s: prog '%s': section '%s' cannot be auto-attached; skipped\n", who.c_str(), prog->name.c_str(),
                  prog->sec_name.c_str());
      continue;
    }
    *e->link = link->release();
  }
  return 0;
}

int attach_struct_ops_maps(bpf_object_skeleton* s, const std::string& who) {
  for (int i = 0; i < s->map_cnt; i++) {
    bpf_map_skeleton* e = entry(s->maps, i, s->map_skel_sz);
    const bpf_map* map = e->map != nullptr ? *e->map : nullptr;
    if (map == nullptr || !map->autocreate || !map->autoattach || map->type != BPF_MAP_TYPE_STRUCT_OPS) continue;
    if (static_cast<size_t>(s->map_skel_sz) < kMapSkelWithLink || e->link == nullptr) {
      // An older generator: nowhere to keep the link, so the user
      // registers the map (bpf_map__attach_struct_ops()).
      BPFXX_WARN(
          "%s: map '%s': the skeleton has no link slot for it "
          "(generated by an older tool?); not "
          "registering it\n",
          who.c_str(), map->name.c_str());
      continue;
    }
    if (*e->link != nullptr) continue;
    auto link = bpfxx::link::attach_struct_ops(*map);
    if (!link) {
      BPFXX_WARN("%s: map '%s': failed to auto-attach: %s\n", who.c_str(), map->name.c_str(),
                 std::strerror(link.error()));
      return -link.error();
    }
    *e->link = link->release();
  }
  return 0;
}

}  // namespace

extern "C" {

int bpf_object__open_skeleton(struct bpf_object_skeleton* s, const struct bpf_object_open_opts* opts) {
  if (s == nullptr) return err(-EINVAL);
  return guard([&]() -> int {
    const std::string who = skel_label(s);
    if (s->sz < kObjSkelMin) {
      BPFXX_WARN(
          "%s: sz is %zu, smaller than the %zu bytes of struct "
          "bpf_object_skeleton\n",
          who.c_str(), s->sz, kObjSkelMin);
      return err(-EINVAL);
    }
    if (s->data == nullptr || s->data_sz == 0 || s->obj == nullptr) {
      BPFXX_WARN("%s: has no %s\n", who.c_str(), s->obj == nullptr ? "object slot" : "object bytes");
      return err(-EINVAL);
    }
    if (!arrays_ok(s, who)) return err(-EINVAL);
    bpf_object* obj = open_embedded(s, opts);
    if (obj == nullptr) {
      const int e = errno;
      BPFXX_WARN("%s: opening its object failed: %s\n", who.c_str(), std::strerror(e));
      return err(-e);
    }
    // Set before filling the entries: on failure the caller's destroy
    // closes it.
    *s->obj = obj;
    if (int rc = populate_maps(*obj, s->maps, s->map_cnt, s->map_skel_sz, SkeletonPhase::kOpen, who); rc < 0)
      return err(rc);
    if (int rc = populate_progs(*obj, s->progs, s->prog_cnt, s->prog_skel_sz, who); rc < 0) return err(rc);
    return 0;
  });
}

int bpf_object__load_skeleton(struct bpf_object_skeleton* s) {
  if (s == nullptr) return err(-EINVAL);
  return guard([&]() -> int {
    const std::string who = skel_label(s);
    if (s->obj == nullptr || *s->obj == nullptr) {
      BPFXX_WARN("%s: is not open (bpf_object__open_skeleton() first)\n", who.c_str());
      return err(-EINVAL);
    }
    if (!arrays_ok(s, who)) return err(-EINVAL);
    if (int rc = bpf_object__load(*s->obj); rc < 0) {
      BPFXX_WARN("%s: loading its object failed: %s\n", who.c_str(), std::strerror(-rc));
      return err(rc);
    }
    for (int i = 0; i < s->map_cnt; i++) {
      bpf_map_skeleton* e = entry(s->maps, i, s->map_skel_sz);
      if (e->mmaped == nullptr || e->map == nullptr || *e->map == nullptr) continue;
      *e->mmaped = bpfxx::object::skeleton_data(**e->map, SkeletonPhase::kLoaded);
    }
    return 0;
  });
}

int bpf_object__attach_skeleton(struct bpf_object_skeleton* s) {
  if (s == nullptr) return err(-EINVAL);
  return guard([&]() -> int {
    const std::string who = skel_label(s);
    if (s->obj == nullptr || *s->obj == nullptr) {
      BPFXX_WARN("%s: is not open and loaded\n", who.c_str());
      return err(-EINVAL);
    }
    if (!arrays_ok(s, who)) return err(-EINVAL);
    if (int rc = attach_programs(s, who); rc < 0) return err(rc);
    if (int rc = attach_struct_ops_maps(s, who); rc < 0) return err(rc);
    return 0;
  });
}

void bpf_object__detach_skeleton(struct bpf_object_skeleton* s) {
  if (s == nullptr) return;
  const int saved = errno;
  // Arrays that cannot be walked safely are left alone (the generator's
  // error path may call this with arrays not yet allocated).
  if (s->progs != nullptr && s->prog_cnt > 0 && s->prog_skel_sz > 0 &&
      static_cast<size_t>(s->prog_skel_sz) >= kProgSkelMin) {
    for (int i = 0; i < s->prog_cnt; i++) destroy_link_slot(entry(s->progs, i, s->prog_skel_sz)->link);
  }
  if (s->maps != nullptr && s->map_cnt > 0 && s->map_skel_sz > 0 &&
      static_cast<size_t>(s->map_skel_sz) >= kMapSkelWithLink) {
    for (int i = 0; i < s->map_cnt; i++) destroy_link_slot(entry(s->maps, i, s->map_skel_sz)->link);
  }
  errno = saved;
}

void bpf_object__destroy_skeleton(struct bpf_object_skeleton* s) {
  if (s == nullptr) return;
  const int saved = errno;
  bpf_object__detach_skeleton(s);
  if (s->obj != nullptr) {
    bpf_object__close(*s->obj);
    *s->obj = nullptr;
  }
  // The generated code allocates these with calloc(): the skeleton owns them.
  std::free(s->maps);
  std::free(s->progs);
  std::free(s);
  errno = saved;
}

int bpf_object__open_subskeleton(struct bpf_object_subskeleton* s) {
  if (s == nullptr) return err(-EINVAL);
  return guard([&]() -> int {
    const std::string who = subskel_label(s);
    if (s->sz < kSubSkelMin) {
      BPFXX_WARN(
          "%s: sz is %zu, smaller than the %zu bytes of struct "
          "bpf_object_subskeleton\n",
          who.c_str(), s->sz, kSubSkelMin);
      return err(-EINVAL);
    }
    if (s->obj == nullptr) {
      BPFXX_WARN("%s: has no object (set obj to the open object first)\n", who.c_str());
      return err(-EINVAL);
    }
    const bpf_object& obj = *s->obj;
    if (!obj.btf_data) {
      BPFXX_WARN(
          "%s: the object has no BTF, which subskeletons need to find "
          "variables\n",
          who.c_str());
      return err(-EINVAL);
    }
    if (!array_ok(who, "map", s->map_cnt, s->map_skel_sz, s->maps, kMapSkelMin) ||
        !array_ok(who, "prog", s->prog_cnt, s->prog_skel_sz, s->progs, kProgSkelMin) ||
        !array_ok(who, "var", s->var_cnt, s->var_skel_sz, s->vars, kVarSkelMin))
      return err(-EINVAL);
    const SkeletonPhase phase = obj.loaded() ? SkeletonPhase::kLoaded : SkeletonPhase::kOpen;
    if (int rc = populate_maps(obj, s->maps, s->map_cnt, s->map_skel_sz, phase, who); rc < 0) return err(rc);
    if (int rc = populate_progs(obj, s->progs, s->prog_cnt, s->prog_skel_sz, who); rc < 0) return err(rc);
    for (int i = 0; i < s->var_cnt; i++) {
      bpf_var_skeleton* v = entry(s->vars, i, s->var_skel_sz);
      if (v->name == nullptr || v->map == nullptr || v->addr == nullptr) {
        BPFXX_WARN("%s: variable entry #%d has no %s\n", who.c_str(), i,
                   v->name == nullptr ? "name" : (v->map == nullptr ? "map slot" : "address slot"));
        return err(-EINVAL);
      }
      if (*v->map == nullptr) {
        BPFXX_WARN(
            "%s: variable '%s': its map slot is empty (is its map in "
            "the maps array?)\n",
            who.c_str(), v->name);
        return err(-EINVAL);
      }
      auto addr = bpfxx::object::skeleton_var_address(**v->map, v->name);
      if (!addr) return err(-addr.error());
      *v->addr = *addr;
    }
    return 0;
  });
}

void bpf_object__destroy_subskeleton(struct bpf_object_subskeleton* s) {
  if (s == nullptr) return;
  std::free(s->maps);
  std::free(s->progs);
  std::free(s->vars);
  std::free(s);
}

}  // extern "C"
