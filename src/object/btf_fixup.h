// Repairs of an object's BTF before it goes to the kernel, and the BTF side
// of resizing a global data map.
//
// clang cannot know where the linker-free object's variables end up, so it
// emits every DATASEC with size 0 and its global variables at offset 0;
// finalize_btf() (declared in load.h) fills them in from the ELF section
// of the same name and the variables' symbols, then sorts each DATASEC's
// variables by offset (the kernel requires it). Statics keep the offset
// clang wrote (it is right) unless a symbol says otherwise. Objects made
// by a static linker already carry sizes and offsets: a DATASEC whose size
// is not 0 keeps them. Hidden globals (__hidden) become static: a VAR
// whose symbol is STV_HIDDEN and each subprogram marked mark_btf_static
// (its FUNC), as the kernel then need not verify them as global functions.
//
// Extern sections have no ELF section:
//  - .kconfig is laid out here, as the .kconfig map will hold it: variables
//    sorted by alignment (largest first), then size (smallest first), then
//    name, each at the next offset its alignment allows; VARs become
//    allocated globals. Its DATASEC entries are the map's layout (read
//    them with kconfig_var_offset()).
//  - .ksyms stays as clang wrote it in the object's BTF, so that the
//    extern step still sees each typed ksym's declared type; the copy that
//    is uploaded is rewritten by ksyms_for_kernel().
#pragma once

#include "object/object.h"

#include <bpfxx/result.hpp>

#include <cstdint>

namespace bpfxx::object {

// Grows or shrinks the BTF of data map `map` to new_size bytes (libbpf
// 1.8's rule): the DATASEC's last variable must be an array whose element
// size divides new_size minus the variable's offset; a new ARRAY type with
// that many elements is added, the VAR retyped to it and the DATASEC's
// size and entry updated. Fails with ENOENT when the map has no BTF, with
// EINVAL (and a message naming the map and the reason) otherwise. The
// caller updates the map's value_size and initial value.
Result<void> resize_data_btf(bpf_object& obj, bpf_map& map, uint32_t new_size);

// Offset of kconfig extern `var_id` (a VAR of the .kconfig DATASEC) in the
// .kconfig map after finalize_btf(); fails with ENOENT when not listed.
Result<uint32_t> kconfig_var_offset(const ::btf& b, uint32_t var_id);

// Whether b has a .ksyms DATASEC (the upload then needs ksyms_for_kernel()).
bool has_ksyms_datasec(const ::btf& b);

// Rewrites the .ksyms DATASEC of b (a copy to upload, never the object's
// own BTF) into what the kernel accepts: each entry becomes 4 bytes at
// 4-byte steps; typed and typeless variables become allocated globals of
// type int; a kfunc's entry points at a VAR "dummy_ksym" added for them,
// and the FUNC itself becomes global with every unnamed parameter named
// (the kernel refuses extern FUNCs and unnamed parameters). Type ids of
// existing types do not change; an int type is added when b has none.
Result<void> ksyms_for_kernel(::btf& b);

}  // namespace bpfxx::object
