/* Part of bpfxx. Compiles a generated subskeleton (SKEL_HEADER) as C or
 * C++ with every warning an error. */
#include "skelgen_types.h"
#include SKEL_HEADER

#define PASTE2(a, b) a##b
#define PASTE(a, b) PASTE2(a, b)
#define FN(suffix) PASTE(SKEL_NAME, suffix)

typedef void (*any_fn)(void);

int main(void)
{
	any_fn fns[] = { (any_fn)FN(__open), (any_fn)FN(__destroy) };

	return fns[0] == 0;
}
