// The extern step of the load phase (resolve_externs() and patch_extern()
// are declared in load.h): the parts other steps and the tests reach.
#pragma once

#include "object/object.h"
#include "sys/kconfig.h"

#include <bpfxx/result.hpp>

#include <span>
#include <string_view>
#include <vector>

namespace bpfxx::object {

// The .kconfig internal map of obj; NULL when the object has no kconfig
// externs (or the map could not be made at open).
bpf_map* kconfig_map(const bpf_object& obj);

// Appends the .kconfig internal map when obj's BTF has a .kconfig DATASEC
// laid out by finalize_btf(): an array of one value of the DATASEC's size,
// read-only for programs, frozen and mmapable, zeroed until load.
Result<void> add_kconfig_map(bpf_object& obj);

// How a kconfig extern's type takes values (libbpf's classes).
enum class KconfigType : uint8_t { kUnknown, kBool, kChar, kTristate, kInt, kCharArray };
struct KconfigSlot {
  KconfigType type = KconfigType::kUnknown;
  uint32_t size = 0;       // bytes (kCharArray: the array length)
  bool is_signed = false;  // kInt, kChar
};
// Classifies the type of kconfig VAR var_id of b.
KconfigSlot kconfig_slot(const ::btf& b, uint32_t var_id);

// Stores value v of extern `name` (a slot) into dst (the slot's bytes).
// Fails with EINVAL and a message naming the extern when v does not fit
// the type: m for a bool, a string for a non-array, a number out of range.
Result<void> store_kconfig_value(std::string_view name, const KconfigSlot& slot, const sys::KconfigValue& v,
                                 std::span<uint8_t> dst);

// Whether local type local_id (of local) and targ_id (of targ) are
// compatible in libbpf's loose sense for kfunc prototypes and typed ksyms:
// same kinds after modifiers and typedefs, any struct/union/enum/int of
// either name, pointers and arrays compared through, prototypes by count
// and each argument; a forward declaration matches a struct or union.
bool types_compatible(const ::btf& local, uint32_t local_id, const ::btf& targ, uint32_t targ_id);

// The fd_array a program load passes when kfuncs come from modules: index
// i holds the BTF fd of the externs with fd_array_idx i (index 0 unused);
// empty when every kfunc is in vmlinux.
std::vector<int> extern_fd_array(const bpf_object& obj);

// Forgets what resolve_externs() found and closes the module BTF fds it
// opened (release() after a failed load; the destructor does it too).
void release_externs(bpf_object& obj);

}  // namespace bpfxx::object
