// What skeletons see of an object's maps: the address a skeleton's data
// pointer holds for a map, and where a global variable lives inside it.
//
// The C structs and their walking are in capi/libbpf_skeleton.cpp; this
// is the object-side knowledge they need (which memory is the "mmaped"
// region of each kind of map, at each phase).
#pragma once

#include <bpfxx/result.hpp>

#include <cstdint>
#include <string_view>

struct bpf_map;

namespace bpfxx::object {

// Phase of the skeleton call that asks (libbpf sets the data pointers at
// open, then again after load).
enum class SkeletonPhase : uint8_t { kOpen, kLoaded };

// The global data a skeleton's `mmaped` slot receives for map, or NULL:
//   data sections  the initial value, at an address that becomes the live
//                  (kernel-mapped) memory at load and stays put;
//   .kconfig       nothing at open (load fills it from the kernel's
//                  configuration), the read-only live memory after load;
//   arena          the private copy of the globals at open, the globals
//                  inside the mapped arena after load (libbpf 1.8 places
//                  them in the arena's last pages);
//   other maps     NULL.
void* skeleton_data(const bpf_map& map, SkeletonPhase phase) noexcept;

// The address of global variable var_name inside map's data (its BTF
// DATASEC): what a subskeleton's variable slot receives. Fails with ESRCH
// (after a message naming map and variable) when the map's section has no
// such variable, EINVAL when the map holds no global data.
Result<void*> skeleton_var_address(const bpf_map& map, std::string_view var_name);

}  // namespace bpfxx::object
