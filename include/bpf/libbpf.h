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

/* ---- Section names and custom program handlers ------------------------- */

struct bpf_prog_load_opts; /* declared in bpf.h */

/**
 * @brief Callback run by **bpf_object__open()** for every program whose
 * section name a custom handler claimed. It may adjust the program through
 * the bpf_program__set_*() setters.
 * @param prog the program just created
 * @param cookie the cookie given at registration
 * @return 0 to go on; a negative error code makes the open fail
 */
typedef int (*libbpf_prog_setup_fn_t)(struct bpf_program *prog, long cookie);

/**
 * @brief Callback run just before a program of a custom handler is loaded
 * into the kernel; it may change the load options.
 * @param prog the program about to be loaded
 * @param opts the options that will be passed to the load
 * @param cookie the cookie given at registration
 * @return 0 to go on; a negative error code makes the load fail
 */
typedef int (*libbpf_prog_prepare_load_fn_t)(struct bpf_program *prog,
					     struct bpf_prog_load_opts *opts,
					     long cookie);

/**
 * @brief Callback that attaches a program of a custom handler, used by
 * **bpf_program__attach()** and by skeleton attach.
 *
 * When the program cannot be attached automatically, return 0 with
 * *@p link set to NULL: skeleton attach then skips the program, while
 * **bpf_program__attach()** reports it as unsupported. On failure return a
 * negative error code and leave *@p link NULL; on success return 0 with
 * *@p link holding the new link.
 * @param prog the loaded program
 * @param cookie the cookie given at registration
 * @param link receives the new link
 * @return 0 or a negative error code
 */
typedef int (*libbpf_prog_attach_fn_t)(const struct bpf_program *prog,
				       long cookie, struct bpf_link **link);

/**
 * @brief Options of **libbpf_register_prog_handler()**. Every callback is
 * optional.
 */
struct libbpf_prog_handler_opts {
	/** sizeof(struct libbpf_prog_handler_opts) as compiled by the caller */
	size_t sz;
	/**
	 * Value handed to every callback, so that one set of callbacks can
	 * serve several section names and still tell them apart.
	 */
	long cookie;
	/** Run at open for each claimed program (may be NULL). */
	libbpf_prog_setup_fn_t prog_setup_fn;
	/** Run before each claimed program is loaded (may be NULL). */
	libbpf_prog_prepare_load_fn_t prog_prepare_load_fn;
	/** Attaches a claimed program (may be NULL: no auto-attach). */
	libbpf_prog_attach_fn_t prog_attach_fn;
};
#define libbpf_prog_handler_opts__last_field prog_attach_fn
BPFXX_OPTS_KNOWN_SIZE_(libbpf_prog_handler_opts)

/**
 * @brief **libbpf_register_prog_handler()** teaches the library a new
 * section name, or replaces how a known one is handled.
 *
 * Handlers registered this way are consulted before the built-in section
 * names, in the order they were registered. @p sec follows the built-in
 * rules: "name" matches exactly; "name+" matches "name" and "name/extras";
 * "name/" matches any section starting with "name/". A NULL @p sec
 * registers the fallback handler, used for any section name nothing else
 * recognizes; there can be only one. Handlers must stay registered for as
 * long as objects opened while they were registered are in use.
 * @param sec section name pattern, or NULL for the fallback handler
 * @param prog_type program type given to the claimed programs
 * @param exp_attach_type expected attach type given to the claimed programs
 * @param opts callbacks and cookie, or NULL
 * @return a handler id (> 0); a negative error code on error: -EINVAL for
 * bad arguments, -EBUSY when a fallback handler is already registered,
 * -E2BIG when too many handlers are registered, -ENOMEM
 */
LIBBPF_API int libbpf_register_prog_handler(const char *sec,
					    enum bpf_prog_type prog_type,
					    enum bpf_attach_type exp_attach_type,
					    const struct libbpf_prog_handler_opts *opts);

/**
 * @brief **libbpf_unregister_prog_handler()** removes a handler registered
 * by **libbpf_register_prog_handler()**.
 * @param handler_id the id the registration returned
 * @return 0 on success; -EINVAL for an id <= 0, -ENOENT when no handler has
 * that id
 */
LIBBPF_API int libbpf_unregister_prog_handler(int handler_id);

/**
 * @brief **libbpf_prog_type_by_name()** tells which program type and
 * expected attach type a section name stands for, as **bpf_object__open()**
 * would decide it (custom handlers included).
 * @param name section name, for example "kprobe/do_unlinkat"
 * @param prog_type receives the program type
 * @param expected_attach_type receives the expected attach type
 * @return 0 on success; -EINVAL when an argument is NULL, -ESRCH when the
 * name is not recognized (the supported names are then printed)
 */
LIBBPF_API int libbpf_prog_type_by_name(const char *name,
					enum bpf_prog_type *prog_type,
					enum bpf_attach_type *expected_attach_type);

/**
 * @brief **libbpf_attach_type_by_name()** gives the attach type to pass to
 * **bpf_prog_attach()** for a program of the named section.
 * @param name section name, for example "cgroup_skb/ingress"
 * @param attach_type receives the attach type
 * @return 0 on success; -EINVAL when an argument is NULL or the section's
 * programs are not attached through bpf_prog_attach(), -ESRCH when the name
 * is not recognized
 */
LIBBPF_API int libbpf_attach_type_by_name(const char *name,
					  enum bpf_attach_type *attach_type);

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

/* ---- Objects: open and close ------------------------------------------ */

/**
 * @brief Options of **bpf_object__open_file()** and **bpf_object__open_mem()**.
 * Declare with LIBBPF_OPTS(); every field is optional.
 */
struct bpf_object_open_opts {
	/** size of this struct, set by LIBBPF_OPTS() */
	size_t sz;
	/** object name; by default the file's base name up to its first dot,
	 * or "<address>-<size>" for memory; cut to 15 characters */
	const char *object_name;
	/** accept unknown attributes in BTF map definitions (ignored) */
	bool relaxed_maps;
	/** directory under which maps with LIBBPF_PIN_BY_NAME are pinned;
	 * "/sys/fs/bpf" when NULL */
	const char *pin_root_path;
	__u32 :32; /* was attach_prog_fd, no longer used */
	/** extra kernel config lines ("CONFIG_X=y\n...") for __kconfig externs,
	 * taking precedence over the running kernel's config */
	const char *kconfig;
	/** path of a BTF file to use as kernel BTF for CO-RE relocations */
	const char *btf_custom_path;
	/** buffer that receives the kernel's log of BTF loading (and of
	 * programs without a log buffer of their own) */
	char *kernel_log_buf;
	/** size of kernel_log_buf in bytes */
	size_t kernel_log_size;
	/** log level for kernel_log_buf (1: errors, 2: verbose, 4: stats) */
	__u32 kernel_log_level;
	/** BPF FS mount to derive a BPF token from; "" disables the token */
	const char *bpf_token_path;
	size_t :0;
};
#define bpf_object_open_opts__last_field bpf_token_path
BPFXX_OPTS_KNOWN_SIZE_(bpf_object_open_opts)

/**
 * @brief **bpf_object__open()** opens a BPF ELF object file with default
 * options.
 * @param path path of the .bpf.o file
 * @return the new object; NULL with errno set on error
 */
LIBBPF_API struct bpf_object *bpf_object__open(const char *path);

/**
 * @brief **bpf_object__open_file()** opens a BPF ELF object file: it parses
 * its programs, maps and BTF without touching the kernel.
 * @param path path of the .bpf.o file
 * @param opts options; may be NULL
 * @return the new object; NULL with errno set on error (a malformed file
 * gives LIBBPF_ERRNO__FORMAT or a more specific code, with a message
 * through the print callback)
 */
LIBBPF_API struct bpf_object *
bpf_object__open_file(const char *path, const struct bpf_object_open_opts *opts);

/**
 * @brief **bpf_object__open_mem()** opens a BPF ELF object held in memory.
 * The bytes are copied: the caller may free them afterwards.
 * @param obj_buf start of the ELF image
 * @param obj_buf_sz its size in bytes
 * @param opts options; may be NULL
 * @return the new object; NULL with errno set on error
 */
LIBBPF_API struct bpf_object *
bpf_object__open_mem(const void *obj_buf, size_t obj_buf_sz,
		     const struct bpf_object_open_opts *opts);

/**
 * @brief **bpf_object__close()** releases an object with all its programs
 * and maps (and their kernel objects, unless pinned or held elsewhere).
 * @param obj the object; NULL is ignored
 */
LIBBPF_API void bpf_object__close(struct bpf_object *obj);

/* ---- Objects: load and pinning ---------------------------------------- */

/**
 * @brief **bpf_object__prepare()** does the first half of loading: creates
 * the maps (reusing or pinning as configured), uploads the BTF and
 * relocates the programs, without loading them. Programs' instructions
 * are final afterwards (and may still be changed with
 * **bpf_program__set_insns()**).
 * @param obj the object
 * @return 0; negative error code on error (everything created is released)
 */
LIBBPF_API int bpf_object__prepare(struct bpf_object *obj);

/**
 * @brief **bpf_object__load()** loads the object into the kernel: maps,
 * BTF and programs (running **bpf_object__prepare()** first if it was
 * not). A verifier rejection is reported with the whole log tail and the
 * failing source line.
 * @param obj the object
 * @return 0; negative error code on error (everything created is
 * released); -EINVAL when already loaded
 */
LIBBPF_API int bpf_object__load(struct bpf_object *obj);

/**
 * @brief **bpf_object__pin_maps()** pins every created map: at its pin
 * path if it has one, else at <path>/<map name>.
 * @param obj the prepared or loaded object
 * @param path directory in a BPF file system; may be NULL when every map
 * has a pin path
 * @return 0; negative error code on error (maps pinned by this call are
 * unpinned again)
 */
LIBBPF_API int bpf_object__pin_maps(struct bpf_object *obj, const char *path);

/**
 * @brief **bpf_object__unpin_maps()** removes the pins of the object's
 * maps: their pin paths, or <path>/<map name>.
 * @param obj the object
 * @param path directory the maps were pinned under; may be NULL
 * @return 0; negative error code on error
 */
LIBBPF_API int bpf_object__unpin_maps(struct bpf_object *obj, const char *path);

/**
 * @brief **bpf_object__pin_programs()** pins every program at
 * <path>/<program name>.
 * @param obj the loaded object
 * @param path directory in a BPF file system
 * @return 0; negative error code on error, e.g. for a program not loaded
 * because its autoload was off (pins made are removed)
 */
LIBBPF_API int bpf_object__pin_programs(struct bpf_object *obj, const char *path);

/**
 * @brief **bpf_object__unpin_programs()** removes <path>/<program name> of
 * every program.
 * @param obj the object
 * @param path directory the programs were pinned under
 * @return 0; negative error code on error
 */
LIBBPF_API int bpf_object__unpin_programs(struct bpf_object *obj, const char *path);

/**
 * @brief **bpf_object__pin()** pins maps and programs under @p path.
 * @param object the loaded object
 * @param path directory in a BPF file system
 * @return 0; negative error code on error
 */
LIBBPF_API int bpf_object__pin(struct bpf_object *object, const char *path);

/**
 * @brief **bpf_object__unpin()** removes what **bpf_object__pin()** made.
 * @param object the object
 * @param path the directory given to **bpf_object__pin()**
 * @return 0; negative error code on error
 */
LIBBPF_API int bpf_object__unpin(struct bpf_object *object, const char *path);

/* ---- Objects: properties and lookup ----------------------------------- */

/**
 * @brief **bpf_object__name()** gives the object's name.
 * @param obj the object
 * @return its name (valid while the object lives)
 */
LIBBPF_API const char *bpf_object__name(const struct bpf_object *obj);

/**
 * @brief **bpf_object__kversion()** gives the kernel version recorded in
 * the object's "version" section.
 * @param obj the object
 * @return the version; 0 when the object has none
 */
LIBBPF_API unsigned int bpf_object__kversion(const struct bpf_object *obj);

/**
 * @brief **bpf_object__set_kversion()** sets the kernel version passed to
 * the kernel at load (only old kprobe programs care).
 * @param obj the object
 * @param kern_version version in KERNEL_VERSION() encoding
 * @return 0; -EBUSY once loaded
 */
LIBBPF_API int bpf_object__set_kversion(struct bpf_object *obj, __u32 kern_version);

/**
 * @brief **bpf_object__token_fd()** gives the BPF token the object uses.
 * @param obj the object
 * @return the token's fd; -1 when there is none (always before load)
 */
LIBBPF_API int bpf_object__token_fd(const struct bpf_object *obj);

/**
 * @brief **bpf_object__btf()** gives the object's own BTF (from .BTF).
 * @param obj the object
 * @return the BTF, owned by the object; NULL when the object has none
 */
LIBBPF_API struct btf *bpf_object__btf(const struct bpf_object *obj);

/**
 * @brief **bpf_object__btf_fd()** gives the fd of the object's BTF in the
 * kernel.
 * @param obj the object
 * @return the fd; -1 when the BTF is not loaded (always before load)
 */
LIBBPF_API int bpf_object__btf_fd(const struct bpf_object *obj);

/**
 * @brief **bpf_object__find_program_by_name()** finds a program by its
 * function name (subprograms are not programs).
 * @param obj the object
 * @param name function name
 * @return the program; NULL with errno ENOENT when there is none
 */
LIBBPF_API struct bpf_program *
bpf_object__find_program_by_name(const struct bpf_object *obj, const char *name);

/**
 * @brief **bpf_object__next_program()** iterates over the object's
 * programs in section order, then offset order.
 * @param obj the object
 * @param prog the previous program; NULL to start
 * @return the next program; NULL at the end
 */
LIBBPF_API struct bpf_program *
bpf_object__next_program(const struct bpf_object *obj, struct bpf_program *prog);

/**
 * @brief **bpf_object__prev_program()** iterates over the programs
 * backwards.
 * @param obj the object
 * @param prog the following program; NULL to start from the last
 * @return the previous program; NULL at the start
 */
LIBBPF_API struct bpf_program *
bpf_object__prev_program(const struct bpf_object *obj, struct bpf_program *prog);

/** @brief Loops over every program of an object. */
#define bpf_object__for_each_program(pos, obj)			\
	for ((pos) = bpf_object__next_program((obj), NULL);	\
	     (pos) != NULL;					\
	     (pos) = bpf_object__next_program((obj), (pos)))

/**
 * @brief **bpf_object__find_map_by_name()** finds a map by name: the name
 * **bpf_map__name()** reports, or for global data the section name
 * (".rodata", ".data.custom").
 * @param obj the object
 * @param name map name
 * @return the map; NULL with errno ENOENT when there is none
 */
LIBBPF_API struct bpf_map *
bpf_object__find_map_by_name(const struct bpf_object *obj, const char *name);

/**
 * @brief **bpf_object__find_map_fd_by_name()** is **bpf_map__fd()** of
 * **bpf_object__find_map_by_name()**.
 * @param obj the object
 * @param name map name
 * @return the map's fd; -1 before the map exists; -EINVAL when there is no
 * such map
 */
LIBBPF_API int
bpf_object__find_map_fd_by_name(const struct bpf_object *obj, const char *name);

/**
 * @brief **bpf_object__next_map()** iterates over the object's maps: those
 * of .maps in declaration order, then the global data maps.
 * @param obj the object
 * @param map the previous map; NULL to start
 * @return the next map; NULL at the end
 */
LIBBPF_API struct bpf_map *
bpf_object__next_map(const struct bpf_object *obj, const struct bpf_map *map);

/**
 * @brief **bpf_object__prev_map()** iterates over the maps backwards.
 * @param obj the object
 * @param map the following map; NULL to start from the last
 * @return the previous map; NULL at the start
 */
LIBBPF_API struct bpf_map *
bpf_object__prev_map(const struct bpf_object *obj, const struct bpf_map *map);

/** @brief Loops over every map of an object. */
#define bpf_object__for_each_map(pos, obj)			\
	for ((pos) = bpf_object__next_map((obj), NULL);		\
	     (pos) != NULL;					\
	     (pos) = bpf_object__next_map((obj), (pos)))

/* ---- Programs --------------------------------------------------------- */

/**
 * @brief **bpf_program__name()** gives the program's function name.
 * @param prog the program
 * @return the name
 */
LIBBPF_API const char *bpf_program__name(const struct bpf_program *prog);

/**
 * @brief **bpf_program__section_name()** gives the ELF section the program
 * came from, the SEC("...") of its source.
 * @param prog the program
 * @return the section name
 */
LIBBPF_API const char *bpf_program__section_name(const struct bpf_program *prog);

/**
 * @brief **bpf_program__autoload()** tells whether load will load the
 * program.
 * @param prog the program
 * @return true by default
 */
LIBBPF_API bool bpf_program__autoload(const struct bpf_program *prog);

/**
 * @brief **bpf_program__set_autoload()** chooses whether load loads the
 * program.
 * @param prog the program
 * @param autoload false to leave it out
 * @return 0; -EINVAL once the object is loaded
 */
LIBBPF_API int bpf_program__set_autoload(struct bpf_program *prog, bool autoload);

/**
 * @brief **bpf_program__autoattach()** tells whether skeleton attach
 * attaches the program.
 * @param prog the program
 * @return true by default
 */
LIBBPF_API bool bpf_program__autoattach(const struct bpf_program *prog);

/**
 * @brief **bpf_program__set_autoattach()** chooses whether skeleton attach
 * attaches the program.
 * @param prog the program
 * @param autoattach false to leave it out
 */
LIBBPF_API void bpf_program__set_autoattach(struct bpf_program *prog, bool autoattach);

/**
 * @brief **bpf_program__insns()** gives the program's instructions: as in
 * the file before load, as loaded after.
 * @param prog the program
 * @return the instructions (**bpf_program__insn_cnt()** of them)
 */
LIBBPF_API const struct bpf_insn *bpf_program__insns(const struct bpf_program *prog);

/**
 * @brief **bpf_program__set_insns()** replaces the program's instructions
 * (the array is copied). Relocations recorded at open are not adjusted, so
 * this is meant for the prepare-load callbacks of custom handlers.
 * @param prog the program
 * @param new_insns the instructions
 * @param new_insn_cnt their number
 * @return 0; -EINVAL for an empty array; -EBUSY once loaded
 */
LIBBPF_API int bpf_program__set_insns(struct bpf_program *prog,
				      struct bpf_insn *new_insns, size_t new_insn_cnt);

/**
 * @brief **bpf_program__insn_cnt()** gives the number of instructions.
 * @param prog the program
 * @return the count
 */
LIBBPF_API size_t bpf_program__insn_cnt(const struct bpf_program *prog);

/**
 * @brief **bpf_program__fd()** gives the loaded program's fd.
 * @param prog the program
 * @return the fd; -ENOENT before load; -EINVAL for NULL
 */
LIBBPF_API int bpf_program__fd(const struct bpf_program *prog);

/**
 * @brief **bpf_program__type()** gives the program type, from the section
 * name or **bpf_program__set_type()**.
 * @param prog the program
 * @return the type; BPF_PROG_TYPE_UNSPEC for an unknown section
 */
LIBBPF_API enum bpf_prog_type bpf_program__type(const struct bpf_program *prog);

/**
 * @brief **bpf_program__set_type()** sets the program type, for example
 * for a section name the library does not know.
 * @param prog the program
 * @param type the type
 * @return 0; -EBUSY once loaded
 */
LIBBPF_API int bpf_program__set_type(struct bpf_program *prog, enum bpf_prog_type type);

/**
 * @brief **bpf_program__expected_attach_type()** gives the attach type
 * passed to the kernel at load.
 * @param prog the program
 * @return the attach type
 */
LIBBPF_API enum bpf_attach_type
bpf_program__expected_attach_type(const struct bpf_program *prog);

/**
 * @brief **bpf_program__set_expected_attach_type()** sets the attach type
 * passed to the kernel at load.
 * @param prog the program
 * @param type the attach type
 * @return 0; -EBUSY once loaded
 */
LIBBPF_API int bpf_program__set_expected_attach_type(struct bpf_program *prog,
						     enum bpf_attach_type type);

/**
 * @brief **bpf_program__flags()** gives the extra BPF_F_* load flags set
 * with **bpf_program__set_flags()** (the section's own, such as
 * BPF_F_SLEEPABLE, are added at load).
 * @param prog the program
 * @return the flags
 */
LIBBPF_API __u32 bpf_program__flags(const struct bpf_program *prog);

/**
 * @brief **bpf_program__set_flags()** sets the extra BPF_F_* load flags.
 * @param prog the program
 * @param flags the flags
 * @return 0; -EBUSY once loaded
 */
LIBBPF_API int bpf_program__set_flags(struct bpf_program *prog, __u32 flags);

/**
 * @brief **bpf_program__log_level()** gives the verifier log level used at
 * load.
 * @param prog the program
 * @return the level (0: a log only on failure)
 */
LIBBPF_API __u32 bpf_program__log_level(const struct bpf_program *prog);

/**
 * @brief **bpf_program__set_log_level()** sets the verifier log level.
 * @param prog the program
 * @param log_level 1, 2 or 4 (stats), or 0
 * @return 0; -EBUSY once loaded
 */
LIBBPF_API int bpf_program__set_log_level(struct bpf_program *prog, __u32 log_level);

/**
 * @brief **bpf_program__log_buf()** gives the caller's verifier log buffer.
 * @param prog the program
 * @param log_size receives its size; may be NULL
 * @return the buffer; NULL when none is set
 */
LIBBPF_API const char *bpf_program__log_buf(const struct bpf_program *prog, size_t *log_size);

/**
 * @brief **bpf_program__set_log_buf()** sets a buffer for the verifier log
 * of this program.
 * @param prog the program
 * @param log_buf the buffer; NULL with size 0 to remove it
 * @param log_size its size in bytes
 * @return 0; -EINVAL for a size without buffer; -EBUSY once loaded
 */
LIBBPF_API int bpf_program__set_log_buf(struct bpf_program *prog, char *log_buf, size_t log_size);

/**
 * @brief **bpf_program__set_ifindex()** sets the network device a program
 * is offloaded to.
 * @param prog the program
 * @param ifindex interface index; 0 for none
 */
LIBBPF_API void bpf_program__set_ifindex(struct bpf_program *prog, __u32 ifindex);

/**
 * @brief **bpf_program__set_attach_target()** sets what a BTF-attached
 * program (fentry, fexit, freplace, tp_btf, lsm ...) attaches to; the
 * target is looked up at load.
 * @param prog the program
 * @param attach_prog_fd fd of the target BPF program; 0 for the kernel
 * @param attach_func_name target function; may be NULL with a program fd
 * @return 0; -EINVAL for bad arguments or once loaded
 */
LIBBPF_API int bpf_program__set_attach_target(struct bpf_program *prog, int attach_prog_fd,
					      const char *attach_func_name);

/**
 * @brief **bpf_program__get_type()** is the old name of
 * **bpf_program__type()**.
 * @param prog the program
 * @return the program type
 */
LIBBPF_API enum bpf_prog_type bpf_program__get_type(const struct bpf_program *prog);

/**
 * @brief **bpf_program__get_expected_attach_type()** is the old name of
 * **bpf_program__expected_attach_type()**.
 * @param prog the program
 * @return the expected attach type
 */
LIBBPF_API enum bpf_attach_type
bpf_program__get_expected_attach_type(const struct bpf_program *prog);

/**
 * @brief **bpf_program__func_info()** gives the program's BTF function
 * records for its final layout (main function first, then the appended
 * subprograms), as passed to the kernel.
 * @param prog the program
 * @return the records; NULL with errno ENOENT before prepare or without
 * BTF
 */
LIBBPF_API struct bpf_func_info *bpf_program__func_info(const struct bpf_program *prog);

/**
 * @brief **bpf_program__func_info_cnt()** gives the number of records
 * **bpf_program__func_info()** returns.
 * @param prog the program
 * @return the count; 0 when there are none
 */
LIBBPF_API __u32 bpf_program__func_info_cnt(const struct bpf_program *prog);

/**
 * @brief **bpf_program__line_info()** gives the program's BTF line records
 * for its final layout.
 * @param prog the program
 * @return the records; NULL with errno ENOENT before prepare or without
 * BTF
 */
LIBBPF_API struct bpf_line_info *bpf_program__line_info(const struct bpf_program *prog);

/**
 * @brief **bpf_program__line_info_cnt()** gives the number of records
 * **bpf_program__line_info()** returns.
 * @param prog the program
 * @return the count; 0 when there are none
 */
LIBBPF_API __u32 bpf_program__line_info_cnt(const struct bpf_program *prog);

/**
 * @brief **bpf_program__unload()** closes the program's fd; the program
 * stays in the kernel while something else holds it.
 * @param prog the program
 */
LIBBPF_API void bpf_program__unload(struct bpf_program *prog);

/**
 * @brief **bpf_program__pin()** pins the loaded program at @p path.
 * @param prog the program
 * @param path path in a BPF file system
 * @return 0; negative error code on error (-EINVAL before load)
 */
LIBBPF_API int bpf_program__pin(struct bpf_program *prog, const char *path);

/**
 * @brief **bpf_program__unpin()** removes the pin at @p path.
 * @param prog the program
 * @param path the pin's path
 * @return 0; negative error code on error
 */
LIBBPF_API int bpf_program__unpin(struct bpf_program *prog, const char *path);

/* ---- Maps ------------------------------------------------------------- */

/** @brief How a BTF-defined map is pinned (its `pinning` attribute). */
enum libbpf_pin_type {
	/** not pinned */
	LIBBPF_PIN_NONE,
	/** pinned at <pin_root_path>/<map name>, and reused from there */
	LIBBPF_PIN_BY_NAME,
};

/**
 * @brief **bpf_map__name()** gives the map's name: the variable's name, or
 * for global data the object-prefixed section name ("prog.rodata").
 * @param map the map
 * @return the name; NULL for NULL
 */
LIBBPF_API const char *bpf_map__name(const struct bpf_map *map);

/**
 * @brief **bpf_map__fd()** gives the map's fd.
 * @param map the map
 * @return the fd; -1 before the map is created; -EINVAL for NULL
 */
LIBBPF_API int bpf_map__fd(const struct bpf_map *map);

/**
 * @brief **bpf_map__reuse_fd()** makes the object use an existing map
 * instead of creating one; its definition is taken from the kernel. May
 * be called again before the object is prepared (the earlier map is
 * dropped); a map pinned at the map's pin path still takes precedence.
 * @param map the map
 * @param fd fd of the existing map (duplicated; the caller keeps its own)
 * @return 0; negative error code on error; -EBUSY once the object is
 * prepared or loaded
 */
LIBBPF_API int bpf_map__reuse_fd(struct bpf_map *map, int fd);

/**
 * @brief **bpf_map__type()** gives the map type.
 * @param map the map
 * @return the type
 */
LIBBPF_API enum bpf_map_type bpf_map__type(const struct bpf_map *map);

/**
 * @brief **bpf_map__set_type()** changes the map type before creation.
 * @param map the map
 * @param type the type
 * @return 0; -EBUSY once created
 */
LIBBPF_API int bpf_map__set_type(struct bpf_map *map, enum bpf_map_type type);

/**
 * @brief **bpf_map__key_size()** gives the key size in bytes.
 * @param map the map
 * @return the size
 */
LIBBPF_API __u32 bpf_map__key_size(const struct bpf_map *map);

/**
 * @brief **bpf_map__set_key_size()** changes the key size before creation.
 * @param map the map
 * @param size size in bytes
 * @return 0; -EBUSY once created
 */
LIBBPF_API int bpf_map__set_key_size(struct bpf_map *map, __u32 size);

/**
 * @brief **bpf_map__value_size()** gives the value size in bytes.
 * @param map the map
 * @return the size
 */
LIBBPF_API __u32 bpf_map__value_size(const struct bpf_map *map);

/**
 * @brief **bpf_map__set_value_size()** changes the value size before
 * creation; a global data map's initial value is grown with zeroes or cut,
 * and its BTF follows when the section's last variable is an array
 * (otherwise the map is created without BTF types).
 * @param map the map
 * @param size size in bytes
 * @return 0; -EINVAL for 0 on a global data map; -EOPNOTSUPP for a global
 * data map whose type is no longer an array; -EBUSY once created
 */
LIBBPF_API int bpf_map__set_value_size(struct bpf_map *map, __u32 size);

/**
 * @brief **bpf_map__max_entries()** gives the maximum number of entries.
 * @param map the map
 * @return the number
 */
LIBBPF_API __u32 bpf_map__max_entries(const struct bpf_map *map);

/**
 * @brief **bpf_map__set_max_entries()** changes the maximum number of
 * entries before creation.
 * @param map the map
 * @param max_entries the number
 * @return 0; -EBUSY once created
 */
LIBBPF_API int bpf_map__set_max_entries(struct bpf_map *map, __u32 max_entries);

/**
 * @brief **bpf_map__map_flags()** gives the BPF_F_* creation flags.
 * @param map the map
 * @return the flags
 */
LIBBPF_API __u32 bpf_map__map_flags(const struct bpf_map *map);

/**
 * @brief **bpf_map__set_map_flags()** changes the creation flags.
 * @param map the map
 * @param flags BPF_F_* flags
 * @return 0; -EBUSY once created
 */
LIBBPF_API int bpf_map__set_map_flags(struct bpf_map *map, __u32 flags);

/**
 * @brief **bpf_map__numa_node()** gives the NUMA node of the map's memory.
 * @param map the map
 * @return the node (used with BPF_F_NUMA_NODE)
 */
LIBBPF_API __u32 bpf_map__numa_node(const struct bpf_map *map);

/**
 * @brief **bpf_map__set_numa_node()** changes the NUMA node.
 * @param map the map
 * @param numa_node the node
 * @return 0; -EBUSY once created
 */
LIBBPF_API int bpf_map__set_numa_node(struct bpf_map *map, __u32 numa_node);

/**
 * @brief **bpf_map__map_extra()** gives the type-specific extra value
 * (bloom filter hash count, arena address ...).
 * @param map the map
 * @return the value
 */
LIBBPF_API __u64 bpf_map__map_extra(const struct bpf_map *map);

/**
 * @brief **bpf_map__set_map_extra()** changes the type-specific extra value.
 * @param map the map
 * @param map_extra the value
 * @return 0; -EBUSY once created
 */
LIBBPF_API int bpf_map__set_map_extra(struct bpf_map *map, __u64 map_extra);

/**
 * @brief **bpf_map__ifindex()** gives the device the map is offloaded to.
 * @param map the map
 * @return interface index; 0 for none
 */
LIBBPF_API __u32 bpf_map__ifindex(const struct bpf_map *map);

/**
 * @brief **bpf_map__set_ifindex()** sets the device the map is offloaded
 * to.
 * @param map the map
 * @param ifindex interface index
 * @return 0; -EBUSY once created
 */
LIBBPF_API int bpf_map__set_ifindex(struct bpf_map *map, __u32 ifindex);

/**
 * @brief **bpf_map__btf_key_type_id()** gives the BTF type of the key in
 * the object's BTF.
 * @param map the map
 * @return the type id; 0 when the key has no type
 */
LIBBPF_API __u32 bpf_map__btf_key_type_id(const struct bpf_map *map);

/**
 * @brief **bpf_map__btf_value_type_id()** gives the BTF type of the value
 * (the section's DATASEC for global data).
 * @param map the map
 * @return the type id; 0 when the value has no type
 */
LIBBPF_API __u32 bpf_map__btf_value_type_id(const struct bpf_map *map);

/**
 * @brief **bpf_map__is_internal()** tells whether the library made the map
 * for the object's global data.
 * @param map the map
 * @return true for .data, .rodata, .bss and their dotted variants
 */
LIBBPF_API bool bpf_map__is_internal(const struct bpf_map *map);

/**
 * @brief **bpf_map__autocreate()** tells whether load creates the map.
 * @param map the map
 * @return true by default
 */
LIBBPF_API bool bpf_map__autocreate(const struct bpf_map *map);

/**
 * @brief **bpf_map__set_autocreate()** chooses whether load creates the
 * map; programs using a map that is not created fail to load.
 * @param map the map
 * @param autocreate false to skip it
 * @return 0; -EBUSY once created
 */
LIBBPF_API int bpf_map__set_autocreate(struct bpf_map *map, bool autocreate);

/**
 * @brief **bpf_map__autoattach()** tells whether skeleton attach attaches
 * the map (struct_ops maps).
 * @param map the map
 * @return true by default
 */
LIBBPF_API bool bpf_map__autoattach(const struct bpf_map *map);

/**
 * @brief **bpf_map__set_autoattach()** chooses whether skeleton attach
 * attaches the map.
 * @param map the map
 * @param autoattach false to skip it
 * @return 0
 */
LIBBPF_API int bpf_map__set_autoattach(struct bpf_map *map, bool autoattach);

/**
 * @brief **bpf_map__initial_value()** gives the contents of a global data
 * map: before load the object's copy, which load writes into the map;
 * after load, for a memory-mapped map, the map's live memory at the same
 * address (read-only for .rodata), so a pointer taken before load keeps
 * working.
 * @param map the map
 * @param psize receives the size in bytes; may be NULL
 * @return the bytes; NULL for a map that is not global data
 */
LIBBPF_API void *bpf_map__initial_value(const struct bpf_map *map, size_t *psize);

/**
 * @brief **bpf_map__set_initial_value()** replaces the contents of a
 * global data map before load.
 * @param map the map
 * @param data the new bytes
 * @param size their size, which must equal the value size
 * @return 0; -EINVAL for a size mismatch or a map without data; -EBUSY once
 * created
 */
LIBBPF_API int bpf_map__set_initial_value(struct bpf_map *map, const void *data, size_t size);

/**
 * @brief **bpf_map__set_pin_path()** sets where load pins the map (and
 * looks for a pinned map to reuse).
 * @param map the map
 * @param path path in a BPF file system; NULL to not pin
 * @return 0; negative error code on error
 */
LIBBPF_API int bpf_map__set_pin_path(struct bpf_map *map, const char *path);

/**
 * @brief **bpf_map__pin_path()** gives the pin path: set by
 * **bpf_map__set_pin_path()**, or <pin_root_path>/<name> for
 * LIBBPF_PIN_BY_NAME maps.
 * @param map the map
 * @return the path; NULL when the map is not to be pinned
 */
LIBBPF_API const char *bpf_map__pin_path(const struct bpf_map *map);

/**
 * @brief **bpf_map__get_pin_path()** is the old name of
 * **bpf_map__pin_path()**.
 * @param map the map
 * @return the path; NULL when the map is not to be pinned
 */
LIBBPF_API const char *bpf_map__get_pin_path(const struct bpf_map *map);

/**
 * @brief **bpf_map__is_pinned()** tells whether the map is pinned.
 * @param map the map
 * @return true once pinned (never before load)
 */
LIBBPF_API bool bpf_map__is_pinned(const struct bpf_map *map);

/**
 * @brief **bpf_map__inner_map()** gives the inner-map template of a
 * map-in-map declared with __array(values, ...).
 * @param map the outer map
 * @return the template map; NULL with errno EINVAL when there is none
 */
LIBBPF_API struct bpf_map *bpf_map__inner_map(struct bpf_map *map);

/**
 * @brief **bpf_map__set_inner_map_fd()** gives a map-in-map an existing
 * map as inner-map template, replacing the declared one.
 * @param map the outer map
 * @param fd fd of the template map
 * @return 0; -EINVAL when @p map is not a map-in-map or already has one
 */
LIBBPF_API int bpf_map__set_inner_map_fd(struct bpf_map *map, int fd);

/**
 * @brief **bpf_map__pin()** pins the created map at @p path (or at its pin
 * path when @p path is NULL). Pinning again at the same path is a no-op.
 * @param map the map
 * @param path path in a BPF file system; NULL for the map's pin path
 * @return 0; -EINVAL when already pinned at another path; -EEXIST when
 * something else is at @p path; negative error code on other errors
 */
LIBBPF_API int bpf_map__pin(struct bpf_map *map, const char *path);

/**
 * @brief **bpf_map__unpin()** removes the map's pin.
 * @param map the map
 * @param path the pin's path, which must match the map's pin path if it
 * has one; NULL for the map's pin path
 * @return 0; negative error code on error
 */
LIBBPF_API int bpf_map__unpin(struct bpf_map *map, const char *path);

/**
 * @brief **bpf_map__lookup_elem()** looks an element up, checking the
 * buffer sizes against the map's definition first.
 * @param map the created map
 * @param key the key, @p key_sz bytes (the map's key size)
 * @param key_sz size of @p key
 * @param value buffer for the value, @p value_sz bytes (the value size, or
 * value size rounded up to 8 times the possible CPUs for per-CPU maps)
 * @param value_sz size of @p value
 * @param flags BPF_F_LOCK and the like
 * @return 0; -EINVAL for a size mismatch, -ENOENT when absent, negative
 * error code otherwise
 */
LIBBPF_API int bpf_map__lookup_elem(const struct bpf_map *map, const void *key, size_t key_sz,
				    void *value, size_t value_sz, __u64 flags);

/**
 * @brief **bpf_map__update_elem()** creates or updates an element, with the
 * size checks of **bpf_map__lookup_elem()**.
 * @param map the created map
 * @param key the key
 * @param key_sz size of @p key
 * @param value the value
 * @param value_sz size of @p value
 * @param flags BPF_ANY, BPF_NOEXIST, BPF_EXIST, BPF_F_LOCK
 * @return 0; negative error code on error
 */
LIBBPF_API int bpf_map__update_elem(const struct bpf_map *map, const void *key, size_t key_sz,
				    const void *value, size_t value_sz, __u64 flags);

/**
 * @brief **bpf_map__delete_elem()** deletes an element, checking the key
 * size first.
 * @param map the created map
 * @param key the key
 * @param key_sz size of @p key
 * @param flags 0 (reserved)
 * @return 0; negative error code on error
 */
LIBBPF_API int bpf_map__delete_elem(const struct bpf_map *map, const void *key, size_t key_sz,
				    __u64 flags);

/**
 * @brief **bpf_map__lookup_and_delete_elem()** looks an element up and
 * deletes it (pops it from a queue or stack, whose key is NULL with size
 * 0), with the size checks of **bpf_map__lookup_elem()**.
 * @param map the created map
 * @param key the key
 * @param key_sz size of @p key
 * @param value buffer for the value
 * @param value_sz size of @p value
 * @param flags 0 or BPF_F_LOCK
 * @return 0; negative error code on error
 */
LIBBPF_API int bpf_map__lookup_and_delete_elem(const struct bpf_map *map, const void *key,
					       size_t key_sz, void *value, size_t value_sz,
					       __u64 flags);

/**
 * @brief **bpf_map__get_next_key()** gives the key after @p cur_key (the
 * first key when @p cur_key is NULL), checking the key size first.
 * @param map the created map
 * @param cur_key the current key, or NULL
 * @param next_key buffer for the next key
 * @param key_sz size of both keys
 * @return 0; -ENOENT after the last key; negative error code on error
 */
LIBBPF_API int bpf_map__get_next_key(const struct bpf_map *map, const void *cur_key,
				     void *next_key, size_t key_sz);

/* ---- struct_ops maps -------------------------------------------------- */

/*
 * Each variable of a SEC(".struct_ops") or SEC(".struct_ops.link") section
 * is a BPF_MAP_TYPE_STRUCT_OPS map named after the variable. Its type is a
 * kernel "ops" struct (tcp_congestion_ops, ...; a ___flavor suffix is
 * dropped), found in the kernel's BTF at load. Function-pointer members
 * name SEC("struct_ops/...") programs. Before load,
 * bpf_map__initial_value() gives the variable in the object's own layout,
 * where each function-pointer member holds a `struct bpf_program *` (or
 * NULL) that may be replaced by another struct_ops program of the object.
 */

/**
 * @brief **bpf_map__attach_struct_ops()** registers a loaded struct_ops map
 * with the kernel. A .struct_ops map is registered by writing its value and
 * unregistered when the link is destroyed; a .struct_ops.link map gets a
 * BPF link, which bpf_link__update_map() can move to another map.
 * @param map a struct_ops map of a loaded object
 * @return the link, or NULL with errno set (EINVAL for another kind of map
 * or an object not loaded; the kernel's error otherwise)
 */
LIBBPF_API struct bpf_link *bpf_map__attach_struct_ops(const struct bpf_map *map);

struct bpf_prog_assoc_struct_ops_opts; /* <bpf/bpf.h> */

/**
 * @brief **bpf_program__assoc_struct_ops()** associates a loaded program
 * that is not itself a struct_ops program with a struct_ops map, so that
 * kfuncs it calls can find the struct_ops instance it works for
 * (BPF_PROG_ASSOC_STRUCT_OPS).
 * @param prog a loaded program of any type except struct_ops
 * @param map a created struct_ops map
 * @param opts options (flags); may be NULL
 * @return 0; -EINVAL for a struct_ops program, a map that is not a
 * struct_ops map, or a program or map not loaded (all checked before any
 * system call); -EOPNOTSUPP when the kernel lacks the command; the
 * kernel's error otherwise
 */
LIBBPF_API int bpf_program__assoc_struct_ops(struct bpf_program *prog, struct bpf_map *map,
					     struct bpf_prog_assoc_struct_ops_opts *opts);

/* ---- Links ------------------------------------------------------------ */

/*
 * A struct bpf_link is an attachment the caller owns: destroying it
 * detaches (unless disconnected) and frees it. Most links are kernel BPF
 * links with an fd of their own; they can be pinned in a BPF file system,
 * where they outlive the process, and reopened with bpf_link__open().
 */

/**
 * @brief **bpf_link__fd()** gives the fd that represents the link.
 * @param link the link
 * @return the fd (for a .struct_ops map's link, an fd of the map); -EINVAL
 * for a NULL link
 */
LIBBPF_API int bpf_link__fd(const struct bpf_link *link);

/**
 * @brief **bpf_link__pin()** pins the link in a BPF file system, so that
 * it stays attached after its last fd is closed.
 * @param link the link
 * @param path a new file in a BPF file system
 * @return 0; -EBUSY if the link is pinned already; a negative error code
 * from the kernel otherwise
 */
LIBBPF_API int bpf_link__pin(struct bpf_link *link, const char *path);

/**
 * @brief **bpf_link__unpin()** removes the pin bpf_link__pin() or
 * bpf_link__open() gave the link.
 * @param link the link
 * @return 0; -EINVAL if the link has no pin; negative error code otherwise
 */
LIBBPF_API int bpf_link__unpin(struct bpf_link *link);

/**
 * @brief **bpf_link__pin_path()** tells where the link is pinned.
 * @param link the link
 * @return the path, or NULL if the link is not pinned
 */
LIBBPF_API const char *bpf_link__pin_path(const struct bpf_link *link);

/**
 * @brief **bpf_link__open()** opens a link pinned at @p path (perhaps by
 * another process). Destroying the returned link only closes its fd: the
 * pinned link stays attached until unpinned.
 * @param path the pin
 * @return the link, or NULL with errno set (ENOENT for no pin; the
 * kernel's error if the pin is not a link)
 */
LIBBPF_API struct bpf_link *bpf_link__open(const char *path);

/**
 * @brief **bpf_link__update_program()** replaces the program of a BPF link
 * by another of the same type (BPF_LINK_UPDATE).
 * @param link the link
 * @param prog a loaded program
 * @return 0; -EINVAL for a program not loaded; the kernel's error otherwise
 */
LIBBPF_API int bpf_link__update_program(struct bpf_link *link, struct bpf_program *prog);

/**
 * @brief **bpf_link__update_map()** moves a .struct_ops.link map's link to
 * another struct_ops map of the same type: its callbacks replace the old
 * map's without a moment with neither registered.
 * @param link a link from bpf_map__attach_struct_ops() of a .struct_ops.link
 * map
 * @param map a struct_ops map of a loaded object
 * @return 0; -EINVAL for another kind of link or map; the kernel's error
 * otherwise
 */
LIBBPF_API int bpf_link__update_map(struct bpf_link *link, const struct bpf_map *map);

/**
 * @brief **bpf_link__detach()** detaches a BPF link in the kernel
 * (BPF_LINK_DETACH) while its fd stays open: the link, and any pin of it,
 * then hold nothing.
 * @param link the link
 * @return 0; negative error code from the kernel
 */
LIBBPF_API int bpf_link__detach(struct bpf_link *link);

/**
 * @brief **bpf_link__disconnect()** lets the attachment outlive the link:
 * bpf_link__destroy() then frees the link without detaching it, leaving
 * its fd open (a BPF link stays attached as long as the process, or its
 * pin, lives).
 * @param link the link
 */
LIBBPF_API void bpf_link__disconnect(struct bpf_link *link);

/**
 * @brief **bpf_link__destroy()** detaches the link (unless disconnected)
 * and frees it. NULL and legacy error pointers are accepted and ignored.
 * @param link the link
 * @return 0; the negative error code of detaching (the link is freed
 * anyway)
 */
LIBBPF_API int bpf_link__destroy(struct bpf_link *link);

/* ======================================================================
 * Attaching tracing programs (bpf_program__attach and the tracepoint, raw
 * tracepoint, BTF tracing, LSM, freplace, iterator, perf event, kprobe,
 * ksyscall, kprobe.multi, uprobe and uprobe.multi families).
 *
 * Every function here takes a loaded program and returns a link the caller
 * owns (NULL with errno set on failure, after a message through the print
 * callback naming the program and the target).
 * ====================================================================== */

/**
 * @brief **bpf_program__attach()** attaches a loaded program where its
 * section name says: "tp/sched/sched_switch", "raw_tp/sys_enter",
 * "uprobe/path:func", "kprobe/func+off", "iter/task", fentry/fexit/lsm and
 * the like. A program of a custom section handler is attached by its
 * handler's prog_attach_fn.
 * @param prog a loaded program
 * @return the link; NULL with errno EOPNOTSUPP when the section names no
 * target (e.g. a bare SEC("raw_tp") or a networking hook), EINVAL when
 * the program is not loaded, another errno from the kernel
 */
LIBBPF_API struct bpf_link *bpf_program__attach(const struct bpf_program *prog);

/** @brief Options of **bpf_program__attach_perf_event_opts()**. */
struct bpf_perf_event_opts {
	/** size of this struct, set by LIBBPF_OPTS() */
	size_t sz;
	/** value bpf_get_attach_cookie() returns to the program */
	__u64 bpf_cookie;
	/** attach with PERF_EVENT_IOC_SET_BPF even where a BPF link could be
	 *  made (no cookie then) */
	bool force_ioctl_attach;
	size_t :0;
};
#define bpf_perf_event_opts__last_field force_ioctl_attach
BPFXX_OPTS_KNOWN_SIZE_(bpf_perf_event_opts)

/**
 * @brief **bpf_program__attach_perf_event()** runs the program on every
 * overflow or hit of a perf event the caller opened with
 * perf_event_open(2).
 * @param prog a loaded program (perf_event, kprobe or tracepoint type)
 * @param pfd the perf event's fd; the link owns it once this succeeds and
 * closes it when destroyed
 * @return the link, or NULL with errno set (the caller still owns @p pfd)
 */
LIBBPF_API struct bpf_link *bpf_program__attach_perf_event(const struct bpf_program *prog, int pfd);

/**
 * @brief **bpf_program__attach_perf_event_opts()** is
 * **bpf_program__attach_perf_event()** with a BPF cookie or a forced ioctl
 * attachment.
 * @param prog a loaded program
 * @param pfd the perf event's fd (owned by the link on success)
 * @param opts options; may be NULL
 * @return the link, or NULL with errno set
 */
LIBBPF_API struct bpf_link *
bpf_program__attach_perf_event_opts(const struct bpf_program *prog, int pfd,
				    const struct bpf_perf_event_opts *opts);

/** @brief How a kprobe or uprobe is created and attached. */
enum probe_attach_mode {
	/** the best the kernel offers */
	PROBE_ATTACH_MODE_DEFAULT = 0,
	/** a tracefs kprobe_events / uprobe_events entry, attached by ioctl */
	PROBE_ATTACH_MODE_LEGACY,
	/** a perf event of the probe PMU, attached by ioctl */
	PROBE_ATTACH_MODE_PERF,
	/** a perf event of the probe PMU, attached with a BPF link */
	PROBE_ATTACH_MODE_LINK,
};

/** @brief Options of **bpf_program__attach_kprobe_opts()**. */
struct bpf_kprobe_opts {
	/** size of this struct, set by LIBBPF_OPTS() */
	size_t sz;
	/** value bpf_get_attach_cookie() returns to the program */
	__u64 bpf_cookie;
	/** byte offset into the function to probe */
	size_t offset;
	/** probe the function's return instead of its entry */
	bool retprobe;
	/** how the probe is made */
	enum probe_attach_mode attach_mode;
	size_t :0;
};
#define bpf_kprobe_opts__last_field attach_mode
BPFXX_OPTS_KNOWN_SIZE_(bpf_kprobe_opts)

/**
 * @brief **bpf_program__attach_kprobe()** attaches a kprobe program to the
 * entry (or the return) of a kernel function.
 * @param prog a loaded kprobe program
 * @param retprobe true for a return probe
 * @param func_name the kernel function
 * @return the link, or NULL with errno set (EOPNOTSUPP on a kernel without
 * kprobes)
 */
LIBBPF_API struct bpf_link *bpf_program__attach_kprobe(const struct bpf_program *prog, bool retprobe,
						      const char *func_name);

/**
 * @brief **bpf_program__attach_kprobe_opts()** is
 * **bpf_program__attach_kprobe()** with an offset, a cookie and a mode.
 * @param prog a loaded kprobe program
 * @param func_name the kernel function
 * @param opts options; may be NULL
 * @return the link, or NULL with errno set
 */
LIBBPF_API struct bpf_link *bpf_program__attach_kprobe_opts(const struct bpf_program *prog,
							   const char *func_name,
							   const struct bpf_kprobe_opts *opts);

/** @brief Options of **bpf_program__attach_kprobe_multi_opts()**. */
struct bpf_kprobe_multi_opts {
	/** size of this struct, set by LIBBPF_OPTS() */
	size_t sz;
	/** kernel function names (instead of a pattern) */
	const char **syms;
	/** kernel function addresses (instead of a pattern or names) */
	const unsigned long *addrs;
	/** one value per function for bpf_get_attach_cookie(); may be NULL */
	const __u64 *cookies;
	/** number of entries of @ref syms or @ref addrs (and cookies) */
	size_t cnt;
	/** return probes */
	bool retprobe;
	/** session probes: entry and return run the same program */
	bool session;
	/** fail unless the pattern matches exactly one function */
	bool unique_match;
	size_t :0;
};
#define bpf_kprobe_multi_opts__last_field unique_match
BPFXX_OPTS_KNOWN_SIZE_(bpf_kprobe_multi_opts)

/**
 * @brief **bpf_program__attach_kprobe_multi_opts()** attaches one program
 * to many kernel functions in a single link: those matching a glob
 * @p pattern (from tracefs available_filter_functions), or the names or
 * addresses in @p opts.
 * @param prog a loaded kprobe.multi program
 * @param pattern glob with '*' and '?'; NULL when @p opts lists targets
 * @param opts options; may be NULL with a pattern
 * @return the link, or NULL with errno set
 */
LIBBPF_API struct bpf_link *
bpf_program__attach_kprobe_multi_opts(const struct bpf_program *prog, const char *pattern,
				      const struct bpf_kprobe_multi_opts *opts);

/** @brief Options of **bpf_program__attach_ksyscall()**. */
struct bpf_ksyscall_opts {
	/** size of this struct, set by LIBBPF_OPTS() */
	size_t sz;
	/** value bpf_get_attach_cookie() returns to the program */
	__u64 bpf_cookie;
	/** probe the syscall's return */
	bool retprobe;
	size_t :0;
};
#define bpf_ksyscall_opts__last_field retprobe
BPFXX_OPTS_KNOWN_SIZE_(bpf_ksyscall_opts)

/**
 * @brief **bpf_program__attach_ksyscall()** puts a kprobe on the kernel
 * entry point of a syscall, named as this kernel names it
 * (__x64_sys_<name> with syscall wrappers, __se_sys_<name> without).
 * Compat and 32-bit entry points are not covered.
 * @param prog a loaded kprobe program
 * @param syscall_name the syscall ("getpid")
 * @param opts options; may be NULL
 * @return the link, or NULL with errno set
 */
LIBBPF_API struct bpf_link *bpf_program__attach_ksyscall(const struct bpf_program *prog,
							const char *syscall_name,
							const struct bpf_ksyscall_opts *opts);

/** @brief Options of **bpf_program__attach_uprobe_opts()**. */
struct bpf_uprobe_opts {
	/** size of this struct, set by LIBBPF_OPTS() */
	size_t sz;
	/** file offset of a reference counter (USDT semaphore) the kernel
	 *  increments while the probe exists; 0 for none */
	size_t ref_ctr_offset;
	/** value bpf_get_attach_cookie() returns to the program */
	__u64 bpf_cookie;
	/** probe the function's return */
	bool retprobe;
	/** function to probe, found in the file's symbols ("name" or
	 *  "name@VERSION"); the func_offset argument is then an offset into it */
	const char *func_name;
	/** how the probe is made */
	enum probe_attach_mode attach_mode;
	size_t :0;
};
#define bpf_uprobe_opts__last_field attach_mode
BPFXX_OPTS_KNOWN_SIZE_(bpf_uprobe_opts)

/**
 * @brief **bpf_program__attach_uprobe()** attaches a uprobe program at a
 * file offset of an executable or shared library.
 * @param prog a loaded uprobe (kprobe type) program
 * @param retprobe true for a return probe
 * @param pid process to trace; 0 for this one, -1 for all
 * @param binary_path the file; a bare library name ("libc.so.6") is looked
 * up like the dynamic loader does, a bare program name on PATH
 * @param func_offset file offset of the probed instruction
 * @return the link, or NULL with errno set
 */
LIBBPF_API struct bpf_link *bpf_program__attach_uprobe(const struct bpf_program *prog, bool retprobe,
						      pid_t pid, const char *binary_path,
						      size_t func_offset);

/**
 * @brief **bpf_program__attach_uprobe_opts()** is
 * **bpf_program__attach_uprobe()** with a function name, a cookie, a
 * reference counter and a mode.
 * @param prog a loaded uprobe program
 * @param pid process to trace; 0 for this one, -1 for all
 * @param binary_path the file (see **bpf_program__attach_uprobe()**)
 * @param func_offset file offset, or offset into opts->func_name
 * @param opts options; may be NULL
 * @return the link, or NULL with errno set (ENOENT for an unknown function)
 */
LIBBPF_API struct bpf_link *bpf_program__attach_uprobe_opts(const struct bpf_program *prog, pid_t pid,
							   const char *binary_path, size_t func_offset,
							   const struct bpf_uprobe_opts *opts);

/** @brief Options of **bpf_program__attach_uprobe_multi()**. */
struct bpf_uprobe_multi_opts {
	/** size of this struct, set by LIBBPF_OPTS() */
	size_t sz;
	/** function names (instead of a pattern) */
	const char **syms;
	/** file offsets (instead of a pattern or names) */
	const unsigned long *offsets;
	/** reference counter offsets, one per probe; may be NULL */
	const unsigned long *ref_ctr_offsets;
	/** one value per probe for bpf_get_attach_cookie(); may be NULL */
	const __u64 *cookies;
	/** number of entries of the arrays */
	size_t cnt;
	/** return probes */
	bool retprobe;
	/** session probes */
	bool session;
	size_t :0;
};
#define bpf_uprobe_multi_opts__last_field session
BPFXX_OPTS_KNOWN_SIZE_(bpf_uprobe_multi_opts)

/**
 * @brief **bpf_program__attach_uprobe_multi()** attaches one program to
 * many functions of a file in a single link (6.6+).
 * @param prog a loaded uprobe.multi program
 * @param pid process to trace; 0 or -1 for all
 * @param binary_path the file
 * @param func_pattern glob over the file's function names; NULL when
 * @p opts lists the targets
 * @param opts options; may be NULL with a pattern
 * @return the link, or NULL with errno set
 */
LIBBPF_API struct bpf_link *
bpf_program__attach_uprobe_multi(const struct bpf_program *prog, pid_t pid, const char *binary_path,
				 const char *func_pattern, const struct bpf_uprobe_multi_opts *opts);

/** @brief Options of **bpf_program__attach_usdt()**. */
struct bpf_usdt_opts {
	/** size of this struct, set by LIBBPF_OPTS() */
	size_t sz;
	/** value bpf_usdt_cookie() of <bpf/usdt.bpf.h> returns to the program
	 *  (the BPF cookie itself is used for the probe's argument spec) */
	__u64 usdt_cookie;
	size_t :0;
};
#define bpf_usdt_opts__last_field usdt_cookie
BPFXX_OPTS_KNOWN_SIZE_(bpf_usdt_opts)

/**
 * @brief **bpf_program__attach_usdt()** attaches a program to every site
 * of a USDT probe (a SystemTap SDT note in .note.stapsdt) of an executable
 * or shared library. The program must include <bpf/usdt.bpf.h>: the
 * probe's argument specs go into that header's maps, so BPF_USDT() and
 * bpf_usdt_arg() see the argument values. Probe semaphores are counted up
 * while the link exists. One uprobe.multi link covers all sites when the
 * program is loaded as uprobe.multi, else one uprobe per site.
 * @param prog a loaded usdt program
 * @param pid process to trace; 0 for this one, -1 for all
 * @param binary_path the file (a bare library name is looked up as by
 * **bpf_program__attach_uprobe()**)
 * @param usdt_provider the probe's provider
 * @param usdt_name the probe's name
 * @param opts options; may be NULL
 * @return the link, or NULL with errno set (ENOENT: no such probe; ESRCH:
 * the object lacks usdt.bpf.h's maps; E2BIG: no free spec slot)
 */
LIBBPF_API struct bpf_link *bpf_program__attach_usdt(const struct bpf_program *prog, pid_t pid,
						    const char *binary_path, const char *usdt_provider,
						    const char *usdt_name, const struct bpf_usdt_opts *opts);

/** @brief Options of **bpf_program__attach_tracing_multi()**. */
struct bpf_tracing_multi_opts {
	/** size of this struct, set by LIBBPF_OPTS() */
	size_t sz;
	/** BTF ids of the kernel functions (instead of a pattern) */
	const __u32 *ids;
	/** one value per function for bpf_get_attach_cookie(); may be NULL */
	const __u64 *cookies;
	/** number of entries of ids (and cookies) */
	size_t cnt;
	size_t :0;
};
#define bpf_tracing_multi_opts__last_field cnt
BPFXX_OPTS_KNOWN_SIZE_(bpf_tracing_multi_opts)

/**
 * @brief **bpf_program__attach_tracing_multi()** attaches a fentry.multi,
 * fexit.multi or fsession.multi program to many kernel functions in one
 * link (BPF_LINK_TYPE_TRACING_MULTI), named by a glob over vmlinux BTF
 * function names or by BTF ids ("module:pattern" is refused with
 * -EOPNOTSUPP: module functions are not supported yet).
 * @param prog a loaded multi-function tracing program
 * @param pattern glob ('*', '?'); NULL when @p opts lists ids
 * @param opts options; may be NULL with a pattern
 * @return the link, or NULL with errno set (ENOENT: nothing matches;
 * EOPNOTSUPP: the kernel has no tracing multi links)
 */
LIBBPF_API struct bpf_link *
bpf_program__attach_tracing_multi(const struct bpf_program *prog, const char *pattern,
				  const struct bpf_tracing_multi_opts *opts);

/** @brief Options of **bpf_program__attach_tracepoint_opts()**. */
struct bpf_tracepoint_opts {
	/** size of this struct, set by LIBBPF_OPTS() */
	size_t sz;
	/** value bpf_get_attach_cookie() returns to the program */
	__u64 bpf_cookie;
};
#define bpf_tracepoint_opts__last_field bpf_cookie
BPFXX_OPTS_KNOWN_SIZE_(bpf_tracepoint_opts)

/**
 * @brief **bpf_program__attach_tracepoint()** attaches a program to a
 * kernel tracepoint (tracefs events/<category>/<name>); tracefs is mounted
 * at /sys/kernel/tracing if it is nowhere.
 * @param prog a loaded tracepoint program
 * @param tp_category the category ("syscalls")
 * @param tp_name the tracepoint ("sys_enter_getpid")
 * @return the link, or NULL with errno set (ENOENT: no such tracepoint)
 */
LIBBPF_API struct bpf_link *bpf_program__attach_tracepoint(const struct bpf_program *prog,
							  const char *tp_category, const char *tp_name);

/**
 * @brief **bpf_program__attach_tracepoint_opts()** is
 * **bpf_program__attach_tracepoint()** with a BPF cookie.
 * @param prog a loaded tracepoint program
 * @param tp_category the category
 * @param tp_name the tracepoint
 * @param opts options; may be NULL
 * @return the link, or NULL with errno set
 */
LIBBPF_API struct bpf_link *
bpf_program__attach_tracepoint_opts(const struct bpf_program *prog, const char *tp_category,
				    const char *tp_name, const struct bpf_tracepoint_opts *opts);

/** @brief Options of **bpf_program__attach_raw_tracepoint_opts()**. */
struct bpf_raw_tracepoint_opts {
	/** size of this struct, set by LIBBPF_OPTS() */
	size_t sz;
	/** value bpf_get_attach_cookie() returns (kernel 6.10+) */
	__u64 cookie;
};
#define bpf_raw_tracepoint_opts__last_field cookie
BPFXX_OPTS_KNOWN_SIZE_(bpf_raw_tracepoint_opts)

/**
 * @brief **bpf_program__attach_raw_tracepoint()** attaches a raw
 * tracepoint program to the named tracepoint.
 * @param prog a loaded raw_tp program
 * @param tp_name the tracepoint ("sys_enter")
 * @return the link, or NULL with errno set
 */
LIBBPF_API struct bpf_link *bpf_program__attach_raw_tracepoint(const struct bpf_program *prog,
							      const char *tp_name);

/**
 * @brief **bpf_program__attach_raw_tracepoint_opts()** is
 * **bpf_program__attach_raw_tracepoint()** with a BPF cookie (EOPNOTSUPP
 * for a non-zero cookie on kernels that take none).
 * @param prog a loaded raw_tp program
 * @param tp_name the tracepoint
 * @param opts options; may be NULL
 * @return the link, or NULL with errno set
 */
LIBBPF_API struct bpf_link *
bpf_program__attach_raw_tracepoint_opts(const struct bpf_program *prog, const char *tp_name,
					struct bpf_raw_tracepoint_opts *opts);

/** @brief Options of **bpf_program__attach_trace_opts()**. */
struct bpf_trace_opts {
	/** size of this struct, set by LIBBPF_OPTS() */
	size_t sz;
	/** value bpf_get_attach_cookie() returns to the program */
	__u64 cookie;
};
#define bpf_trace_opts__last_field cookie
BPFXX_OPTS_KNOWN_SIZE_(bpf_trace_opts)

/**
 * @brief **bpf_program__attach_trace()** attaches a tp_btf, fentry, fexit
 * or fmod_ret program to the target it was loaded for.
 * @param prog a loaded tracing program
 * @return the link, or NULL with errno set
 */
LIBBPF_API struct bpf_link *bpf_program__attach_trace(const struct bpf_program *prog);

/**
 * @brief **bpf_program__attach_trace_opts()** is
 * **bpf_program__attach_trace()** with a BPF cookie.
 * @param prog a loaded tracing program
 * @param opts options; may be NULL
 * @return the link, or NULL with errno set
 */
LIBBPF_API struct bpf_link *bpf_program__attach_trace_opts(const struct bpf_program *prog,
							  const struct bpf_trace_opts *opts);

/**
 * @brief **bpf_program__attach_lsm()** attaches an LSM program to the
 * security hook it was loaded for.
 * @param prog a loaded lsm program
 * @return the link, or NULL with errno set
 */
LIBBPF_API struct bpf_link *bpf_program__attach_lsm(const struct bpf_program *prog);

/**
 * @brief **bpf_program__attach_freplace()** makes a freplace program stand
 * in for a global function of another BPF program.
 * @param prog a loaded freplace (BPF_PROG_TYPE_EXT) program
 * @param target_fd fd of the program whose function is replaced; 0 for the
 * target given at load (bpf_program__set_attach_target())
 * @param attach_func_name the function replaced; NULL with @p target_fd 0
 * @return the link, or NULL with errno set
 */
LIBBPF_API struct bpf_link *bpf_program__attach_freplace(const struct bpf_program *prog, int target_fd,
							const char *attach_func_name);

/** @brief Options of **bpf_program__attach_iter()**. */
struct bpf_iter_attach_opts {
	/** size of this struct, set by LIBBPF_OPTS() */
	size_t sz;
	/** what to iterate over (a map, a cgroup, a task); may be NULL */
	union bpf_iter_link_info *link_info;
	/** size of *link_info in bytes */
	__u32 link_info_len;
};
#define bpf_iter_attach_opts__last_field link_info_len
BPFXX_OPTS_KNOWN_SIZE_(bpf_iter_attach_opts)

/**
 * @brief **bpf_program__attach_iter()** makes an iterator link; each
 * bpf_iter_create() on its fd starts a pass whose output is read from the
 * returned fd.
 * @param prog a loaded iter program
 * @param opts options; may be NULL
 * @return the link, or NULL with errno set
 */
LIBBPF_API struct bpf_link *bpf_program__attach_iter(const struct bpf_program *prog,
						    const struct bpf_iter_attach_opts *opts);

/* ======================================================================
 * Attaching to cgroups and network hooks (bpf_program__attach_cgroup,
 * _xdp, _tcx, _netkit, _netfilter, _netns, _sockmap) and XDP through
 * netlink (bpf_xdp_*).
 *
 * None of these hooks can be found from the section name alone (a cgroup,
 * a device or a map is needed), so bpf_program__attach() leaves them out;
 * they are attached here, each as a BPF link that detaches when destroyed.
 * ====================================================================== */

/**
 * @brief **bpf_program__attach_cgroup()** attaches a loaded cgroup program
 * (cgroup_skb, cgroup/sock_create, cgroup/connect4, sockops, cgroup/sysctl
 * ...) to a cgroup v2 directory as a BPF link, at the program's expected
 * attach type. Programs of the cgroup's descendants keep running too.
 * @param prog the program
 * @param cgroup_fd fd of the cgroup directory (open with O_RDONLY)
 * @return the link; NULL with errno set on error
 */
LIBBPF_API struct bpf_link *
bpf_program__attach_cgroup(const struct bpf_program *prog, int cgroup_fd);

/**
 * @brief Options of **bpf_program__attach_cgroup_opts()**: where the new
 * link goes among the cgroup's programs of the same hook.
 */
struct bpf_cgroup_opts {
	/** size of this struct, set by LIBBPF_OPTS() */
	size_t sz;
	/** BPF_F_BEFORE or BPF_F_AFTER (with an anchor below), BPF_F_ID */
	__u32 flags;
	/** fd of the program or link the new one goes before or after */
	__u32 relative_fd;
	/** id of that program or link instead of an fd */
	__u32 relative_id;
	/** the hook's revision the caller expects (0: any); -ESTALE if it moved */
	__u64 expected_revision;
	size_t :0;
};
#define bpf_cgroup_opts__last_field expected_revision
BPFXX_OPTS_KNOWN_SIZE_(bpf_cgroup_opts)

/**
 * @brief **bpf_program__attach_cgroup_opts()** is
 * **bpf_program__attach_cgroup()** with an ordering among the hook's
 * programs.
 * @param prog the program
 * @param cgroup_fd fd of the cgroup directory
 * @param opts options, or NULL
 * @return the link; NULL with errno set on error
 */
LIBBPF_API struct bpf_link *
bpf_program__attach_cgroup_opts(const struct bpf_program *prog, int cgroup_fd,
				const struct bpf_cgroup_opts *opts);

/**
 * @brief **bpf_program__attach_xdp()** attaches a loaded XDP program to a
 * network device as a BPF link (the kernel picks native mode when the
 * driver has it, generic otherwise). A device holds one XDP link.
 * @param prog the program
 * @param ifindex index of the device
 * @return the link; NULL with errno set on error (EBUSY when a program is
 * already attached through netlink or another link)
 */
LIBBPF_API struct bpf_link *
bpf_program__attach_xdp(const struct bpf_program *prog, int ifindex);

/**
 * @brief Options of **bpf_program__attach_tcx()**: the new program's place
 * among the device's tcx programs of the same direction.
 */
struct bpf_tcx_opts {
	/** size of this struct, set by LIBBPF_OPTS() */
	size_t sz;
	/** BPF_F_BEFORE or BPF_F_AFTER (with an anchor below), BPF_F_ID */
	__u32 flags;
	/** fd of the program or link the new one goes before or after */
	__u32 relative_fd;
	/** id of that program or link instead of an fd */
	__u32 relative_id;
	/** the hook's revision the caller expects (0: any) */
	__u64 expected_revision;
	size_t :0;
};
#define bpf_tcx_opts__last_field expected_revision
BPFXX_OPTS_KNOWN_SIZE_(bpf_tcx_opts)

/**
 * @brief **bpf_program__attach_tcx()** attaches a loaded tc program
 * (section tcx/ingress or tcx/egress) to a device's ingress or egress as a
 * BPF link; several programs run in order, each returning TCX_NEXT to go
 * on.
 * @param prog the program
 * @param ifindex index of the device
 * @param opts options, or NULL
 * @return the link; NULL with errno set on error
 */
LIBBPF_API struct bpf_link *
bpf_program__attach_tcx(const struct bpf_program *prog, int ifindex,
			const struct bpf_tcx_opts *opts);

/**
 * @brief Options of **bpf_program__attach_netkit()**, laid out like
 * struct bpf_tcx_opts.
 */
struct bpf_netkit_opts {
	/** size of this struct, set by LIBBPF_OPTS() */
	size_t sz;
	/** BPF_F_BEFORE or BPF_F_AFTER (with an anchor below), BPF_F_ID */
	__u32 flags;
	/** fd of the program or link the new one goes before or after */
	__u32 relative_fd;
	/** id of that program or link instead of an fd */
	__u32 relative_id;
	/** the hook's revision the caller expects (0: any) */
	__u64 expected_revision;
	size_t :0;
};
#define bpf_netkit_opts__last_field expected_revision
BPFXX_OPTS_KNOWN_SIZE_(bpf_netkit_opts)

/**
 * @brief **bpf_program__attach_netkit()** attaches a loaded program
 * (section netkit/primary or netkit/peer) to a netkit device as a BPF link.
 * @param prog the program
 * @param ifindex index of the netkit device (the primary one)
 * @param opts options, or NULL
 * @return the link; NULL with errno set on error
 */
LIBBPF_API struct bpf_link *
bpf_program__attach_netkit(const struct bpf_program *prog, int ifindex,
			   const struct bpf_netkit_opts *opts);

/**
 * @brief Options of **bpf_program__attach_netfilter()**: the hook.
 */
struct bpf_netfilter_opts {
	/** size of this struct, set by LIBBPF_OPTS() */
	size_t sz;
	/** protocol family: NFPROTO_IPV4 or NFPROTO_IPV6 */
	__u32 pf;
	/** hook: NF_INET_PRE_ROUTING, NF_INET_LOCAL_IN ... */
	__u32 hooknum;
	/** priority among the hook's functions (not the reserved extremes) */
	__s32 priority;
	/** BPF_F_NETFILTER_IP_DEFRAG to see reassembled packets */
	__u32 flags;
};
#define bpf_netfilter_opts__last_field flags
BPFXX_OPTS_KNOWN_SIZE_(bpf_netfilter_opts)

/**
 * @brief **bpf_program__attach_netfilter()** attaches a loaded netfilter
 * program to a netfilter hook of the caller's network namespace.
 * @param prog the program
 * @param opts the hook (required)
 * @return the link; NULL with errno set on error
 */
LIBBPF_API struct bpf_link *
bpf_program__attach_netfilter(const struct bpf_program *prog,
			      const struct bpf_netfilter_opts *opts);

/**
 * @brief **bpf_program__attach_netns()** attaches a loaded sk_lookup or
 * flow_dissector program to a network namespace as a BPF link.
 * @param prog the program
 * @param netns_fd fd of the namespace (/proc/self/ns/net or a bind mount)
 * @return the link; NULL with errno set on error
 */
LIBBPF_API struct bpf_link *
bpf_program__attach_netns(const struct bpf_program *prog, int netns_fd);

/**
 * @brief **bpf_program__attach_sockmap()** attaches a loaded sk_msg or
 * sk_skb program to a SOCKMAP or SOCKHASH map as a BPF link, at the
 * program's expected attach type (the section's: sk_msg, sk_skb/verdict,
 * sk_skb/stream_parser ...).
 * @param prog the program
 * @param map_fd fd of the sockmap or sockhash
 * @return the link; NULL with errno set on error
 */
LIBBPF_API struct bpf_link *
bpf_program__attach_sockmap(const struct bpf_program *prog, int map_fd);

/* ---- XDP through netlink --------------------------------------------- */

/**
 * @brief Options of **bpf_xdp_attach()** and **bpf_xdp_detach()**.
 */
struct bpf_xdp_attach_opts {
	/** size of this struct, set by LIBBPF_OPTS() */
	size_t sz;
	/** when not 0, act only if this program is the one attached now
	 *  (XDP_FLAGS_REPLACE) */
	int old_prog_fd;
	size_t :0;
};
#define bpf_xdp_attach_opts__last_field old_prog_fd
BPFXX_OPTS_KNOWN_SIZE_(bpf_xdp_attach_opts)

/**
 * @brief What **bpf_xdp_query()** found; every field is an output.
 */
struct bpf_xdp_query_opts {
	/** size of this struct, set by LIBBPF_OPTS() */
	size_t sz;
	/** id of the program when a single mode has one; 0 otherwise */
	__u32 prog_id;
	/** id of the native-mode program, 0 if none */
	__u32 drv_prog_id;
	/** id of the offloaded program, 0 if none */
	__u32 hw_prog_id;
	/** id of the generic-mode program, 0 if none */
	__u32 skb_prog_id;
	/** XDP_ATTACHED_NONE, _DRV, _SKB, _HW or _MULTI */
	__u8 attach_mode;
	/** the device's NETDEV_XDP_ACT_* features, 0 when the kernel cannot say */
	__u64 feature_flags;
	/** most fragments a zero-copy AF_XDP buffer may have, where reported */
	__u32 xdp_zc_max_segs;
	size_t :0;
};
#define bpf_xdp_query_opts__last_field xdp_zc_max_segs
BPFXX_OPTS_KNOWN_SIZE_(bpf_xdp_query_opts)

/**
 * @brief **bpf_xdp_attach()** sets a device's XDP program through
 * rtnetlink (not a link: it stays until detached or the device goes away).
 * @param ifindex index of the device
 * @param prog_fd fd of the loaded XDP program
 * @param flags XDP_FLAGS_SKB_MODE, XDP_FLAGS_DRV_MODE, XDP_FLAGS_HW_MODE,
 * XDP_FLAGS_UPDATE_IF_NOEXIST, XDP_FLAGS_REPLACE
 * @param opts options, or NULL
 * @return 0; negative error code on error, the kernel's explanation going
 * to the print callback
 */
LIBBPF_API int bpf_xdp_attach(int ifindex, int prog_fd, __u32 flags,
			      const struct bpf_xdp_attach_opts *opts);

/**
 * @brief **bpf_xdp_detach()** removes a device's netlink XDP program.
 * @param ifindex index of the device
 * @param flags the mode the program was attached in, as for attach
 * @param opts options (old_prog_fd to detach only that program), or NULL
 * @return 0; negative error code on error
 */
LIBBPF_API int bpf_xdp_detach(int ifindex, __u32 flags,
			      const struct bpf_xdp_attach_opts *opts);

/**
 * @brief **bpf_xdp_query()** reports the XDP programs of a device, per
 * mode, and its XDP features.
 * @param ifindex index of the device
 * @param flags XDP_FLAGS_* (checked, otherwise unused)
 * @param opts receives the results (required)
 * @return 0; negative error code on error
 */
LIBBPF_API int bpf_xdp_query(int ifindex, int flags, struct bpf_xdp_query_opts *opts);

/**
 * @brief **bpf_xdp_query_id()** gives the id of a device's XDP program.
 * @param ifindex index of the device
 * @param flags one of XDP_FLAGS_SKB_MODE, _DRV_MODE, _HW_MODE to ask for
 * that mode's program; no mode for the single attached one
 * @param prog_id receives the id (0: none)
 * @return 0; negative error code on error (-EINVAL when programs sit in
 * several modes and no mode is named)
 */
LIBBPF_API int bpf_xdp_query_id(int ifindex, int flags, __u32 *prog_id);

/* ---- tc over netlink (clsact, cls_bpf direct action) ------------------ */

/** @brief Where on a device a tc hook is (bits of **struct bpf_tc_hook**). */
enum bpf_tc_attach_point {
	BPF_TC_INGRESS = 1 << 0, /**< the clsact qdisc's ingress */
	BPF_TC_EGRESS  = 1 << 1, /**< the clsact qdisc's egress */
	BPF_TC_CUSTOM  = 1 << 2, /**< a parent the caller names */
};

/** @brief Builds a tc handle from its major and minor halves. */
#define BPF_TC_PARENT(a, b) \
	((((a) << 16) & 0xFFFF0000U) | ((b) & 0x0000FFFFU))

/** @brief Flags of **struct bpf_tc_opts**. */
enum bpf_tc_flags {
	BPF_TC_F_REPLACE = 1 << 0, /**< replace the filter with that handle and priority */
};

/**
 * @brief A tc hook: the device and which of its hooks.
 */
struct bpf_tc_hook {
	/** size of this struct, set by LIBBPF_OPTS() */
	size_t sz;
	/** index of the device */
	int ifindex;
	/** BPF_TC_INGRESS, BPF_TC_EGRESS (both for the qdisc), or BPF_TC_CUSTOM */
	enum bpf_tc_attach_point attach_point;
	/** the parent handle, for BPF_TC_CUSTOM only */
	__u32 parent;
	size_t :0;
};
#define bpf_tc_hook__last_field parent
BPFXX_OPTS_KNOWN_SIZE_(bpf_tc_hook)

/**
 * @brief A tc BPF filter: the program to attach, and the handle and
 * priority that name the filter afterwards.
 */
struct bpf_tc_opts {
	/** size of this struct, set by LIBBPF_OPTS() */
	size_t sz;
	/** fd of the program (attach only) */
	int prog_fd;
	/** BPF_TC_F_REPLACE (attach only) */
	__u32 flags;
	/** output: id of the filter's program */
	__u32 prog_id;
	/** the filter's handle; 0 on attach lets the kernel choose */
	__u32 handle;
	/** the filter's priority (1..65535); 0 on attach lets the kernel choose */
	__u32 priority;
	size_t :0;
};
#define bpf_tc_opts__last_field priority
BPFXX_OPTS_KNOWN_SIZE_(bpf_tc_opts)

/**
 * @brief **bpf_tc_hook_create()** adds the clsact qdisc to a device, which
 * gives it the ingress and egress hooks filters attach to.
 * @param hook the device (attach_point BPF_TC_INGRESS and/or BPF_TC_EGRESS)
 * @return 0; -EEXIST when the device already has it; other negative error
 * codes on error
 */
LIBBPF_API int bpf_tc_hook_create(struct bpf_tc_hook *hook);

/**
 * @brief **bpf_tc_hook_destroy()** removes the clsact qdisc (attach_point
 * BPF_TC_INGRESS | BPF_TC_EGRESS) with every filter on it, or only the
 * filters of one direction.
 * @param hook the device and hook
 * @return 0; negative error code on error
 */
LIBBPF_API int bpf_tc_hook_destroy(struct bpf_tc_hook *hook);

/**
 * @brief **bpf_tc_attach()** adds a cls_bpf filter in direct-action mode
 * (the program's return value is the tc verdict) running @p opts->prog_fd.
 * @param hook the device and a single direction (or a custom parent)
 * @param opts prog_fd, optional handle, priority and BPF_TC_F_REPLACE;
 * receives the handle, priority and prog_id the filter got
 * @return 0; negative error code on error (-EEXIST when a filter with that
 * handle and priority exists and REPLACE was not asked)
 */
LIBBPF_API int bpf_tc_attach(const struct bpf_tc_hook *hook,
			     struct bpf_tc_opts *opts);

/**
 * @brief **bpf_tc_detach()** removes the filter named by handle and
 * priority.
 * @param hook the device and direction
 * @param opts handle and priority; prog_fd, prog_id and flags must be 0
 * @return 0; negative error code on error
 */
LIBBPF_API int bpf_tc_detach(const struct bpf_tc_hook *hook,
			     const struct bpf_tc_opts *opts);

/**
 * @brief **bpf_tc_query()** gives the program id of the filter named by
 * handle and priority.
 * @param hook the device and direction
 * @param opts handle and priority; receives prog_id
 * @return 0; -ENOENT when there is no such filter; negative error code on
 * error
 */
LIBBPF_API int bpf_tc_query(const struct bpf_tc_hook *hook,
			    struct bpf_tc_opts *opts);


/* ======================================================================
 * Ring buffer, user ring buffer and perf buffer (ring_buffer__*, ring__*,
 * user_ring_buffer__*, perf_buffer__*).
 *
 * Consumers and producers of the kernel's three event channels. A
 * ring_buffer, user_ring_buffer or perf_buffer is used by one thread at a
 * time; different ones may be used from different threads.
 * ====================================================================== */

/* ---- BPF ring buffer (BPF_MAP_TYPE_RINGBUF) --------------------------- */

struct ring_buffer;
struct ring;
struct user_ring_buffer;

/**
 * @brief Called once per committed record of a ring buffer, in order.
 * @param ctx the pointer given with the ring
 * @param data the record, valid until the callback returns
 * @param size the record's length in bytes
 * @return 0 (or any non-negative value) to go on; a negative value stops
 * consumption, and the consuming call returns it
 */
typedef int (*ring_buffer_sample_fn)(void *ctx, void *data, size_t size);

/**
 * @brief Options of **ring_buffer__new()**; none yet besides the size.
 */
struct ring_buffer_opts {
	/** size of this struct, set by LIBBPF_OPTS() */
	size_t sz;
};
#define ring_buffer_opts__last_field sz
BPFXX_OPTS_KNOWN_SIZE_(ring_buffer_opts)

/**
 * @brief **ring_buffer__new()** creates a ring buffer manager holding the
 * ring of one BPF_MAP_TYPE_RINGBUF map; more rings join with
 * **ring_buffer__add()**.
 * @param map_fd fd of the ring buffer map (duplicated: the caller keeps its own)
 * @param sample_cb callback for each record of this ring
 * @param ctx passed to @p sample_cb
 * @param opts options, or NULL
 * @return the manager; NULL with errno set on error (EINVAL for a map of
 * another type, for example)
 */
LIBBPF_API struct ring_buffer *ring_buffer__new(int map_fd, ring_buffer_sample_fn sample_cb,
						void *ctx, const struct ring_buffer_opts *opts);

/**
 * @brief **ring_buffer__free()** unmaps every ring and frees the manager.
 * Must not race with a call using it (poll from another thread included):
 * stop a polling thread and join it first. It notices a stop flag when
 * its poll times out, or wakes at once when an eventfd added to
 * ring_buffer__epoll_fd() (with a data.u64 tag no ring uses, such as
 * UINT64_MAX: bpfxx skips events it did not register) is written.
 * @param rb the manager, or NULL
 */
LIBBPF_API void ring_buffer__free(struct ring_buffer *rb);

/**
 * @brief **ring_buffer__add()** adds the ring of another ringbuf map, with
 * its own callback, to the manager and its epoll set.
 * @param rb the manager
 * @param map_fd fd of the ring buffer map
 * @param sample_cb callback for this ring's records
 * @param ctx passed to @p sample_cb
 * @return 0; negative error code on error
 */
LIBBPF_API int ring_buffer__add(struct ring_buffer *rb, int map_fd,
				ring_buffer_sample_fn sample_cb, void *ctx);

/**
 * @brief **ring_buffer__poll()** consumes waiting records; when no ring
 * has any, waits up to @p timeout_ms for the kernel's wakeup first.
 * @param rb the manager
 * @param timeout_ms longest wait in milliseconds; -1 waits forever, 0 never
 * @return records consumed (at most INT_MAX); a callback's negative return;
 * negative error code on error (-EINTR when a signal ended the wait)
 */
LIBBPF_API int ring_buffer__poll(struct ring_buffer *rb, int timeout_ms);

/**
 * @brief **ring_buffer__consume()** consumes every waiting record of every
 * ring, without waiting.
 * @param rb the manager
 * @return records consumed (at most INT_MAX); a callback's negative return
 */
LIBBPF_API int ring_buffer__consume(struct ring_buffer *rb);

/**
 * @brief **ring_buffer__consume_n()** consumes at most @p n waiting
 * records, ring after ring, without waiting.
 * @param rb the manager
 * @param n the most records to hand over
 * @return records consumed (at most INT_MAX); a callback's negative return
 */
LIBBPF_API int ring_buffer__consume_n(struct ring_buffer *rb, size_t n);

/**
 * @brief **ring_buffer__epoll_fd()** gives the epoll fd watching every
 * ring, to wait on from an event loop.
 * @param rb the manager
 * @return the epoll fd (owned by @p rb)
 */
LIBBPF_API int ring_buffer__epoll_fd(const struct ring_buffer *rb);

/**
 * @brief **ring_buffer__ring()** gives one ring of the manager, in the
 * order the rings were added.
 * @param rb the manager
 * @param idx index of the ring
 * @return the ring (owned by @p rb); NULL with errno ENOENT when @p idx is
 * out of range
 */
LIBBPF_API struct ring *ring_buffer__ring(struct ring_buffer *rb, unsigned int idx);

/**
 * @brief **ring__consumer_pos()** gives how far the consumer has read.
 * @param r the ring
 * @return the consumer position, in bytes since the ring was created
 */
LIBBPF_API unsigned long ring__consumer_pos(const struct ring *r);

/**
 * @brief **ring__producer_pos()** gives how far producers have reserved.
 * @param r the ring
 * @return the producer position, in bytes since the ring was created
 */
LIBBPF_API unsigned long ring__producer_pos(const struct ring *r);

/**
 * @brief **ring__avail_data_size()** gives the bytes between the consumer
 * and producer positions (records waiting, headers and busy ones included).
 * @param r the ring
 * @return the byte count
 */
LIBBPF_API size_t ring__avail_data_size(const struct ring *r);

/**
 * @brief **ring__size()** gives the ring's data size (the map's max_entries).
 * @param r the ring
 * @return the size in bytes
 */
LIBBPF_API size_t ring__size(const struct ring *r);

/**
 * @brief **ring__map_fd()** gives the fd of the ring's map.
 * @param r the ring
 * @return the fd (owned by the ring)
 */
LIBBPF_API int ring__map_fd(const struct ring *r);

/**
 * @brief **ring__consume()** consumes every waiting record of this ring.
 * @param r the ring
 * @return records consumed (at most INT_MAX); the callback's negative return
 */
LIBBPF_API int ring__consume(struct ring *r);

/**
 * @brief **ring__consume_n()** consumes at most @p n waiting records of
 * this ring.
 * @param r the ring
 * @param n the most records to hand over
 * @return records consumed (at most INT_MAX); the callback's negative return
 */
LIBBPF_API int ring__consume_n(struct ring *r, size_t n);

/* ---- User ring buffer (BPF_MAP_TYPE_USER_RINGBUF) --------------------- */

/**
 * @brief Options of **user_ring_buffer__new()**; none yet besides the size.
 */
struct user_ring_buffer_opts {
	/** size of this struct, set by LIBBPF_OPTS() */
	size_t sz;
};
#define user_ring_buffer_opts__last_field sz
BPFXX_OPTS_KNOWN_SIZE_(user_ring_buffer_opts)

/**
 * @brief **user_ring_buffer__new()** maps a BPF_MAP_TYPE_USER_RINGBUF map
 * for user space to write records that BPF programs drain with
 * bpf_user_ringbuf_drain(). Only one user ring buffer should write a map.
 * @param map_fd fd of the user ring buffer map (duplicated)
 * @param opts options, or NULL
 * @return the producer; NULL with errno set on error
 */
LIBBPF_API struct user_ring_buffer *user_ring_buffer__new(int map_fd,
							  const struct user_ring_buffer_opts *opts);

/**
 * @brief **user_ring_buffer__reserve()** reserves room for a record of
 * @p size bytes. Records reach BPF in reservation order, once submitted or
 * discarded; a reserved record holds back the ones after it. Not thread
 * safe: serialize reserve, submit and discard.
 * @param rb the producer
 * @param size the record's size in bytes
 * @return where to write the record; NULL with errno ENOSPC when the ring
 * is full now, E2BIG when the record can never fit
 */
LIBBPF_API void *user_ring_buffer__reserve(struct user_ring_buffer *rb, __u32 size);

/**
 * @brief **user_ring_buffer__reserve_blocking()** reserves like
 * **user_ring_buffer__reserve()**, sleeping until a BPF drain frees room
 * when the ring is full.
 * @param rb the producer
 * @param size the record's size in bytes
 * @param timeout_ms longest wait in milliseconds; -1 waits forever
 * @return where to write the record; NULL with errno ENOSPC when the time
 * ran out, E2BIG when the record can never fit, EINVAL for a bad timeout
 */
LIBBPF_API void *user_ring_buffer__reserve_blocking(struct user_ring_buffer *rb, __u32 size,
						    int timeout_ms);

/**
 * @brief **user_ring_buffer__submit()** publishes a reserved record.
 * @param rb the producer
 * @param sample what a reserve call returned
 */
LIBBPF_API void user_ring_buffer__submit(struct user_ring_buffer *rb, void *sample);

/**
 * @brief **user_ring_buffer__discard()** gives back a reserved record; BPF
 * never sees it.
 * @param rb the producer
 * @param sample what a reserve call returned
 */
LIBBPF_API void user_ring_buffer__discard(struct user_ring_buffer *rb, void *sample);

/**
 * @brief **user_ring_buffer__free()** unmaps the ring and frees the producer.
 * Must not race with a call using it (a reserve_blocking waiting on
 * another thread included); records reserved and not yet submitted are
 * left busy, which stops the BPF side's draining at them.
 * @param rb the producer, or NULL
 */
LIBBPF_API void user_ring_buffer__free(struct user_ring_buffer *rb);

/* ---- Perf buffer (BPF_MAP_TYPE_PERF_EVENT_ARRAY) ---------------------- */

struct perf_buffer;
struct perf_event_header;
struct perf_event_attr;

/**
 * @brief Called for each sample a BPF program sent with
 * bpf_perf_event_output().
 * @param ctx the pointer given to **perf_buffer__new()**
 * @param cpu the CPU whose buffer held the sample
 * @param data the sample, valid until the callback returns
 * @param size its length in bytes
 */
typedef void (*perf_buffer_sample_fn)(void *ctx, int cpu, void *data, __u32 size);

/**
 * @brief Called when the kernel reports samples dropped for lack of room.
 * @param ctx the pointer given to **perf_buffer__new()**
 * @param cpu the CPU whose buffer overflowed
 * @param cnt how many samples were dropped
 */
typedef void (*perf_buffer_lost_fn)(void *ctx, int cpu, __u64 cnt);

/**
 * @brief Options of **perf_buffer__new()**. Declare with LIBBPF_OPTS().
 */
struct perf_buffer_opts {
	/** size of this struct, set by LIBBPF_OPTS() */
	size_t sz;
	/** wake the reader every this many samples (0 or 1: every sample) */
	__u32 sample_period;
	size_t :0;
};
#define perf_buffer_opts__last_field sample_period
BPFXX_OPTS_KNOWN_SIZE_(perf_buffer_opts)

/**
 * @brief **perf_buffer__new()** opens a BPF output perf event with its
 * ring on every online CPU (up to the map's size) and stores each in the
 * BPF_MAP_TYPE_PERF_EVENT_ARRAY map under its CPU number.
 * @param map_fd fd of the perf event array map
 * @param page_cnt data pages per CPU ring, a power of two
 * @param sample_cb callback for each sample, or NULL
 * @param lost_cb callback for loss reports, or NULL
 * @param ctx passed to both callbacks
 * @param opts options, or NULL
 * @return the manager; NULL with errno set on error
 */
LIBBPF_API struct perf_buffer *perf_buffer__new(int map_fd, size_t page_cnt,
						perf_buffer_sample_fn sample_cb,
						perf_buffer_lost_fn lost_cb, void *ctx,
						const struct perf_buffer_opts *opts);

/** @brief What a **perf_buffer__new_raw()** event callback returns. */
enum bpf_perf_event_ret {
	LIBBPF_PERF_EVENT_DONE	= 0,	/**< stop consuming this buffer */
	LIBBPF_PERF_EVENT_ERROR	= -1,	/**< stop, and fail the consuming call */
	LIBBPF_PERF_EVENT_CONT	= -2,	/**< go on with the next record */
};

/**
 * @brief Called for every record of a raw perf buffer, whatever its type.
 * @param ctx the pointer given to **perf_buffer__new_raw()**
 * @param cpu the CPU of the buffer
 * @param event the record (header first), valid until the callback returns
 * @return a value of enum bpf_perf_event_ret
 */
typedef enum bpf_perf_event_ret (*perf_buffer_event_fn)(void *ctx, int cpu,
							 struct perf_event_header *event);

/**
 * @brief Options of **perf_buffer__new_raw()**. Declare with LIBBPF_OPTS().
 */
struct perf_buffer_raw_opts {
	/** size of this struct, set by LIBBPF_OPTS() */
	size_t sz;
	long :0;
	long :0;
	/** 0: every online CPU; otherwise the length of @ref cpus and @ref map_keys */
	int cpu_cnt;
	/** CPUs to open an event on (when cpu_cnt > 0) */
	int *cpus;
	/** the map key to store each CPU's event under (when cpu_cnt > 0) */
	int *map_keys;
};
#define perf_buffer_raw_opts__last_field map_keys
BPFXX_OPTS_KNOWN_SIZE_(perf_buffer_raw_opts)

/**
 * @brief **perf_buffer__new_raw()** is **perf_buffer__new()** with the
 * caller's perf event attributes and CPU selection, handing every record
 * to one callback.
 * @param map_fd fd of the perf event array map
 * @param page_cnt data pages per CPU ring, a power of two
 * @param attr the perf event attributes to open each event with
 * @param event_cb callback for every record
 * @param ctx passed to @p event_cb
 * @param opts options, or NULL
 * @return the manager; NULL with errno set on error
 */
LIBBPF_API struct perf_buffer *perf_buffer__new_raw(int map_fd, size_t page_cnt,
						    struct perf_event_attr *attr,
						    perf_buffer_event_fn event_cb, void *ctx,
						    const struct perf_buffer_raw_opts *opts);

/**
 * @brief **perf_buffer__free()** removes the events from the map, closes
 * them and frees the manager. Must not race with a call using it (poll
 * from another thread included): stop a polling thread and join it first,
 * through a poll timeout and a flag, or an eventfd added to
 * perf_buffer__epoll_fd() with an unused data.u64 tag (UINT64_MAX).
 * @param pb the manager, or NULL
 */
LIBBPF_API void perf_buffer__free(struct perf_buffer *pb);

/**
 * @brief **perf_buffer__epoll_fd()** gives the epoll fd watching every
 * CPU's buffer.
 * @param pb the manager
 * @return the epoll fd (owned by @p pb)
 */
LIBBPF_API int perf_buffer__epoll_fd(const struct perf_buffer *pb);

/**
 * @brief **perf_buffer__poll()** waits up to @p timeout_ms for buffers
 * with records and consumes those.
 * @param pb the manager
 * @param timeout_ms longest wait in milliseconds; -1 waits forever
 * @return how many buffers were ready; negative error code on error
 */
LIBBPF_API int perf_buffer__poll(struct perf_buffer *pb, int timeout_ms);

/**
 * @brief **perf_buffer__consume()** consumes the records of every buffer
 * without waiting.
 * @param pb the manager
 * @return 0; negative error code on error
 */
LIBBPF_API int perf_buffer__consume(struct perf_buffer *pb);

/**
 * @brief **perf_buffer__consume_buffer()** consumes the records of one buffer.
 * @param pb the manager
 * @param buf_idx the buffer's index, below **perf_buffer__buffer_cnt()**
 * @return 0; -EINVAL for an index out of range; -ENOENT for a CPU without
 * a buffer (offline); negative error code on error
 */
LIBBPF_API int perf_buffer__consume_buffer(struct perf_buffer *pb, size_t buf_idx);

/**
 * @brief **perf_buffer__buffer_cnt()** gives the number of buffer slots
 * (one per CPU considered, offline ones included).
 * @param pb the manager
 * @return the count
 */
LIBBPF_API size_t perf_buffer__buffer_cnt(const struct perf_buffer *pb);

/**
 * @brief **perf_buffer__buffer_fd()** gives the perf event fd of one buffer.
 * @param pb the manager
 * @param buf_idx the buffer's index
 * @return the fd (owned by @p pb); -EINVAL or -ENOENT as
 * **perf_buffer__consume_buffer()**
 */
LIBBPF_API int perf_buffer__buffer_fd(const struct perf_buffer *pb, size_t buf_idx);

/**
 * @brief **perf_buffer__buffer()** gives the raw mapping of one buffer:
 * the perf_event_mmap_page, then the data pages.
 * @param pb the manager
 * @param buf_idx the buffer's index
 * @param buf receives the start of the mapping
 * @param buf_size receives the size of the data pages
 * @return 0; -EINVAL or -ENOENT as **perf_buffer__consume_buffer()**
 */
LIBBPF_API int perf_buffer__buffer(struct perf_buffer *pb, int buf_idx, void **buf,
				   size_t *buf_size);

/* ======================================================================
 * Source lines of a loaded program (bpf_prog_linfo__*).
 *
 * Built from the struct bpf_prog_info that bpf_prog_get_info_by_fd()
 * filled in with the program's line_info array (and, for JIT-compiled
 * programs, jited_line_info, jited_ksyms and jited_func_lens). It maps a
 * translated instruction offset, or an address inside one JITed function,
 * back to the struct bpf_line_info describing that source line; its
 * file_name_off and line_off are offsets into the program's BTF strings
 * (the BTF whose id is info.btf_id). The object copies everything it
 * needs: the info's arrays may be freed once it is built.
 * ====================================================================== */

struct bpf_prog_linfo;
struct bpf_prog_info;

/**
 * @brief **bpf_prog_linfo__free()** frees a line-info table.
 * @param prog_linfo the table from **bpf_prog_linfo__new()**; NULL is
 * ignored
 */
LIBBPF_API void bpf_prog_linfo__free(struct bpf_prog_linfo *prog_linfo);

/**
 * @brief **bpf_prog_linfo__new()** builds a line-info table from a
 * program's info.
 *
 * Records larger than struct bpf_line_info (a newer kernel) are read with
 * the given record size. The JITed addresses are kept only when
 * @p info carries jited_line_info (pointer and count); they must then
 * have one entry per line info and be split, by the start addresses in
 * jited_ksyms and the lengths in jited_func_lens, into one increasing run
 * per function.
 * @param info program info holding nr_line_info records at line_info,
 * line_info_rec_size bytes apart
 * @return the table; NULL with errno EINVAL when @p info has no line info
 * or is inconsistent (record sizes too small, a count without its array,
 * JITed addresses that do not match the functions), ENOMEM when memory
 * runs out
 */
LIBBPF_API struct bpf_prog_linfo *bpf_prog_linfo__new(const struct bpf_prog_info *info);

/**
 * @brief **bpf_prog_linfo__lfind_addr_func()** finds the source line of a
 * JIT address inside one function.
 *
 * Scans the function's records from number @p nr_skip on and returns the
 * one just before the first record whose address is past @p addr (the
 * function's last record when none is).
 * @param prog_linfo the table
 * @param addr a JIT address inside the function
 * @param func_idx the function's index in jited_ksyms
 * @param nr_skip records of the function to skip; lets a caller walking
 * a function's code in order resume where the last lookup ended
 * @return the record; NULL with errno ENOENT when the table has no JITed
 * addresses, @p func_idx or @p nr_skip is out of range, or @p addr lies
 * before the first record considered
 */
LIBBPF_API const struct bpf_line_info *
bpf_prog_linfo__lfind_addr_func(const struct bpf_prog_linfo *prog_linfo, __u64 addr,
				__u32 func_idx, __u32 nr_skip);

/**
 * @brief **bpf_prog_linfo__lfind()** finds the source line of a translated
 * instruction.
 *
 * Scans the records from number @p nr_skip on and returns the one just
 * before the first record whose insn_off is past @p insn_off (the last
 * record when none is).
 * @param prog_linfo the table
 * @param insn_off an instruction index in the translated program
 * @param nr_skip records to skip; lets a caller walking the program in
 * order resume where the last lookup ended
 * @return the record; NULL with errno ENOENT when @p nr_skip is out of
 * range or @p insn_off lies before the first record considered
 */
LIBBPF_API const struct bpf_line_info *
bpf_prog_linfo__lfind(const struct bpf_prog_linfo *prog_linfo, __u32 insn_off, __u32 nr_skip);

/* ======================================================================
 * Skeleton runtime (bpf_object__*_skeleton, bpf_object__*_subskeleton).
 *
 * A generated skeleton header (`bpfxx gen skeleton`, `bpftool gen
 * skeleton`) describes its object with the structs below and drives its
 * life cycle through these functions. The structs keep libbpf's layout.
 * The arrays of maps, programs and variables are walked with the element
 * size the generator wrote (map_skel_sz, prog_skel_sz, var_skel_sz), not
 * with sizeof(): a skeleton from an older generator has smaller map
 * entries (no link member) and still works; members beyond the given size
 * are never touched.
 * ====================================================================== */

/** One map of a skeleton. The first three members are all older skeletons
 * have (map_skel_sz 24 on 64-bit hosts); link came later, for struct_ops
 * maps (map_skel_sz 32). */
struct bpf_map_skeleton {
	const char *name;        /**< the map's name (bpf_map__name()) */
	struct bpf_map **map;    /**< receives the map at open */
	void **mmaped;           /**< receives the global data; may be NULL */
	struct bpf_link **link;  /**< struct_ops maps: receives the attach link */
};

/** One program of a skeleton. */
struct bpf_prog_skeleton {
	const char *name;          /**< the program's name */
	struct bpf_program **prog; /**< receives the program at open */
	struct bpf_link **link;    /**< receives the link of skeleton attach */
};

/** A whole skeleton: the object's bytes and its maps and programs. */
struct bpf_object_skeleton {
	size_t sz; /**< sizeof(struct bpf_object_skeleton) of the generator */

	const char *name;  /**< the object's name */
	const void *data;  /**< the ELF object's bytes */
	size_t data_sz;    /**< their size */

	struct bpf_object **obj; /**< receives the opened object */

	int map_cnt;                     /**< entries in maps */
	int map_skel_sz;                 /**< size of one entry of maps */
	struct bpf_map_skeleton *maps;   /**< malloc()ed; freed by destroy */

	int prog_cnt;                    /**< entries in progs */
	int prog_skel_sz;                /**< size of one entry of progs */
	struct bpf_prog_skeleton *progs; /**< malloc()ed; freed by destroy */
};

/**
 * @brief **bpf_object__open_skeleton()** opens the object embedded in a
 * skeleton and fills its pointers: *obj, every map and program, and the
 * global data pointers (the data sections' initial values, which may be
 * changed until load; the .kconfig pointer stays unset until load).
 * @param s the skeleton
 * @param opts open options, as for **bpf_object__open_mem()**; the object
 * is named after the skeleton unless opts names it
 * @return 0; -EINVAL for a malformed skeleton; -ESRCH when a map or program
 * the skeleton lists is not in the object; negative error code of the open
 * otherwise. On failure after the open, *obj is set, so that
 * **bpf_object__destroy_skeleton()** closes it.
 */
LIBBPF_API int bpf_object__open_skeleton(struct bpf_object_skeleton *s,
					 const struct bpf_object_open_opts *opts);

/**
 * @brief **bpf_object__load_skeleton()** loads the skeleton's object and
 * points every global data pointer at the map's live memory: the same
 * address as before load where the map can be memory-mapped (.rodata and
 * .kconfig read-only from now on), the arena's globals inside the mapped
 * arena.
 * @param s the skeleton, opened
 * @return 0; negative error code of the load
 */
LIBBPF_API int bpf_object__load_skeleton(struct bpf_object_skeleton *s);

/**
 * @brief **bpf_object__attach_skeleton()** attaches every program that is
 * loaded and auto-attachable from its section, storing each link in the
 * program's link slot, then registers every auto-attached struct_ops map
 * whose skeleton entry has a link member. Programs whose section names no
 * target, and programs or maps whose link slot already holds a link, are
 * left as they are.
 * @param s the skeleton, loaded
 * @return 0; negative error code of the first attach that failed (links
 * made before it stay in their slots: detach or destroy removes them)
 */
LIBBPF_API int bpf_object__attach_skeleton(struct bpf_object_skeleton *s);

/**
 * @brief **bpf_object__detach_skeleton()** destroys every link in the
 * skeleton's program and map link slots and clears the slots.
 * @param s the skeleton; NULL does nothing
 */
LIBBPF_API void bpf_object__detach_skeleton(struct bpf_object_skeleton *s);

/**
 * @brief **bpf_object__destroy_skeleton()** detaches, closes the object,
 * and frees the skeleton: its maps and progs arrays and @p s itself
 * (all three must come from malloc(), as generated code allocates them).
 * @param s the skeleton; NULL does nothing
 */
LIBBPF_API void bpf_object__destroy_skeleton(struct bpf_object_skeleton *s);

/** One global variable of a subskeleton. */
struct bpf_var_skeleton {
	const char *name;     /**< the variable's name */
	struct bpf_map **map; /**< the data map holding it (a maps entry's slot) */
	void **addr;          /**< receives the variable's address */
};

/** A subskeleton: maps, programs and variables of a library object, found
 * by name in an object that was linked from it and is already open. */
struct bpf_object_subskeleton {
	size_t sz; /**< sizeof(struct bpf_object_subskeleton) of the generator */

	const struct bpf_object *obj; /**< the open object */

	int map_cnt;                     /**< entries in maps */
	int map_skel_sz;                 /**< size of one entry of maps */
	struct bpf_map_skeleton *maps;   /**< malloc()ed; freed by destroy */

	int prog_cnt;                    /**< entries in progs */
	int prog_skel_sz;                /**< size of one entry of progs */
	struct bpf_prog_skeleton *progs; /**< malloc()ed; freed by destroy */

	int var_cnt;                     /**< entries in vars */
	int var_skel_sz;                 /**< size of one entry of vars */
	struct bpf_var_skeleton *vars;   /**< malloc()ed; freed by destroy */
};

/**
 * @brief **bpf_object__open_subskeleton()** fills a subskeleton from its
 * open object: maps, programs, data pointers, and the address of every
 * variable inside its map's data. The addresses stay valid across the
 * object's load (global data keeps its address).
 * @param s the subskeleton, with obj set
 * @return 0; -EINVAL for a malformed subskeleton or an object without BTF;
 * -ESRCH when a map, program or variable is not in the object
 */
LIBBPF_API int bpf_object__open_subskeleton(struct bpf_object_subskeleton *s);

/**
 * @brief **bpf_object__destroy_subskeleton()** frees a subskeleton: its
 * three arrays and @p s itself. The object stays open (it is the caller's).
 * @param s the subskeleton; NULL does nothing
 */
LIBBPF_API void bpf_object__destroy_subskeleton(struct bpf_object_subskeleton *s);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* __LIBBPF_LIBBPF_H */
