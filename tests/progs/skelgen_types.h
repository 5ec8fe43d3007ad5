/* Part of bpfxx. Types shared by skelgen_data.bpf.c and the applications
 * that use its skeleton: the skeleton names them, so both sides need
 * their definitions (as with bpftool's skeletons). */
#ifndef SKELGEN_TYPES_H
#define SKELGEN_TYPES_H

struct skelgen_pair {
	unsigned int first;
	unsigned long long second;
};

enum skelgen_mode {
	SKELGEN_OFF = 0,
	SKELGEN_ON = 7,
};

#endif
