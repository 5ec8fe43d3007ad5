// Building BTF: the btf__add_*() operations. Each returns the new type id
// (or 0 for member-like additions) or -errno, and switches the object to
// its owned form on first use.
#pragma once

#include "btf/btf.h"

#include <cstdint>

namespace bpfxx::btf {

int add_int(::btf& b, const char* name, size_t byte_sz, int encoding);
int add_float(::btf& b, const char* name, size_t byte_sz);
// PTR, TYPEDEF, VOLATILE, CONST, RESTRICT, TYPE_TAG (kflag for type_attr).
int add_ref(::btf& b, uint32_t kind, const char* name, int ref_type_id, bool kflag = false);
int add_array(::btf& b, int index_type_id, int elem_type_id, uint32_t nr_elems);
int add_composite(::btf& b, uint32_t kind, const char* name, uint32_t size);
int add_field(::btf& b, const char* name, int type_id, uint32_t bit_offset, uint32_t bit_size);
int add_enum(::btf& b, const char* name, uint32_t size, bool is64, bool is_signed);
int add_enum_value(::btf& b, const char* name, int64_t value);
int add_enum64_value(::btf& b, const char* name, uint64_t value);
int add_fwd(::btf& b, const char* name, int fwd_kind);
int add_func(::btf& b, const char* name, int linkage, int proto_type_id);
int add_func_proto(::btf& b, int ret_type_id);
int add_func_param(::btf& b, const char* name, int type_id);
int add_var(::btf& b, const char* name, int linkage, int type_id);
int add_datasec(::btf& b, const char* name, uint32_t size);
int add_datasec_var_info(::btf& b, int var_type_id, uint32_t offset, uint32_t size);
int add_decl_tag(::btf& b, const char* value, int ref_type_id, int component_idx, bool kflag);
// Copies one record from src (strings re-added; type ids unchanged).
int add_type(::btf& b, const ::btf& src, const btf_type* src_type);
// Appends all of src (not split), shifting its type ids; all or nothing.
int add_btf(::btf& b, const ::btf& src);

}  // namespace bpfxx::btf
