// The extern "C" functions of <bpf/btf.h> for struct btf: argument checks,
// errno, and a call into src/btf/.
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <bpf/libbpf_legacy.h>

#include "base/log.h"
#include "btf/build.h"
#include "btf/ext.h"
#include "btf/load.h"
#include "capi/errors.h"
#include "capi/opts.h"

#include <cerrno>
#include <cstring>
#include <string>

using bpfxx::capi::err;
using bpfxx::capi::err_ptr;
namespace b = bpfxx::btf;

namespace {

// Hands a parse result to C: the object, or NULL with errno.
struct btf* give(::btf::Result r) {
  if (!r) return err_ptr<struct btf>(-r.error());
  return r->release();
}

struct btf* new_from(const void* data, __u32 size, struct btf* base) {
  if (data == nullptr) return err_ptr<struct btf>(-EINVAL);
  b::ParseOptions opts;
  opts.base = base;
  return give(::btf::parse({static_cast<const uint8_t*>(data), size}, opts));
}

struct btf* parse_any(const char* path, struct btf* base, struct btf_ext** ext) {
  if (ext != nullptr) *ext = nullptr;
  if (path == nullptr) return err_ptr<struct btf>(-EINVAL);
  if (b::is_elf_file(path)) {
    auto r = b::parse_elf_file(path, base, ext != nullptr);
    if (!r) return err_ptr<struct btf>(-r.error());
    if (ext != nullptr) *ext = r->ext.release();
    return r->btf.release();
  }
  return give(b::parse_raw_file(path, base));
}

struct btf* parse_elf(const char* path, struct btf* base, struct btf_ext** ext) {
  if (ext != nullptr) *ext = nullptr;
  if (path == nullptr) return err_ptr<struct btf>(-EINVAL);
  auto r = b::parse_elf_file(path, base, ext != nullptr);
  if (!r) return err_ptr<struct btf>(-r.error());
  if (ext != nullptr) *ext = r->ext.release();
  return r->btf.release();
}

int ret(int rc) { return err(rc); }

}  // namespace

extern "C" {

void btf__free(struct btf* btf) { delete btf; }

struct btf* btf__new(const void* data, __u32 size) {
  return bpfxx::capi::guard_ptr<struct btf>([&] { return new_from(data, size, nullptr); });
}

struct btf* btf__new_split(const void* data, __u32 size, struct btf* base_btf) {
  return bpfxx::capi::guard_ptr<struct btf>([&]() -> struct btf* {
    return new_from(data, size, base_btf);
  });
}

struct btf* btf__new_empty(void) {
  return bpfxx::capi::guard_ptr<struct btf>([&]() -> struct btf* {
    auto p = ::btf::create_empty(nullptr, false);
    return p ? p.release() : err_ptr<struct btf>(-ENOMEM);
  });
}

struct btf* btf__new_empty_split(struct btf* base_btf) {
  return bpfxx::capi::guard_ptr<struct btf>([&]() -> struct btf* {
    auto p = ::btf::create_empty(base_btf, false);
    return p ? p.release() : err_ptr<struct btf>(-ENOMEM);
  });
}

struct btf* btf__new_empty_opts(struct btf_new_opts* opts) {
  return bpfxx::capi::guard_ptr<struct btf>([&]() -> struct btf* {
    if (!BPFXX_OPTS_VALID(opts, btf_new_opts)) return err_ptr<struct btf>(-EINVAL);
    struct btf* base = BPFXX_OPTS_GET(opts, base_btf, nullptr);
    const bool layout = BPFXX_OPTS_GET(opts, add_layout, false);
    auto p = ::btf::create_empty(base, layout);
    return p ? p.release() : err_ptr<struct btf>(-ENOMEM);
  });
}

struct btf* btf__parse(const char* path, struct btf_ext** btf_ext) {
  return bpfxx::capi::guard_ptr<struct btf>([&]() -> struct btf* {
    return parse_any(path, nullptr, btf_ext);
  });
}

struct btf* btf__parse_split(const char* path, struct btf* base_btf) {
  return bpfxx::capi::guard_ptr<struct btf>([&]() -> struct btf* {
    return parse_any(path, base_btf, nullptr);
  });
}

struct btf* btf__parse_elf(const char* path, struct btf_ext** btf_ext) {
  return bpfxx::capi::guard_ptr<struct btf>([&]() -> struct btf* {
    return parse_elf(path, nullptr, btf_ext);
  });
}

struct btf* btf__parse_elf_split(const char* path, struct btf* base_btf) {
  return bpfxx::capi::guard_ptr<struct btf>([&]() -> struct btf* {
    return parse_elf(path, base_btf, nullptr);
  });
}

struct btf* btf__parse_raw(const char* path) {
  return bpfxx::capi::guard_ptr<struct btf>([&]() -> struct btf* {
    if (path == nullptr) return err_ptr<struct btf>(-EINVAL);
    return give(b::parse_raw_file(path, nullptr));
  });
}

struct btf* btf__parse_raw_split(const char* path, struct btf* base_btf) {
  return bpfxx::capi::guard_ptr<struct btf>([&]() -> struct btf* {
    if (path == nullptr) return err_ptr<struct btf>(-EINVAL);
    return give(b::parse_raw_file(path, base_btf));
  });
}

struct btf* btf__load_vmlinux_btf(void) {
  return bpfxx::capi::guard_ptr<struct btf>([&] { return give(b::load_vmlinux()); });
}

struct btf* btf__load_module_btf(const char* module_name, struct btf* vmlinux_btf) {
  return bpfxx::capi::guard_ptr<struct btf>([&]() -> struct btf* {
    return give(b::load_module(module_name, vmlinux_btf));
  });
}

struct btf* btf__load_from_kernel_by_id(__u32 id) {
  return bpfxx::capi::guard_ptr<struct btf>([&]() -> struct btf* {
    return give(b::load_from_kernel_by_id(id, nullptr));
  });
}

struct btf* btf__load_from_kernel_by_id_split(__u32 id, struct btf* base_btf) {
  return bpfxx::capi::guard_ptr<struct btf>([&]() -> struct btf* {
    return give(b::load_from_kernel_by_id(id, base_btf));
  });
}

int btf__load_into_kernel(struct btf* btf) {
  return bpfxx::capi::guard([&]() -> int {
    if (btf == nullptr) return ret(-EINVAL);
    return ret(b::load_into_kernel(*btf));
  });
}

__s32 btf__find_by_name(const struct btf* btf, const char* type_name) {
  return bpfxx::capi::guard([&]() -> int {
    if (btf == nullptr || type_name == nullptr) return ret(-EINVAL);
    return ret(btf->find_by_name_kind(type_name, -1));
  });
}

__s32 btf__find_by_name_kind(const struct btf* btf, const char* type_name, __u32 kind) {
  return bpfxx::capi::guard([&]() -> int {
    if (btf == nullptr || type_name == nullptr) return ret(-EINVAL);
    if (kind > 0x7f) return ret(-ENOENT);
    return ret(btf->find_by_name_kind(type_name, static_cast<int>(kind)));
  });
}

__u32 btf__type_cnt(const struct btf* btf) { return btf == nullptr ? 0 : btf->type_cnt(); }

const struct btf* btf__base_btf(const struct btf* btf) {
  return btf == nullptr ? nullptr : btf->base();
}

const struct btf_type* btf__type_by_id(const struct btf* btf, __u32 id) {
  if (btf == nullptr) return err_ptr<const struct btf_type>(-EINVAL);
  const btf_type* t = btf->type_by_id(id);
  if (t == nullptr) return err_ptr<const struct btf_type>(-EINVAL);
  return t;
}

size_t btf__pointer_size(const struct btf* btf) {
  if (btf == nullptr) return 0;
  return bpfxx::capi::guard_value<size_t>(0, [&] { return btf->pointer_size(); });
}

int btf__set_pointer_size(struct btf* btf, size_t ptr_sz) {
  return bpfxx::capi::guard([&]() -> int {
    if (btf == nullptr) return ret(-EINVAL);
    return ret(btf->set_pointer_size(ptr_sz));
  });
}

enum btf_endianness btf__endianness(const struct btf* btf) {
  return btf == nullptr ? BTF_LITTLE_ENDIAN : btf->endianness();
}

int btf__set_endianness(struct btf* btf, enum btf_endianness endian) {
  int e;
  std::memcpy(&e, &endian, sizeof e);
  return bpfxx::capi::guard([&]() -> int {
    if (btf == nullptr) return ret(-EINVAL);
    return ret(btf->set_endianness(static_cast<enum btf_endianness>(e)));
  });
}

__s64 btf__resolve_size(const struct btf* btf, __u32 type_id) {
  return bpfxx::capi::guard_value<__s64>(-ENOMEM, [&]() -> __s64 {
    if (btf == nullptr) return ret(-EINVAL);
    const int64_t r = btf->resolve_size(type_id);
    if (r < 0) errno = static_cast<int>(-r);
    return r;
  });
}

int btf__resolve_type(const struct btf* btf, __u32 type_id) {
  return bpfxx::capi::guard([&]() -> int {
    if (btf == nullptr) return ret(-EINVAL);
    return ret(btf->resolve_type(type_id));
  });
}

int btf__align_of(const struct btf* btf, __u32 id) {
  return bpfxx::capi::guard([&]() -> int {
    if (btf == nullptr) return ret(-EINVAL);
    const int a = btf->align_of(id);
    if (a == 0) errno = EINVAL;  // a kind without alignment (libbpf returns 0 too)
    return ret(a);
  });
}

int btf__fd(const struct btf* btf) { return btf == nullptr ? -EINVAL : btf->fd(); }

void btf__set_fd(struct btf* btf, int fd) {
  if (btf != nullptr) btf->set_fd(fd);
}

const void* btf__raw_data(const struct btf* btf, __u32* size) {
  return bpfxx::capi::guard_ptr<const void>([&]() -> const void* {
    if (btf == nullptr) return err_ptr<const void>(-EINVAL);
    auto r = btf->raw_data();
    if (!r) return err_ptr<const void>(-r.error());
    if (size != nullptr) *size = static_cast<__u32>(r->size());
    return r->data();
  });
}

// Older name of btf__raw_data() (<bpf/libbpf_legacy.h>).
const void* btf__get_raw_data(const struct btf* btf,
                                                                      __u32* size) {
  return btf__raw_data(btf, size);
}

// Older name of btf__load_vmlinux_btf() (<bpf/libbpf_legacy.h>).
struct btf* libbpf_find_kernel_btf(void) {
  return btf__load_vmlinux_btf();
}

// The BTF id in vmlinux of what a program of attach_type attaches to:
// raw tracepoints are found as the "btf_trace_<name>" typedef, LSM hooks
// and iterators as the "bpf_lsm_<name>" / "bpf_iter_<name>" functions,
// everything else as the function <name>. Declared in <bpf/libbpf.h>.
int libbpf_find_vmlinux_btf_id(const char* name, enum bpf_attach_type attach_type) {
  return bpfxx::capi::guard([&]() -> int {
    if (name == nullptr) return ret(-EINVAL);
    auto vm = b::vmlinux();
    if (!vm) {
      BPFXX_WARN("vmlinux BTF is not available: %s\n", std::strerror(vm.error()));
      return ret(-vm.error());
    }
    const char* prefix = "";
    int kind = BTF_KIND_FUNC;
    switch (attach_type) {
      case BPF_TRACE_RAW_TP:
        prefix = "btf_trace_";
        kind = BTF_KIND_TYPEDEF;
        break;
      case BPF_LSM_MAC:
      case BPF_LSM_CGROUP:
        prefix = "bpf_lsm_";
        break;
      case BPF_TRACE_ITER:
        prefix = "bpf_iter_";
        break;
      default:
        break;
    }
    const std::string full = std::string(prefix) + name;
    const int id = (*vm)->find_by_name_kind(full, kind);
    if (id <= 0) BPFXX_WARN("%s is not found in vmlinux BTF\n", full.c_str());
    return ret(id);
  });
}

const char* btf__name_by_offset(const struct btf* btf, __u32 offset) {
  if (btf == nullptr) return err_ptr<const char>(-EINVAL);
  const char* s = btf->str_by_offset(offset);
  return s != nullptr ? s : err_ptr<const char>(-EINVAL);
}

const char* btf__str_by_offset(const struct btf* btf, __u32 offset) {
  return btf__name_by_offset(btf, offset);
}

int btf__find_str(struct btf* btf, const char* s) {
  return bpfxx::capi::guard([&]() -> int {
    if (btf == nullptr || s == nullptr) return ret(-EINVAL);
    return ret(btf->find_str(s));
  });
}

int btf__add_str(struct btf* btf, const char* s) {
  return bpfxx::capi::guard([&]() -> int {
    if (btf == nullptr || s == nullptr) return ret(-EINVAL);
    return ret(btf->add_str(s));
  });
}

int btf__add_type(struct btf* btf, const struct btf* src_btf, const struct btf_type* src_type) {
  return bpfxx::capi::guard([&]() -> int {
    if (btf == nullptr || src_btf == nullptr || src_type == nullptr) return ret(-EINVAL);
    return ret(b::add_type(*btf, *src_btf, src_type));
  });
}

int btf__add_btf(struct btf* btf, const struct btf* src_btf) {
  return bpfxx::capi::guard([&]() -> int {
    if (btf == nullptr || src_btf == nullptr) return ret(-EINVAL);
    return ret(b::add_btf(*btf, *src_btf));
  });
}

int btf__permute(struct btf* btf, __u32* id_map, __u32 id_map_cnt, const struct btf_permute_opts* opts) {
  return bpfxx::capi::guard([&]() -> int {
    if (!BPFXX_OPTS_VALID(opts, btf_permute_opts)) return ret(-EINVAL);
    if (btf == nullptr || (id_map == nullptr && id_map_cnt != 0)) return ret(-EINVAL);
    return ret(btf->permute({id_map, id_map_cnt}, BPFXX_OPTS_GET(opts, btf_ext, nullptr)));
  });
}

int btf__add_int(struct btf* btf, const char* name, size_t byte_sz, int encoding) {
  return bpfxx::capi::guard([&]() -> int {
    if (btf == nullptr) return ret(-EINVAL);
    return ret(b::add_int(*btf, name, byte_sz, encoding));
  });
}

int btf__add_float(struct btf* btf, const char* name, size_t byte_sz) {
  return bpfxx::capi::guard([&]() -> int {
    if (btf == nullptr) return ret(-EINVAL);
    return ret(b::add_float(*btf, name, byte_sz));
  });
}

int btf__add_ptr(struct btf* btf, int ref_type_id) {
  return bpfxx::capi::guard([&]() -> int {
    if (btf == nullptr) return ret(-EINVAL);
    return ret(b::add_ref(*btf, BTF_KIND_PTR, nullptr, ref_type_id));
  });
}

int btf__add_array(struct btf* btf, int index_type_id, int elem_type_id, __u32 nr_elems) {
  return bpfxx::capi::guard([&]() -> int {
    if (btf == nullptr) return ret(-EINVAL);
    return ret(b::add_array(*btf, index_type_id, elem_type_id, nr_elems));
  });
}

int btf__add_struct(struct btf* btf, const char* name, __u32 sz) {
  return bpfxx::capi::guard([&]() -> int {
    if (btf == nullptr) return ret(-EINVAL);
    return ret(b::add_composite(*btf, BTF_KIND_STRUCT, name, sz));
  });
}

int btf__add_union(struct btf* btf, const char* name, __u32 sz) {
  return bpfxx::capi::guard([&]() -> int {
    if (btf == nullptr) return ret(-EINVAL);
    return ret(b::add_composite(*btf, BTF_KIND_UNION, name, sz));
  });
}

int btf__add_field(struct btf* btf, const char* name, int field_type_id, __u32 bit_offset,
                   __u32 bit_size) {
  return bpfxx::capi::guard([&]() -> int {
    if (btf == nullptr) return ret(-EINVAL);
    return ret(b::add_field(*btf, name, field_type_id, bit_offset, bit_size));
  });
}

int btf__add_enum(struct btf* btf, const char* name, __u32 bytes_sz) {
  return bpfxx::capi::guard([&]() -> int {
    if (btf == nullptr) return ret(-EINVAL);
    return ret(b::add_enum(*btf, name, bytes_sz, false, false));
  });
}

int btf__add_enum_value(struct btf* btf, const char* name, __s64 value) {
  return bpfxx::capi::guard([&]() -> int {
    if (btf == nullptr) return ret(-EINVAL);
    return ret(b::add_enum_value(*btf, name, value));
  });
}

int btf__add_enum64(struct btf* btf, const char* name, __u32 bytes_sz, bool is_signed) {
  return bpfxx::capi::guard([&]() -> int {
    if (btf == nullptr) return ret(-EINVAL);
    return ret(b::add_enum(*btf, name, bytes_sz, true, is_signed));
  });
}

int btf__add_enum64_value(struct btf* btf, const char* name, __u64 value) {
  return bpfxx::capi::guard([&]() -> int {
    if (btf == nullptr) return ret(-EINVAL);
    return ret(b::add_enum64_value(*btf, name, value));
  });
}

int btf__add_fwd(struct btf* btf, const char* name, enum btf_fwd_kind fwd_kind) {
  // Read as an int: callers may pass values outside the enumeration.
  int kind;
  std::memcpy(&kind, &fwd_kind, sizeof kind);
  return bpfxx::capi::guard([&]() -> int {
    if (btf == nullptr) return ret(-EINVAL);
    return ret(b::add_fwd(*btf, name, kind));
  });
}

int btf__add_typedef(struct btf* btf, const char* name, int ref_type_id) {
  return bpfxx::capi::guard([&]() -> int {
    if (btf == nullptr) return ret(-EINVAL);
    return ret(b::add_ref(*btf, BTF_KIND_TYPEDEF, name, ref_type_id));
  });
}

int btf__add_volatile(struct btf* btf, int ref_type_id) {
  return bpfxx::capi::guard([&]() -> int {
    if (btf == nullptr) return ret(-EINVAL);
    return ret(b::add_ref(*btf, BTF_KIND_VOLATILE, nullptr, ref_type_id));
  });
}

int btf__add_const(struct btf* btf, int ref_type_id) {
  return bpfxx::capi::guard([&]() -> int {
    if (btf == nullptr) return ret(-EINVAL);
    return ret(b::add_ref(*btf, BTF_KIND_CONST, nullptr, ref_type_id));
  });
}

int btf__add_restrict(struct btf* btf, int ref_type_id) {
  return bpfxx::capi::guard([&]() -> int {
    if (btf == nullptr) return ret(-EINVAL);
    return ret(b::add_ref(*btf, BTF_KIND_RESTRICT, nullptr, ref_type_id));
  });
}

int btf__add_type_tag(struct btf* btf, const char* value, int ref_type_id) {
  return bpfxx::capi::guard([&]() -> int {
    if (btf == nullptr) return ret(-EINVAL);
    return ret(b::add_ref(*btf, BTF_KIND_TYPE_TAG, value, ref_type_id, false));
  });
}

int btf__add_type_attr(struct btf* btf, const char* value, int ref_type_id) {
  return bpfxx::capi::guard([&]() -> int {
    if (btf == nullptr) return ret(-EINVAL);
    return ret(b::add_ref(*btf, BTF_KIND_TYPE_TAG, value, ref_type_id, true));
  });
}

int btf__add_func(struct btf* btf, const char* name, enum btf_func_linkage linkage,
                  int proto_type_id) {
  int link;
  std::memcpy(&link, &linkage, sizeof link);
  return bpfxx::capi::guard([&]() -> int {
    if (btf == nullptr) return ret(-EINVAL);
    return ret(b::add_func(*btf, name, link, proto_type_id));
  });
}

int btf__add_func_proto(struct btf* btf, int ret_type_id) {
  return bpfxx::capi::guard([&]() -> int {
    if (btf == nullptr) return ret(-EINVAL);
    return ret(b::add_func_proto(*btf, ret_type_id));
  });
}

int btf__add_func_param(struct btf* btf, const char* name, int type_id) {
  return bpfxx::capi::guard([&]() -> int {
    if (btf == nullptr) return ret(-EINVAL);
    return ret(b::add_func_param(*btf, name, type_id));
  });
}

int btf__add_var(struct btf* btf, const char* name, int linkage, int type_id) {
  return bpfxx::capi::guard([&]() -> int {
    if (btf == nullptr) return ret(-EINVAL);
    return ret(b::add_var(*btf, name, linkage, type_id));
  });
}

int btf__add_datasec(struct btf* btf, const char* name, __u32 byte_sz) {
  return bpfxx::capi::guard([&]() -> int {
    if (btf == nullptr) return ret(-EINVAL);
    return ret(b::add_datasec(*btf, name, byte_sz));
  });
}

int btf__add_datasec_var_info(struct btf* btf, int var_type_id, __u32 offset, __u32 byte_sz) {
  return bpfxx::capi::guard([&]() -> int {
    if (btf == nullptr) return ret(-EINVAL);
    return ret(b::add_datasec_var_info(*btf, var_type_id, offset, byte_sz));
  });
}

int btf__add_decl_tag(struct btf* btf, const char* value, int ref_type_id, int component_idx) {
  return bpfxx::capi::guard([&]() -> int {
    if (btf == nullptr) return ret(-EINVAL);
    return ret(b::add_decl_tag(*btf, value, ref_type_id, component_idx, false));
  });
}

int btf__add_decl_attr(struct btf* btf, const char* value, int ref_type_id, int component_idx) {
  return bpfxx::capi::guard([&]() -> int {
    if (btf == nullptr) return ret(-EINVAL);
    return ret(b::add_decl_tag(*btf, value, ref_type_id, component_idx, true));
  });
}

}  // extern "C"
