/* Part of bpfxx. Compiles a generated skeleton (SKEL_HEADER) as C or C++
 * with every warning an error, and takes the address of every function
 * the header defines so none is unused. */
#include "skelgen_types.h"
#include SKEL_HEADER

#define PASTE2(a, b) a##b
#define PASTE(a, b) PASTE2(a, b)
#define FN(suffix) PASTE(SKEL_NAME, suffix)

typedef void (*any_fn)(void);

int main(void)
{
	any_fn fns[] = {
		(any_fn)FN(__open), (any_fn)FN(__open_opts), (any_fn)FN(__open_and_load),
		(any_fn)FN(__load), (any_fn)FN(__attach), (any_fn)FN(__detach),
		(any_fn)FN(__destroy), (any_fn)FN(__elf_bytes), (any_fn)FN(__create_skeleton),
	};
	size_t sz = 0;
	const void *bytes = FN(__elf_bytes)(&sz);

	(void)fns;
	/* The embedded object starts with the ELF magic. */
	return !(sz > 4 && ((const unsigned char *)bytes)[0] == 0x7f);
}
