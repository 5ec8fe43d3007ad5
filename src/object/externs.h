// The extern step of the load phase (resolve_externs() and patch_extern()
// are declared in load.h): the parts other steps and the tests reach.
#pragma once

#include "object/object.h"
#include "sys/kconfig.h"

#include <bpfxx/result.hpp>

#include <span>
#include <string>
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
// compatible as libbpf checks kfunc prototypes and typed ksyms: equal kinds
// after modifiers and typedefs (any enum matching any enum), any
// struct/union/enum/int of either name or size, pointers and arrays
// compared through, prototypes by count, each argument and the return
// type; a forward declaration also matches a struct or union of its kind.
// type_mismatch() says why not ("argument #2 ('n'): pointer here, int in
// the kernel"), or is empty when they are.
std::string type_mismatch(const ::btf& local, uint32_t local_id, const ::btf& targ, uint32_t targ_id);
bool types_compatible(const ::btf& local, uint32_t local_id, const ::btf& targ, uint32_t targ_id);

// The fd_array a program load passes when kfuncs come from modules: index
// i holds the BTF fd of the externs with fd_array_idx i (index 0 unused);
// empty when every kfunc is in vmlinux.
std::vector<int> extern_fd_array(const bpf_object& obj);

// Forgets what resolve_externs() found and closes the module BTF fds it
// opened (release() after a failed load; the destructor does it too).
void release_externs(bpf_object& obj);

// Closes the module BTF fds of resolved externs once every program is
// loaded: the kernel holds its own references from then on. What was
// resolved stays (for bpf_ksym_exists()-style queries and messages).
void close_extern_btf_fds(bpf_object& obj);

// The name a ksym or kfunc is looked up by in kernel BTF: a kfunc's without
// its "___flavor" suffix (CO-RE's essential-name rule), a variable's whole.
std::string_view kernel_lookup_name(const Extern& e);

}  // namespace bpfxx::object
