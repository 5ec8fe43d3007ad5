/* Part of bpfxx. */
/*
 * The main interface: library-wide settings, error strings, names of kernel
 * enum values and feature probes, and (to come) the object API that opens,
 * loads and attaches BPF object files.
 *
 * Pointer-returning functions return NULL and set errno on failure;
 * int-returning ones return a negative error code and set errno.
 */
#ifndef __LIBBPF_LIBBPF_H
#define __LIBBPF_LIBBPF_H

#include <stdarg.h>
#include <stdio.h>
#include <stdint.h>
#include <stdbool.h>
#include <sys/types.h> /* size_t, pid_t */

#include "uapi/linux/bpf.h"

#include "libbpf_common.h"
#include "libbpf_legacy.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Version ---------------------------------------------------------- */

/**
 * @brief **libbpf_major_version()** reports the major libbpf API version
 * this library implements.
 * @return the major version, such as 1
 */
LIBBPF_API __u32 libbpf_major_version(void);

/**
 * @brief **libbpf_minor_version()** reports the minor libbpf API version
 * this library implements.
 * @return the minor version, such as 8
 */
LIBBPF_API __u32 libbpf_minor_version(void);

/**
 * @brief **libbpf_version_string()** gives the libbpf API version as text.
 * @return a static string of the form "v1.8"
 */
LIBBPF_API const char *libbpf_version_string(void);

/* ---- Errors ----------------------------------------------------------- */

/**
 * @brief Library-specific error codes. They are used like errno values
 * (returned negated), and **libbpf_strerror()** knows their text.
 */
enum libbpf_errno {
	__LIBBPF_ERRNO__START = 4000,

	/** problem reading the ELF file */
	LIBBPF_ERRNO__LIBELF = __LIBBPF_ERRNO__START,
	/** the BPF object file is malformed */
	LIBBPF_ERRNO__FORMAT,
	/** missing or wrong 'version' section */
	LIBBPF_ERRNO__KVERSION,
	/** object built for the other byte order */
	LIBBPF_ERRNO__ENDIAN,
	/** internal error of the library */
	LIBBPF_ERRNO__INTERNAL,
	/** a relocation could not be applied */
	LIBBPF_ERRNO__RELOC,
	/** the kernel refused the program for an unknown reason */
	LIBBPF_ERRNO__LOAD,
	/** the verifier rejected the program */
	LIBBPF_ERRNO__VERIFY,
	/** the program is too large */
	LIBBPF_ERRNO__PROG2BIG,
	/** the program requires a different kernel version */
	LIBBPF_ERRNO__KVER,
	/** the kernel does not support the program type */
	LIBBPF_ERRNO__PROGTYPE,
	/** netlink answer from an unexpected process id */
	LIBBPF_ERRNO__WRNGPID,
	/** netlink answer out of sequence */
	LIBBPF_ERRNO__INVSEQ,
	/** netlink answer could not be parsed */
	LIBBPF_ERRNO__NLPARSE,
	__LIBBPF_ERRNO__END,
};

/**
 * @brief **libbpf_strerror()** writes the text for an error code into a
 * buffer; it knows both errno values and enum libbpf_errno.
 * @param err error code, positive or negative
 * @param buf receives the NUL-terminated text
 * @param size size of @p buf in bytes
 * @return 0 on success; negative error code if @p err is unknown (a generic
 * text is still written) or @p buf is too small (the text is truncated)
 */
LIBBPF_API int libbpf_strerror(int err, char *buf, size_t size);

/* ---- Names of kernel enum values -------------------------------------- */

/**
 * @brief **libbpf_bpf_attach_type_str()** gives the name of an attach type,
 * such as "cgroup_inet_ingress".
 * @param t attach type
 * @return static string; NULL if @p t is unknown
 */
LIBBPF_API const char *libbpf_bpf_attach_type_str(enum bpf_attach_type t);

/**
 * @brief **libbpf_bpf_link_type_str()** gives the name of a link type, such
 * as "raw_tracepoint".
 * @param t link type
 * @return static string; NULL if @p t is unknown
 */
LIBBPF_API const char *libbpf_bpf_link_type_str(enum bpf_link_type t);

/**
 * @brief **libbpf_bpf_map_type_str()** gives the name of a map type, such
 * as "hash".
 * @param t map type
 * @return static string; NULL if @p t is unknown
 */
LIBBPF_API const char *libbpf_bpf_map_type_str(enum bpf_map_type t);

/**
 * @brief **libbpf_bpf_prog_type_str()** gives the name of a program type,
 * such as "socket_filter".
 * @param t program type
 * @return static string; NULL if @p t is unknown
 */
LIBBPF_API const char *libbpf_bpf_prog_type_str(enum bpf_prog_type t);

/* ---- Log output ------------------------------------------------------- */

/** @brief Importance of a message passed to the print callback. */
enum libbpf_print_level {
	/** something failed or is likely wrong */
	LIBBPF_WARN,
	/** noteworthy progress */
	LIBBPF_INFO,
	/** detailed tracing, including verifier logs */
	LIBBPF_DEBUG,
};

/**
 * @brief Type of the print callback: receives a level, a printf-style
 * format and its arguments. The return value is ignored.
 */
typedef int (*libbpf_print_fn_t)(enum libbpf_print_level level,
				 const char *, va_list ap);

/**
 * @brief **libbpf_set_print()** installs the function that receives all of
 * the library's messages.
 *
 * The default prints warnings and info messages to stderr. The setting is
 * process-wide and may be changed from any thread.
 * @param fn new callback; NULL silences the library
 * @return the callback that was installed before
 */
LIBBPF_API libbpf_print_fn_t libbpf_set_print(libbpf_print_fn_t fn);

/* ---- Types of the object API ------------------------------------------ */

struct bpf_object;
struct bpf_program;
struct bpf_map;
struct btf;
struct btf_ext;
struct bpf_link;

/*
 * Section-name lookups (libbpf_prog_type_by_name, libbpf_attach_type_by_name)
 * arrive with the object loader's section table.
 */

/**
 * @brief **libbpf_find_vmlinux_btf_id()** looks up the kernel BTF type id of
 * the function (or other target) a tracing program would attach to.
 *
 * The attach type selects the name prefix searched for, for example
 * "bpf_lsm_" for LSM programs and "btf_trace_" for BTF raw tracepoints.
 * @param name target name without prefix
 * @param attach_type attach type of the program
 * @return the BTF type id (> 0); negative error code on error
 */
LIBBPF_API int libbpf_find_vmlinux_btf_id(const char *name,
					  enum bpf_attach_type attach_type);


/* ---- Feature probes --------------------------------------------------- */

/**
 * @brief **libbpf_probe_bpf_prog_type()** checks whether the running kernel
 * supports a program type by loading a minimal program of that type.
 *
 * The result depends on the caller's capabilities as well: run it with the
 * privileges the real programs will have.
 * @param prog_type program type to check
 * @param opts reserved, must be NULL
 * @return 1 if supported; 0 if not; negative error code if the check itself
 * failed
 */
LIBBPF_API int libbpf_probe_bpf_prog_type(enum bpf_prog_type prog_type,
					  const void *opts);

/**
 * @brief **libbpf_probe_bpf_map_type()** checks whether the running kernel
 * supports a map type by creating a small map of that type.
 * @param map_type map type to check
 * @param opts reserved, must be NULL
 * @return 1 if supported; 0 if not; negative error code if the check itself
 * failed
 */
LIBBPF_API int libbpf_probe_bpf_map_type(enum bpf_map_type map_type,
					 const void *opts);

/**
 * @brief **libbpf_probe_bpf_helper()** checks whether programs of a given
 * type may call a given BPF helper on the running kernel.
 * @param prog_type program type to check with
 * @param helper_id helper function to check
 * @param opts reserved, must be NULL
 * @return 1 if the helper is usable; 0 if not; negative error code if the
 * check itself failed (for example -EOPNOTSUPP for program types that cannot
 * be probed this way)
 */
LIBBPF_API int libbpf_probe_bpf_helper(enum bpf_prog_type prog_type,
				       enum bpf_func_id helper_id,
				       const void *opts);

/* ---- System information ----------------------------------------------- */

/**
 * @brief **libbpf_num_possible_cpus()** gives the number of CPUs the kernel
 * could ever bring online, read from /sys/devices/system/cpu/possible.
 *
 * Per-CPU map values hold one slot per possible CPU, so this is the number
 * to size their buffers with. The value is read once and cached.
 * @return number of possible CPUs; negative error code on error
 */
LIBBPF_API int libbpf_num_possible_cpus(void);

/* ======================================================================
 * Object API (bpf_object__*, bpf_program__*, bpf_map__*, bpf_link__*,
 * skeletons, ring and perf buffers, program handlers ...).
 *
 * To be added here by the issue that implements the object layer.
 * ====================================================================== */

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* __LIBBPF_LIBBPF_H */
