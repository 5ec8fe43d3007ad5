/* Part of bpfxx. The struct_ops shadow of skelgen_opsbits.bpf.o: members
 * after bitfields sit at the offsets the BPF program's struct gives them
 * (the generic compile check runs too, included below). */
/* The test is named skelgen_opsbits_offsets; the skeleton is not. */
#undef SKEL_NAME
#define SKEL_NAME skelgen_opsbits
#include "compile_check.c"

#include <stddef.h>

#ifdef __cplusplus
#include <type_traits>
typedef std::remove_reference<decltype(*((struct skelgen_opsbits *)0)->struct_ops.bits)>::type shadow_t;
#define SHADOW_ASSERT static_assert
#else
typedef __typeof__(*((struct skelgen_opsbits *)0)->struct_ops.bits) shadow_t;
#define SHADOW_ASSERT _Static_assert
#endif

SHADOW_ASSERT(offsetof(shadow_t, hook) == 0, "hook");
SHADOW_ASSERT(offsetof(shadow_t, after) == 12, "after follows two bitfields");
SHADOW_ASSERT(offsetof(shadow_t, tag) == 16, "tag");
SHADOW_ASSERT(offsetof(shadow_t, last) == 24, "last follows a 40-bit bitfield");
SHADOW_ASSERT(sizeof(shadow_t) == 32, "the whole struct");
