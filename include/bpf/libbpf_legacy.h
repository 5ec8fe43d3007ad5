/* Part of bpfxx. */
/*
 * Interfaces kept only so that programs written for libbpf 0.x build and
 * link unchanged. Since libbpf 1.0 they either do nothing or merely alias a
 * newer function; new code should not use them.
 */
#ifndef __LIBBPF_LEGACY_BPF_H
#define __LIBBPF_LEGACY_BPF_H

#include "uapi/linux/bpf.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "libbpf_common.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * LIBBPF_STRICT_ALL does not fit in an int; ISO C only allows that as an
 * extension, which is what libbpf has always relied on.
 */
#ifndef __cplusplus
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wpedantic"
#endif

/**
 * @brief Opt-in switches from the libbpf 0.x transition period. libbpf 1.0
 * and this library always behave as if all of them were set, so the values
 * only exist to keep old calls to libbpf_set_strict_mode() compiling.
 */
enum libbpf_strict_mode {
	/** every strict behaviour */
	LIBBPF_STRICT_ALL = 0xffffffff,
	/** no strict behaviour (no longer possible) */
	LIBBPF_STRICT_NONE = 0x00,
	/** NULL plus errno on failure instead of error-encoding pointers */
	LIBBPF_STRICT_CLEAN_PTRS = 0x01,
	/** negative error codes returned directly, errno set as well */
	LIBBPF_STRICT_DIRECT_ERRS = 0x02,
	/** only exact SEC() names; .text functions are always subprograms */
	LIBBPF_STRICT_SEC_NAME = 0x04,
	/** no global list of open objects */
	LIBBPF_STRICT_NO_OBJECT_LIST = 0x08,
	/** raise RLIMIT_MEMLOCK when the kernel lacks memcg accounting */
	LIBBPF_STRICT_AUTO_RLIMIT_MEMLOCK = 0x10,
	/** reject legacy SEC("maps") map definitions */
	LIBBPF_STRICT_MAP_DEFINITIONS = 0x20,

	__LIBBPF_STRICT_LAST,
};

#ifndef __cplusplus
#pragma GCC diagnostic pop
#endif

/**
 * @brief **libbpf_set_strict_mode()** is accepted for compatibility and has
 * no effect: strict libbpf 1.0 behaviour is always on.
 * @param mode ignored
 * @return 0
 */
LIBBPF_API int libbpf_set_strict_mode(enum libbpf_strict_mode mode);

/**
 * @brief **libbpf_get_error()** turns the result of a pointer-returning
 * function into an error code.
 *
 * Failing functions return NULL and set errno, so for a NULL @p ptr this
 * returns -errno; it is only meaningful right after the failing call,
 * before anything else can change errno. Checking for NULL and reading
 * errno directly is the better way.
 * @param ptr value returned by a library function
 * @return 0 if @p ptr is not NULL, otherwise -errno
 */
LIBBPF_API long libbpf_get_error(const void *ptr);

/** @brief Old name of LIBBPF_OPTS(). */
#define DECLARE_LIBBPF_OPTS LIBBPF_OPTS

struct btf;
struct btf_ext;

/**
 * @brief **libbpf_find_kernel_btf()** is the old name of
 * **btf__load_vmlinux_btf()**: it loads the running kernel's BTF.
 * @return new BTF object on success; NULL with errno set on error
 */
LIBBPF_API struct btf *libbpf_find_kernel_btf(void);

/**
 * @brief **btf__get_raw_data()** is the old name of **btf__raw_data()**.
 * @param btf BTF object
 * @param size receives the size of the returned data in bytes
 * @return the BTF encoded in the kernel's binary format, or NULL on error
 */
LIBBPF_API const void *btf__get_raw_data(const struct btf *btf, __u32 *size);

/**
 * @brief **btf_ext__get_raw_data()** is the old name of
 * **btf_ext__raw_data()**.
 * @param btf_ext .BTF.ext object
 * @param size receives the size of the returned data in bytes
 * @return the raw .BTF.ext section data, or NULL on error
 */
LIBBPF_API const void *btf_ext__get_raw_data(const struct btf_ext *btf_ext,
					     __u32 *size);

/*
 * The old spellings of object and map getters (bpf_program__get_type,
 * bpf_map__get_pin_path, ...) are declared here once the object loader
 * implements them.
 */

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* __LIBBPF_LEGACY_BPF_H */
