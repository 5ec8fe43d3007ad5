// Visiting the string offsets and type ids inside a type record.
//
// One place knows which fields of which kind hold a string offset or a type
// id; copying (btf__add_type/btf__add_btf), sanitizing and validating all
// go through it.
#pragma once

#include <bpf/btf.h>

#include <cstdint>

namespace bpfxx::btf {

// The kind-specific data after a record, as an array of E.
template <class E, class T>
E* record_tail(T* t) {
  return reinterpret_cast<E*>(const_cast<btf_type*>(static_cast<const btf_type*>(t)) + 1);
}

// Calls fn(uint32_t& name_off) for every string offset in the record.
template <class T, class Fn>
void for_each_str_off(T* t, Fn&& fn) {
  fn(t->name_off);
  const uint32_t vlen = BTF_INFO_VLEN(t->info);
  switch (BTF_INFO_KIND(t->info)) {
    case BTF_KIND_STRUCT:
    case BTF_KIND_UNION: {
      auto* m = record_tail<btf_member>(t);
      for (uint32_t i = 0; i < vlen; i++) fn(m[i].name_off);
      break;
    }
    case BTF_KIND_ENUM: {
      auto* e = record_tail<struct btf_enum>(t);
      for (uint32_t i = 0; i < vlen; i++) fn(e[i].name_off);
      break;
    }
    case BTF_KIND_ENUM64: {
      auto* e = record_tail<struct btf_enum64>(t);
      for (uint32_t i = 0; i < vlen; i++) fn(e[i].name_off);
      break;
    }
    case BTF_KIND_FUNC_PROTO: {
      auto* p = record_tail<btf_param>(t);
      for (uint32_t i = 0; i < vlen; i++) fn(p[i].name_off);
      break;
    }
    default:
      break;
  }
}

// Calls fn(uint32_t& type_id) for every type id in the record.
template <class T, class Fn>
void for_each_type_id(T* t, Fn&& fn) {
  auto* rest = const_cast<btf_type*>(static_cast<const btf_type*>(t)) + 1;
  const uint32_t vlen = BTF_INFO_VLEN(t->info);
  switch (BTF_INFO_KIND(t->info)) {
    case BTF_KIND_PTR:
    case BTF_KIND_TYPEDEF:
    case BTF_KIND_VOLATILE:
    case BTF_KIND_CONST:
    case BTF_KIND_RESTRICT:
    case BTF_KIND_FUNC:
    case BTF_KIND_VAR:
    case BTF_KIND_DECL_TAG:
    case BTF_KIND_TYPE_TAG:
      fn(const_cast<btf_type*>(static_cast<const btf_type*>(t))->type);
      break;
    case BTF_KIND_ARRAY: {
      auto* a = reinterpret_cast<struct btf_array*>(rest);
      fn(a->type);
      fn(a->index_type);
      break;
    }
    case BTF_KIND_STRUCT:
    case BTF_KIND_UNION: {
      auto* m = reinterpret_cast<btf_member*>(rest);
      for (uint32_t i = 0; i < vlen; i++) fn(m[i].type);
      break;
    }
    case BTF_KIND_FUNC_PROTO: {
      fn(const_cast<btf_type*>(static_cast<const btf_type*>(t))->type);
      auto* p = reinterpret_cast<btf_param*>(rest);
      for (uint32_t i = 0; i < vlen; i++) fn(p[i].type);
      break;
    }
    case BTF_KIND_DATASEC: {
      auto* v = reinterpret_cast<btf_var_secinfo*>(rest);
      for (uint32_t i = 0; i < vlen; i++) fn(v[i].type);
      break;
    }
    default:
      break;
  }
}

}  // namespace bpfxx::btf
