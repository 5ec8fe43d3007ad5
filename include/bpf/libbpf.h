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

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* __LIBBPF_LIBBPF_H */
