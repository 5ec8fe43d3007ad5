// The load phase of an object: from the opened description to maps and
// programs in the kernel.
//
// Opening already ran finalize_btf (btf_fixup.cpp): data section sizes and
// variable offsets, hidden globals made static -- no kernel needed, and
// bpf_object__btf() shows the final layout from open on, as skeleton
// generators expect.
//
// bpf_object__prepare() runs, in order:
//   prepare_token  the BPF token, if the options or a delegating bpffs
//                  give one (token.cpp)
//   prepare_struct_ops  kernel types and values of struct_ops maps, their
//                  programs' attach targets and autoload (struct_ops.cpp)
//   resolve_externs (next issue: kconfig and ksym values)
//   upload_btf     sanitized for the running kernel, loaded (btf_upload.cpp)
//   resolve_externs  kconfig values into the .kconfig map, ksym addresses
//                  and BTF ids, kfuncs (externs.cpp)
//   relocate_core  CO-RE relocations of every function's instructions
//                  against the kernel's BTF (core_relocate.cpp)
//   create_maps    inner maps first, pinned maps reused or pinned, data
//                  maps mmapped and filled, rodata frozen, map-in-map slots
//                  filled (create_maps.cpp)
//   link_programs  relocations applied, subprograms appended, func_info and
//                  line_info rebuilt for the final layout (link_programs.cpp)
// bpf_object__load() then runs:
//   load_programs  BPF_PROG_LOAD with attach targets resolved and the
//                  verifier's log kept whole on failure (load_programs.cpp)
//   fill_struct_ops_values  program fds into struct_ops maps' kernel
//                  values, written at attach (struct_ops.cpp)
//   fill_prog_slots  program arrays' static slots (create_maps.cpp)
// On any failure everything created so far is released (release()), so a
// failed load leaves no fd, pin or mapping behind that the load made.
#pragma once

#include "object/object.h"

#include <bpfxx/result.hpp>

namespace bpfxx::object {

// An ld_imm64 of a map whose creation was turned off (autocreate false)
// becomes a call of this helper id plus the map's index: the verifier
// rejects it only where the code is reachable, and load_programs() then
// names the map.
inline constexpr int32_t kPoisonedMapCall = 2001000000;

Result<void> prepare_token(bpf_object& obj);
Result<void> finalize_btf(bpf_object& obj);
Result<void> upload_btf(bpf_object& obj);
Result<void> resolve_externs(bpf_object& obj);
Result<void> relocate_core(bpf_object& obj);
Result<void> create_maps(bpf_object& obj);
Result<void> link_programs(bpf_object& obj);
Result<void> load_programs(bpf_object& obj);
Result<void> fill_prog_slots(bpf_object& obj);

// Patches the instruction(s) of extern relocation r (kExternVar: an
// ld_imm64 pair; kExternCall: a call) with what resolve_externs() found.
// Fails with a message naming the extern if it is unresolved and strong.
Result<void> patch_extern(const bpf_object& obj, const Relocation& r, bpf_insn* in);

// bpf_object__prepare() and bpf_object__load(): each step above, once.
Result<void> prepare(bpf_object& obj);
Result<void> load(bpf_object& obj);

// Closes what load created: program and map fds, the object's BTF fd, the
// mappings of data maps (back to private memory holding their last
// contents), and pins this load made. Definitions stay as they were.
void release(bpf_object& obj);
// The map half of release() (create_maps.cpp).
void release_maps(bpf_object& obj);

// The pin path a LIBBPF_PIN_BY_NAME map gets: <pin_root_path>/<name>.
std::string default_pin_path(const bpf_object& obj, const bpf_map& map);

}  // namespace bpfxx::object
