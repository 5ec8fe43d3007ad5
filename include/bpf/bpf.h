/* Part of bpfxx. */
/*
 * Low-level interface: one thin function per bpf(2) command, plus the
 * options structs that carry their optional arguments.
 *
 * Conventions for every function declared here:
 *  - On failure the function returns a negative error code (-EINVAL,
 *    -EPERM, ...) and also stores the positive code in errno.
 *  - Functions that create a kernel object (map, program, link, BTF, token)
 *    return its new file descriptor, opened with O_CLOEXEC; the caller owns
 *    it and closes it with close(2).
 *  - An opts pointer may be NULL to take all defaults. When given, its `sz`
 *    must be set, which LIBBPF_OPTS() does; bytes beyond the fields this
 *    library knows must be zero, otherwise the call fails with -EINVAL.
 */
#ifndef __LIBBPF_BPF_H
#define __LIBBPF_BPF_H

#include "uapi/linux/bpf.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "libbpf_common.h"
#include "libbpf_legacy.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Several functions share their name with their options struct, as in
 * libbpf (bpf_prog_attach_opts() and struct bpf_prog_attach_opts). In C++
 * the struct then needs its `struct` keyword, and g++ -Wshadow reports the
 * function as hiding the struct's constructor; that is by design here.
 */
#if defined(__cplusplus) && defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wshadow"
#endif

/* Kernel types only used through pointers here. */
struct bpf_insn;
struct bpf_prog_info;
struct bpf_map_info;
struct bpf_btf_info;
struct bpf_link_info;

/**
 * @brief **libbpf_set_memlock_rlim()** sets the RLIMIT_MEMLOCK value the
 * library raises the limit to before it first creates a map or program.
 *
 * The limit is only touched on kernels that still charge BPF memory to
 * RLIMIT_MEMLOCK (before memcg accounting, Linux 5.11). The default is
 * RLIM_INFINITY; 0 disables the adjustment. Call it before the first map or
 * program is created, later calls fail.
 * @param memlock_bytes new limit in bytes, or 0 to leave the limit alone
 * @return 0 on success; negative error code on error
 */
LIBBPF_API int libbpf_set_memlock_rlim(size_t memlock_bytes);

/* ---- Map creation ----------------------------------------------------- */

/**
 * @brief Where the kernel's log of a failing command goes, for commands that
 * support a log (currently **bpf_map_create()**).
 */
struct bpf_log_opts {
	/** sizeof(struct bpf_log_opts) as compiled by the caller */
	size_t sz;

	/** buffer that receives the log text */
	char *buf;
	/** size of @ref buf in bytes */
	__u32 size;
	/** kernel log level; 0 turns the log off */
	__u32 level;
	/** out: full size the log needed, terminating NUL included */
	__u32 true_size;

	size_t :0;
};
#define bpf_log_opts__last_field true_size
BPFXX_OPTS_KNOWN_SIZE_(bpf_log_opts)

/** @brief Optional attributes for **bpf_map_create()**. */
struct bpf_map_create_opts {
	/** sizeof(struct bpf_map_create_opts) as compiled by the caller */
	size_t sz;

	/** BTF object describing key and value types */
	__u32 btf_fd;
	/** type id of the key in @ref btf_fd */
	__u32 btf_key_type_id;
	/** type id of the value in @ref btf_fd */
	__u32 btf_value_type_id;
	/** kernel BTF type id of a struct_ops map's value */
	__u32 btf_vmlinux_value_type_id;

	/** template inner map for map-in-map types */
	__u32 inner_map_fd;
	/** BPF_F_* map creation flags */
	__u32 map_flags;
	/** type-specific extra value (bloom filter hashes, arena address) */
	__u64 map_extra;

	/** NUMA node, used with BPF_F_NUMA_NODE */
	__u32 numa_node;
	/** network device for an offloaded map */
	__u32 map_ifindex;
	/** module BTF holding the struct_ops value type */
	__s32 value_type_btf_obj_fd;

	/** BPF token granting the permission to create the map (the caller also sets BPF_F_TOKEN_FD in map_flags) */
	__u32 token_fd;

	/** hash of the only program allowed to use this map */
	const void *excl_prog_hash;
	/** size of @ref excl_prog_hash in bytes */
	__u32 excl_prog_hash_size;

	/** where to store the kernel's log if creation fails */
	struct bpf_log_opts *log_opts;

	size_t :0;
};
#define bpf_map_create_opts__last_field log_opts
BPFXX_OPTS_KNOWN_SIZE_(bpf_map_create_opts)

/**
 * @brief **bpf_map_create()** creates a new BPF map (BPF_MAP_CREATE).
 * @param map_type type of the map
 * @param map_name name of the map; the kernel keeps at most
 * BPF_OBJ_NAME_LEN - 1 characters; may be NULL
 * @param key_size key size in bytes
 * @param value_size value size in bytes
 * @param max_entries capacity of the map
 * @param opts further attributes; may be NULL
 * @return file descriptor of the new map; negative error code on error
 */
LIBBPF_API int bpf_map_create(enum bpf_map_type map_type,
			      const char *map_name,
			      __u32 key_size,
			      __u32 value_size,
			      __u32 max_entries,
			      const struct bpf_map_create_opts *opts);

/* ---- Program loading -------------------------------------------------- */

/** @brief Optional attributes for **bpf_prog_load()**. */
struct bpf_prog_load_opts {
	/** sizeof(struct bpf_prog_load_opts) as compiled by the caller */
	size_t sz;

	/** how often to retry while the kernel answers EAGAIN (0: default 5) */
	int attempts;

	/** attach type the program will be used with */
	enum bpf_attach_type expected_attach_type;
	/** BTF object the func and line info refer to */
	__u32 prog_btf_fd;
	/** BPF_F_* program load flags */
	__u32 prog_flags;
	/** network device for an offloaded program */
	__u32 prog_ifindex;
	/** kernel version, checked for old kprobe programs */
	__u32 kern_version;

	/** BTF type id of the attach target */
	__u32 attach_btf_id;
	/** program whose function is the attach target (freplace, fentry) */
	__u32 attach_prog_fd;
	/** BTF object (kernel module) holding @ref attach_btf_id */
	__u32 attach_btf_obj_fd;

	/** maps and BTF objects referenced by index from the instructions */
	const int *fd_array;

	/** .BTF.ext function records */
	const void *func_info;
	/** number of records in @ref func_info */
	__u32 func_info_cnt;
	/** size of one record in @ref func_info */
	__u32 func_info_rec_size;

	/** .BTF.ext line records */
	const void *line_info;
	/** number of records in @ref line_info */
	__u32 line_info_cnt;
	/** size of one record in @ref line_info */
	__u32 line_info_rec_size;

	/** verifier log level (1, 2, 4 or a combination); 0 for none */
	__u32 log_level;
	/** size of @ref log_buf in bytes */
	__u32 log_size;
	/** buffer for the verifier log */
	char *log_buf;
	/**
	 * out: size the complete log needed, terminating NUL included; it can
	 * exceed @ref log_size when the log was truncated. Reads 0 on kernels
	 * that do not report it.
	 */
	__u32 log_true_size;
	/** BPF token granting the permission to load the program (the caller also sets BPF_F_TOKEN_FD in prog_flags) */
	__u32 token_fd;

	/** number of entries in @ref fd_array, if known */
	__u32 fd_array_cnt;
	size_t :0;
};
#define bpf_prog_load_opts__last_field fd_array_cnt
BPFXX_OPTS_KNOWN_SIZE_(bpf_prog_load_opts)

/**
 * @brief **bpf_prog_load()** verifies and loads a BPF program into the
 * kernel (BPF_PROG_LOAD).
 * @param prog_type type of the program
 * @param prog_name name of the program; may be NULL
 * @param license license string, such as "GPL"
 * @param insns the instructions
 * @param insn_cnt number of instructions
 * @param opts further attributes and the verifier log; may be NULL. Its
 * output fields are written, hence not const.
 * @return file descriptor of the new program; negative error code on error
 */
LIBBPF_API int bpf_prog_load(enum bpf_prog_type prog_type,
			     const char *prog_name, const char *license,
			     const struct bpf_insn *insns, size_t insn_cnt,
			     struct bpf_prog_load_opts *opts);

/** @brief Loading flag kept for source compatibility. */
#define MAPS_RELAX_COMPAT 0x01

/** @brief Largest verifier log buffer accepted by kernels up to 5.1. */
#define BPF_LOG_BUF_SIZE (UINT32_MAX >> 8)

/* ---- BTF loading ------------------------------------------------------ */

/** @brief Optional attributes for **bpf_btf_load()**. */
struct bpf_btf_load_opts {
	/** sizeof(struct bpf_btf_load_opts) as compiled by the caller */
	size_t sz;

	/** buffer for the kernel's BTF check log */
	char *log_buf;
	/** log level; 0 for none */
	__u32 log_level;
	/** size of @ref log_buf in bytes */
	__u32 log_size;
	/**
	 * out: size the complete log needed, terminating NUL included; reads 0
	 * on kernels that do not report it
	 */
	__u32 log_true_size;

	/** BTF load flags */
	__u32 btf_flags;
	/** BPF token granting the permission to load BTF (the caller also sets BPF_F_TOKEN_FD in btf_flags) */
	__u32 token_fd;
	size_t :0;
};
#define bpf_btf_load_opts__last_field token_fd
BPFXX_OPTS_KNOWN_SIZE_(bpf_btf_load_opts)

/**
 * @brief **bpf_btf_load()** loads raw BTF data into the kernel
 * (BPF_BTF_LOAD).
 * @param btf_data BTF in the kernel's binary format
 * @param btf_size size of @p btf_data in bytes
 * @param opts log and further attributes; may be NULL
 * @return file descriptor of the new BTF object; negative error code on error
 */
LIBBPF_API int bpf_btf_load(const void *btf_data, size_t btf_size,
			    struct bpf_btf_load_opts *opts);

/* ---- Map elements ----------------------------------------------------- */

/**
 * @brief **bpf_map_update_elem()** creates or replaces one map element.
 * @param fd map file descriptor
 * @param key the key
 * @param value the value (for per-CPU maps, one value per possible CPU)
 * @param flags BPF_ANY, BPF_NOEXIST or BPF_EXIST, optionally with BPF_F_LOCK
 * @return 0 on success; negative error code on error
 */
LIBBPF_API int bpf_map_update_elem(int fd, const void *key, const void *value,
				   __u64 flags);

/**
 * @brief **bpf_map_lookup_elem()** copies the value stored under a key.
 * @param fd map file descriptor
 * @param key the key
 * @param value receives the value
 * @return 0 on success; -ENOENT if the key is absent; other negative error
 * code on error
 */
LIBBPF_API int bpf_map_lookup_elem(int fd, const void *key, void *value);

/**
 * @brief **bpf_map_lookup_elem_flags()** is **bpf_map_lookup_elem()** with
 * lookup flags.
 * @param fd map file descriptor
 * @param key the key
 * @param value receives the value
 * @param flags lookup flags, such as BPF_F_LOCK
 * @return 0 on success; negative error code on error
 */
LIBBPF_API int bpf_map_lookup_elem_flags(int fd, const void *key, void *value,
					 __u64 flags);

/**
 * @brief **bpf_map_lookup_and_delete_elem()** copies the value stored under
 * a key and removes the element; for queue and stack maps it pops the next
 * element (@p key is then NULL).
 * @param fd map file descriptor
 * @param key the key, or NULL for queue and stack maps
 * @param value receives the value
 * @return 0 on success; negative error code on error
 */
LIBBPF_API int bpf_map_lookup_and_delete_elem(int fd, const void *key,
					      void *value);

/**
 * @brief **bpf_map_lookup_and_delete_elem_flags()** is
 * **bpf_map_lookup_and_delete_elem()** with flags.
 * @param fd map file descriptor
 * @param key the key, or NULL for queue and stack maps
 * @param value receives the value
 * @param flags lookup flags, such as BPF_F_LOCK
 * @return 0 on success; negative error code on error
 */
LIBBPF_API int bpf_map_lookup_and_delete_elem_flags(int fd, const void *key,
						    void *value, __u64 flags);

/**
 * @brief **bpf_map_delete_elem()** removes the element stored under a key.
 * @param fd map file descriptor
 * @param key the key
 * @return 0 on success; -ENOENT if the key is absent; other negative error
 * code on error
 */
LIBBPF_API int bpf_map_delete_elem(int fd, const void *key);

/**
 * @brief **bpf_map_delete_elem_flags()** is **bpf_map_delete_elem()** with
 * flags.
 * @param fd map file descriptor
 * @param key the key
 * @param flags delete flags
 * @return 0 on success; negative error code on error
 */
LIBBPF_API int bpf_map_delete_elem_flags(int fd, const void *key, __u64 flags);

/**
 * @brief **bpf_map_get_next_key()** finds the key that follows @p key, for
 * walking all keys of a map.
 * @param fd map file descriptor
 * @param key current key, or NULL (or a key not in the map) to get the first
 * @param next_key receives the following key
 * @return 0 on success; -ENOENT after the last key; other negative error
 * code on error
 */
LIBBPF_API int bpf_map_get_next_key(int fd, const void *key, void *next_key);

/**
 * @brief **bpf_map_freeze()** makes a map read-only for user space from now
 * on; BPF programs may still change it unless it was created read-only for
 * them.
 * @param fd map file descriptor
 * @return 0 on success; negative error code on error
 */
LIBBPF_API int bpf_map_freeze(int fd);

/* ---- Batched map operations ------------------------------------------- */

/** @brief Options of the batched map operations. */
struct bpf_map_batch_opts {
	/** sizeof(struct bpf_map_batch_opts) as compiled by the caller */
	size_t sz;
	/** flags applied to each element, such as BPF_F_LOCK */
	__u64 elem_flags;
	/** flags of the whole operation */
	__u64 flags;
};
#define bpf_map_batch_opts__last_field flags
BPFXX_OPTS_KNOWN_SIZE_(bpf_map_batch_opts)

/**
 * @brief **bpf_map_delete_batch()** removes several elements in one call.
 * @param fd map file descriptor
 * @param keys array of *count keys
 * @param count in: number of keys; out: number of elements deleted, which
 * is only reliable when the error is not -EFAULT
 * @param opts flags; may be NULL
 * @return 0 on success; negative error code on error
 */
LIBBPF_API int bpf_map_delete_batch(int fd, const void *keys,
				    __u32 *count,
				    const struct bpf_map_batch_opts *opts);

/**
 * @brief **bpf_map_lookup_batch()** copies several elements in one call and
 * can be repeated to walk the whole map.
 *
 * @p in_batch and @p out_batch are opaque positions: pass NULL as
 * @p in_batch to start, then pass back what the previous call stored in
 * @p out_batch. Each must be at least key-sized, and at least 4 bytes for
 * the hash map types.
 * @param fd map file descriptor
 * @param in_batch position to continue from, or NULL to start
 * @param out_batch receives the position to continue from
 * @param keys receives up to *count keys
 * @param values receives up to *count values
 * @param count in: room in @p keys and @p values; out: elements copied,
 * which is only reliable when the error is not -EFAULT
 * @param opts flags; may be NULL
 * @return 0 on success; -ENOENT once the end of the map is reached (with the
 * last elements copied); other negative error code on error
 */
LIBBPF_API int bpf_map_lookup_batch(int fd, void *in_batch, void *out_batch,
				    void *keys, void *values, __u32 *count,
				    const struct bpf_map_batch_opts *opts);

/**
 * @brief **bpf_map_lookup_and_delete_batch()** works like
 * **bpf_map_lookup_batch()** and also removes every element it copies.
 * @param fd map file descriptor
 * @param in_batch position to continue from, or NULL to start
 * @param out_batch receives the position to continue from
 * @param keys receives up to *count keys
 * @param values receives up to *count values
 * @param count in: room in @p keys and @p values; out: elements copied and
 * deleted. After -EFAULT, elements may have been deleted without being
 * copied.
 * @param opts flags; may be NULL
 * @return 0 on success; -ENOENT once the end of the map is reached; other
 * negative error code on error
 */
LIBBPF_API int bpf_map_lookup_and_delete_batch(int fd, void *in_batch,
					       void *out_batch, void *keys,
					       void *values, __u32 *count,
					       const struct bpf_map_batch_opts *opts);

/**
 * @brief **bpf_map_update_batch()** creates or replaces several elements in
 * one call; opts->elem_flags takes the same values as the flags of
 * **bpf_map_update_elem()**.
 * @param fd map file descriptor
 * @param keys array of *count keys
 * @param values array of *count values
 * @param count in: number of elements; out: elements written, which is only
 * reliable when the error is not -EFAULT
 * @param opts flags; may be NULL
 * @return 0 on success; negative error code on error
 */
LIBBPF_API int bpf_map_update_batch(int fd, const void *keys, const void *values,
				    __u32 *count,
				    const struct bpf_map_batch_opts *opts);

/* ---- Pinning in BPF file systems -------------------------------------- */

/** @brief Optional attributes for **bpf_obj_pin_opts()**. */
struct bpf_obj_pin_opts {
	/** sizeof(struct bpf_obj_pin_opts) as compiled by the caller */
	size_t sz;

	/** BPF_F_PATH_FD and other pin flags */
	__u32 file_flags;
	/** directory @p pathname is relative to, with BPF_F_PATH_FD */
	int path_fd;

	size_t :0;
};
#define bpf_obj_pin_opts__last_field path_fd
BPFXX_OPTS_KNOWN_SIZE_(bpf_obj_pin_opts)

/**
 * @brief **bpf_obj_pin()** gives a BPF object a name in a BPF file system,
 * which keeps it alive after its last file descriptor is closed.
 * @param fd file descriptor of a map, program, link or BTF object
 * @param pathname new path inside a mounted BPF file system
 * @return 0 on success; negative error code on error
 */
LIBBPF_API int bpf_obj_pin(int fd, const char *pathname);

/**
 * @brief **bpf_obj_pin_opts()** is **bpf_obj_pin()** with options, such as
 * a path relative to a directory file descriptor.
 * @param fd file descriptor of the object to pin
 * @param pathname new path
 * @param opts options; may be NULL
 * @return 0 on success; negative error code on error
 */
LIBBPF_API int bpf_obj_pin_opts(int fd, const char *pathname,
				const struct bpf_obj_pin_opts *opts);

/** @brief Optional attributes for **bpf_obj_get_opts()**. */
struct bpf_obj_get_opts {
	/** sizeof(struct bpf_obj_get_opts) as compiled by the caller */
	size_t sz;

	/** BPF_F_RDONLY, BPF_F_WRONLY, BPF_F_PATH_FD */
	__u32 file_flags;
	/** directory @p pathname is relative to, with BPF_F_PATH_FD */
	int path_fd;

	size_t :0;
};
#define bpf_obj_get_opts__last_field path_fd
BPFXX_OPTS_KNOWN_SIZE_(bpf_obj_get_opts)

/**
 * @brief **bpf_obj_get()** opens a pinned BPF object.
 * @param pathname path inside a mounted BPF file system
 * @return new file descriptor of the object; negative error code on error
 */
LIBBPF_API int bpf_obj_get(const char *pathname);

/**
 * @brief **bpf_obj_get_opts()** is **bpf_obj_get()** with options, such as
 * read-only access.
 * @param pathname path of the pinned object
 * @param opts options; may be NULL
 * @return new file descriptor of the object; negative error code on error
 */
LIBBPF_API int bpf_obj_get_opts(const char *pathname,
				const struct bpf_obj_get_opts *opts);

/* ---- Attaching without links ------------------------------------------ */

/**
 * @brief **bpf_prog_attach()** attaches a program to a cgroup, socket map
 * or other target (BPF_PROG_ATTACH).
 * @param prog_fd program file descriptor
 * @param attachable_fd target file descriptor
 * @param type attach type
 * @param flags BPF_F_ALLOW_OVERRIDE, BPF_F_ALLOW_MULTI, ...
 * @return 0 on success; negative error code on error
 */
LIBBPF_API int bpf_prog_attach(int prog_fd, int attachable_fd,
			       enum bpf_attach_type type, unsigned int flags);

/**
 * @brief **bpf_prog_detach()** detaches the program of the given attach
 * type from a target that holds at most one.
 * @param attachable_fd target file descriptor
 * @param type attach type
 * @return 0 on success; negative error code on error
 */
LIBBPF_API int bpf_prog_detach(int attachable_fd, enum bpf_attach_type type);

/**
 * @brief **bpf_prog_detach2()** detaches one given program from a target.
 * @param prog_fd program file descriptor
 * @param attachable_fd target file descriptor
 * @param type attach type
 * @return 0 on success; negative error code on error
 */
LIBBPF_API int bpf_prog_detach2(int prog_fd, int attachable_fd,
				enum bpf_attach_type type);

/** @brief Optional attributes for **bpf_prog_attach_opts()**. */
struct bpf_prog_attach_opts {
	/** sizeof(struct bpf_prog_attach_opts) as compiled by the caller */
	size_t sz;
	/** BPF_F_* attach flags, including BPF_F_BEFORE / BPF_F_AFTER */
	__u32 flags;
	union {
		/** program to replace, with BPF_F_REPLACE */
		int replace_prog_fd;
		/** same as @ref replace_prog_fd */
		int replace_fd;
	};
	/** program or link file descriptor to order against */
	int relative_fd;
	/** program or link id to order against */
	__u32 relative_id;
	/** fail unless the target's attachment revision equals this; 0: any */
	__u64 expected_revision;
	size_t :0;
};
#define bpf_prog_attach_opts__last_field expected_revision
BPFXX_OPTS_KNOWN_SIZE_(bpf_prog_attach_opts)

/** @brief Optional attributes for **bpf_prog_detach_opts()**. */
struct bpf_prog_detach_opts {
	/** sizeof(struct bpf_prog_detach_opts) as compiled by the caller */
	size_t sz;
	/** BPF_F_* flags */
	__u32 flags;
	/** program or link file descriptor selecting the position */
	int relative_fd;
	/** program or link id selecting the position */
	__u32 relative_id;
	/** fail unless the target's attachment revision equals this; 0: any */
	__u64 expected_revision;
	size_t :0;
};
#define bpf_prog_detach_opts__last_field expected_revision
BPFXX_OPTS_KNOWN_SIZE_(bpf_prog_detach_opts)

/**
 * @brief **bpf_prog_attach_opts()** attaches a program to a target given by
 * file descriptor or, for tcx and netkit, by network interface index.
 * @param prog_fd program file descriptor
 * @param target target file descriptor or interface index
 * @param type attach type
 * @param opts flags, replacement and ordering; may be NULL
 * @return 0 on success; negative error code on error
 */
LIBBPF_API int bpf_prog_attach_opts(int prog_fd, int target,
				    enum bpf_attach_type type,
				    const struct bpf_prog_attach_opts *opts);

/**
 * @brief **bpf_prog_detach_opts()** detaches a program from a target given
 * by file descriptor or network interface index.
 * @param prog_fd program file descriptor, or 0 where the target holds one
 * program per attach type
 * @param target target file descriptor or interface index
 * @param type attach type
 * @param opts flags and ordering; may be NULL
 * @return 0 on success; negative error code on error
 */
LIBBPF_API int bpf_prog_detach_opts(int prog_fd, int target,
				    enum bpf_attach_type type,
				    const struct bpf_prog_detach_opts *opts);

/* ---- Links ------------------------------------------------------------ */

union bpf_iter_link_info; /* from the kernel headers */

/**
 * @brief Optional attributes for **bpf_link_create()**. Fill in only the
 * member of the union that matches the attach type.
 */
struct bpf_link_create_opts {
	/** sizeof(struct bpf_link_create_opts) as compiled by the caller */
	size_t sz;
	/** link flags */
	__u32 flags;
	/** iterator parameters, for BPF_TRACE_ITER */
	union bpf_iter_link_info *iter_info;
	/** size of *iter_info in bytes */
	__u32 iter_info_len;
	/** BTF id of the target function, for freplace programs */
	__u32 target_btf_id;
	__extension__ union {
		/** BPF_PERF_EVENT */
		struct {
			/** value bpf_get_attach_cookie() returns */
			__u64 bpf_cookie;
		} perf_event;
		/** BPF_TRACE_KPROBE_MULTI and BPF_TRACE_KPROBE_SESSION */
		struct {
			/** BPF_F_KPROBE_MULTI_RETURN */
			__u32 flags;
			/** number of entries in each array */
			__u32 cnt;
			/** kernel function names; or use @ref addrs */
			const char **syms;
			/** kernel function addresses */
			const unsigned long *addrs;
			/** per-function cookies; may be NULL */
			const __u64 *cookies;
		} kprobe_multi;
		/** BPF_TRACE_UPROBE_MULTI and BPF_TRACE_UPROBE_SESSION */
		struct {
			/** BPF_F_UPROBE_MULTI_RETURN, BPF_F_UPROBE_MULTI_PATH_FD */
			__u32 flags;
			/** number of entries in each array */
			__u32 cnt;
			/** binary to probe */
			const char *path;
			/** file offsets of the probes */
			const unsigned long *offsets;
			/** reference counter (semaphore) offsets; may be NULL */
			const unsigned long *ref_ctr_offsets;
			/** per-probe cookies; may be NULL */
			const __u64 *cookies;
			/** only trigger in this process; 0 for all */
			__u32 pid;
			/** directory or file @ref path is relative to, with
			 *  BPF_F_UPROBE_MULTI_PATH_FD */
			__u32 path_fd;
		} uprobe_multi;
		/** fentry, fexit, fmod_ret, LSM, raw tracepoint */
		struct {
			/** value bpf_get_attach_cookie() returns */
			__u64 cookie;
		} tracing;
		/** BPF_NETFILTER */
		struct {
			/** protocol family */
			__u32 pf;
			/** netfilter hook */
			__u32 hooknum;
			/** hook priority */
			__s32 priority;
			/** BPF_F_NETFILTER_* flags */
			__u32 flags;
		} netfilter;
		/** BPF_TCX_INGRESS and BPF_TCX_EGRESS */
		struct {
			/** program or link file descriptor to order against */
			__u32 relative_fd;
			/** program or link id to order against */
			__u32 relative_id;
			/** expected attachment revision; 0: any */
			__u64 expected_revision;
		} tcx;
		/** BPF_NETKIT_PRIMARY and BPF_NETKIT_PEER */
		struct {
			/** program or link file descriptor to order against */
			__u32 relative_fd;
			/** program or link id to order against */
			__u32 relative_id;
			/** expected attachment revision; 0: any */
			__u64 expected_revision;
		} netkit;
		/** cgroup attach types */
		struct {
			/** program or link file descriptor to order against */
			__u32 relative_fd;
			/** program or link id to order against */
			__u32 relative_id;
			/** expected attachment revision; 0: any */
			__u64 expected_revision;
		} cgroup;
		/** BPF_TRACE_FENTRY_MULTI, BPF_TRACE_FEXIT_MULTI, ... */
		struct {
			/** BTF ids of the kernel functions */
			const __u32 *ids;
			/** per-function cookies; may be NULL */
			const __u64 *cookies;
			/** number of entries in each array */
			__u32 cnt;
		} tracing_multi;
	};
	size_t :0;
};
#define bpf_link_create_opts__last_field uprobe_multi.path_fd
BPFXX_OPTS_KNOWN_SIZE_(bpf_link_create_opts)

/**
 * @brief **bpf_link_create()** attaches a program and returns a BPF link
 * that represents the attachment (BPF_LINK_CREATE); closing the last file
 * descriptor of the link detaches it unless it is pinned.
 * @param prog_fd program file descriptor
 * @param target_fd target file descriptor or interface index; 0 where the
 * attach type has none
 * @param attach_type attach type
 * @param opts type-specific attributes; may be NULL
 * @return file descriptor of the new link; negative error code on error
 */
LIBBPF_API int bpf_link_create(int prog_fd, int target_fd,
			       enum bpf_attach_type attach_type,
			       const struct bpf_link_create_opts *opts);

/**
 * @brief **bpf_link_detach()** detaches a link from its target while the
 * link itself stays open (BPF_LINK_DETACH).
 * @param link_fd link file descriptor
 * @return 0 on success; negative error code on error
 */
LIBBPF_API int bpf_link_detach(int link_fd);

/** @brief Optional attributes for **bpf_link_update()**. */
struct bpf_link_update_opts {
	/** sizeof(struct bpf_link_update_opts) as compiled by the caller */
	size_t sz;
	/** BPF_F_REPLACE to make the update conditional */
	__u32 flags;
	/** with BPF_F_REPLACE: the program expected in the link */
	__u32 old_prog_fd;
	/** with BPF_F_REPLACE: the map expected in a struct_ops link */
	__u32 old_map_fd;
};
#define bpf_link_update_opts__last_field old_map_fd
BPFXX_OPTS_KNOWN_SIZE_(bpf_link_update_opts)

/**
 * @brief **bpf_link_update()** replaces the program (or the struct_ops map)
 * of a link in place (BPF_LINK_UPDATE).
 * @param link_fd link file descriptor
 * @param new_prog_fd new program, or new map for a struct_ops link
 * @param opts conditions; may be NULL
 * @return 0 on success; negative error code on error
 */
LIBBPF_API int bpf_link_update(int link_fd, int new_prog_fd,
			       const struct bpf_link_update_opts *opts);

/**
 * @brief **bpf_iter_create()** starts a new pass of a BPF iterator; reading
 * the returned file descriptor runs the iterator program.
 * @param link_fd file descriptor of an iterator link
 * @return readable file descriptor; negative error code on error
 */
LIBBPF_API int bpf_iter_create(int link_fd);

/* ---- Test runs: old argument block ------------------------------------ */

/**
 * @brief Argument block of the test-run function that libbpf 1.0 removed;
 * kept so that old declarations still compile. Use struct bpf_test_run_opts.
 */
struct bpf_prog_test_run_attr {
	int prog_fd;
	int repeat;
	const void *data_in;
	__u32 data_size_in;
	void *data_out;
	__u32 data_size_out;
	__u32 retval;
	__u32 duration;
	const void *ctx_in;
	__u32 ctx_size_in;
	void *ctx_out;
	__u32 ctx_size_out;
};

/* ---- Object ids and file descriptors ---------------------------------- */

/**
 * @brief **bpf_prog_get_next_id()** finds the smallest id of a loaded
 * program that is greater than @p start_id.
 * @param start_id id to continue after; 0 to start
 * @param next_id receives the id found
 * @return 0 on success; -ENOENT when there is none; other negative error
 * code on error
 */
LIBBPF_API int bpf_prog_get_next_id(__u32 start_id, __u32 *next_id);

/**
 * @brief **bpf_map_get_next_id()** finds the smallest map id greater than
 * @p start_id.
 * @param start_id id to continue after; 0 to start
 * @param next_id receives the id found
 * @return 0 on success; -ENOENT when there is none; other negative error
 * code on error
 */
LIBBPF_API int bpf_map_get_next_id(__u32 start_id, __u32 *next_id);

/**
 * @brief **bpf_btf_get_next_id()** finds the smallest BTF object id greater
 * than @p start_id.
 * @param start_id id to continue after; 0 to start
 * @param next_id receives the id found
 * @return 0 on success; -ENOENT when there is none; other negative error
 * code on error
 */
LIBBPF_API int bpf_btf_get_next_id(__u32 start_id, __u32 *next_id);

/**
 * @brief **bpf_link_get_next_id()** finds the smallest link id greater than
 * @p start_id.
 * @param start_id id to continue after; 0 to start
 * @param next_id receives the id found
 * @return 0 on success; -ENOENT when there is none; other negative error
 * code on error
 */
LIBBPF_API int bpf_link_get_next_id(__u32 start_id, __u32 *next_id);

/** @brief Optional attributes for the *_get_fd_by_id_opts() functions. */
struct bpf_get_fd_by_id_opts {
	/** sizeof(struct bpf_get_fd_by_id_opts) as compiled by the caller */
	size_t sz;
	/** access requested: BPF_F_RDONLY or BPF_F_WRONLY; 0 for both */
	__u32 open_flags;
	/** BPF token for BPF_BTF_GET_FD_BY_ID (the other commands take none; the caller also sets BPF_F_TOKEN_FD in open_flags) */
	__u32 token_fd;
	size_t :0;
};
#define bpf_get_fd_by_id_opts__last_field token_fd
BPFXX_OPTS_KNOWN_SIZE_(bpf_get_fd_by_id_opts)

/**
 * @brief **bpf_prog_get_fd_by_id()** opens the program with the given id.
 * @param id program id
 * @return new file descriptor; negative error code on error
 */
LIBBPF_API int bpf_prog_get_fd_by_id(__u32 id);

/**
 * @brief **bpf_prog_get_fd_by_id_opts()** is **bpf_prog_get_fd_by_id()**
 * with options.
 * @param id program id
 * @param opts options; may be NULL
 * @return new file descriptor; negative error code on error
 */
LIBBPF_API int bpf_prog_get_fd_by_id_opts(__u32 id,
					  const struct bpf_get_fd_by_id_opts *opts);

/**
 * @brief **bpf_map_get_fd_by_id()** opens the map with the given id.
 * @param id map id
 * @return new file descriptor; negative error code on error
 */
LIBBPF_API int bpf_map_get_fd_by_id(__u32 id);

/**
 * @brief **bpf_map_get_fd_by_id_opts()** is **bpf_map_get_fd_by_id()** with
 * options, such as read-only access.
 * @param id map id
 * @param opts options; may be NULL
 * @return new file descriptor; negative error code on error
 */
LIBBPF_API int bpf_map_get_fd_by_id_opts(__u32 id,
					 const struct bpf_get_fd_by_id_opts *opts);

/**
 * @brief **bpf_btf_get_fd_by_id()** opens the BTF object with the given id.
 * @param id BTF object id
 * @return new file descriptor; negative error code on error
 */
LIBBPF_API int bpf_btf_get_fd_by_id(__u32 id);

/**
 * @brief **bpf_btf_get_fd_by_id_opts()** is **bpf_btf_get_fd_by_id()** with
 * options.
 * @param id BTF object id
 * @param opts options; may be NULL
 * @return new file descriptor; negative error code on error
 */
LIBBPF_API int bpf_btf_get_fd_by_id_opts(__u32 id,
					 const struct bpf_get_fd_by_id_opts *opts);

/**
 * @brief **bpf_link_get_fd_by_id()** opens the link with the given id.
 * @param id link id
 * @return new file descriptor; negative error code on error
 */
LIBBPF_API int bpf_link_get_fd_by_id(__u32 id);

/**
 * @brief **bpf_link_get_fd_by_id_opts()** is **bpf_link_get_fd_by_id()**
 * with options.
 * @param id link id
 * @param opts options; may be NULL
 * @return new file descriptor; negative error code on error
 */
LIBBPF_API int bpf_link_get_fd_by_id_opts(__u32 id,
					  const struct bpf_get_fd_by_id_opts *opts);

/* ---- Object information ----------------------------------------------- */

/**
 * @brief **bpf_obj_get_info_by_fd()** asks the kernel to describe a map,
 * program, link or BTF object (BPF_OBJ_GET_INFO_BY_FD).
 *
 * The kernel fills in at most *info_len bytes. @p info should be zeroed
 * first, apart from the pointer and length fields that request extra
 * arrays; stray non-zero bytes can make the call fail.
 * @param bpf_fd file descriptor of the object
 * @param info the matching struct bpf_*_info
 * @param info_len in: size of @p info; out: bytes written
 * @return 0 on success; negative error code on error
 */
LIBBPF_API int bpf_obj_get_info_by_fd(int bpf_fd, void *info, __u32 *info_len);

/**
 * @brief **bpf_prog_get_info_by_fd()** is **bpf_obj_get_info_by_fd()** for
 * programs, with the type checked by the compiler.
 * @param prog_fd program file descriptor
 * @param info zeroed (or prepared) struct bpf_prog_info to fill
 * @param info_len in: size of @p info; out: bytes written
 * @return 0 on success; negative error code on error
 */
LIBBPF_API int bpf_prog_get_info_by_fd(int prog_fd, struct bpf_prog_info *info,
				       __u32 *info_len);

/**
 * @brief **bpf_map_get_info_by_fd()** is **bpf_obj_get_info_by_fd()** for
 * maps.
 * @param map_fd map file descriptor
 * @param info zeroed struct bpf_map_info to fill
 * @param info_len in: size of @p info; out: bytes written
 * @return 0 on success; negative error code on error
 */
LIBBPF_API int bpf_map_get_info_by_fd(int map_fd, struct bpf_map_info *info,
				      __u32 *info_len);

/**
 * @brief **bpf_btf_get_info_by_fd()** is **bpf_obj_get_info_by_fd()** for
 * BTF objects.
 * @param btf_fd BTF object file descriptor
 * @param info zeroed (or prepared) struct bpf_btf_info to fill
 * @param info_len in: size of @p info; out: bytes written
 * @return 0 on success; negative error code on error
 */
LIBBPF_API int bpf_btf_get_info_by_fd(int btf_fd, struct bpf_btf_info *info,
				      __u32 *info_len);

/**
 * @brief **bpf_link_get_info_by_fd()** is **bpf_obj_get_info_by_fd()** for
 * links.
 * @param link_fd link file descriptor
 * @param info zeroed (or prepared) struct bpf_link_info to fill
 * @param info_len in: size of @p info; out: bytes written
 * @return 0 on success; negative error code on error
 */
LIBBPF_API int bpf_link_get_info_by_fd(int link_fd, struct bpf_link_info *info,
				       __u32 *info_len);

/* ---- Querying attachments --------------------------------------------- */

/** @brief Inputs and outputs of **bpf_prog_query_opts()**. */
struct bpf_prog_query_opts {
	/** sizeof(struct bpf_prog_query_opts) as compiled by the caller */
	size_t sz;
	/** BPF_F_QUERY_EFFECTIVE and other query flags */
	__u32 query_flags;
	/** out: flags the programs were attached with */
	__u32 attach_flags;
	/** receives the ids of the attached programs; may be NULL */
	__u32 *prog_ids;
	union {
		/** in: room in the arrays; out: number attached */
		__u32 prog_cnt;
		/** same as @ref prog_cnt */
		__u32 count;
	};
	/** receives each program's attach flags; may be NULL */
	__u32 *prog_attach_flags;
	/** receives the link id of each attachment (0: none); may be NULL */
	__u32 *link_ids;
	/** receives each link's attach flags; may be NULL */
	__u32 *link_attach_flags;
	/** out: current attachment revision of the target */
	__u64 revision;
	size_t :0;
};
#define bpf_prog_query_opts__last_field revision
BPFXX_OPTS_KNOWN_SIZE_(bpf_prog_query_opts)

/**
 * @brief **bpf_prog_query_opts()** lists the programs and links attached to
 * a target given by file descriptor or network interface index.
 * @param target target file descriptor or interface index
 * @param type attach type to query
 * @param opts query flags in, results out
 * @return 0 on success; negative error code on error
 */
LIBBPF_API int bpf_prog_query_opts(int target, enum bpf_attach_type type,
				   struct bpf_prog_query_opts *opts);

/**
 * @brief **bpf_prog_query()** lists the programs attached to a target; the
 * short form of **bpf_prog_query_opts()**.
 * @param target_fd target file descriptor
 * @param type attach type to query
 * @param query_flags query flags
 * @param attach_flags receives the attach flags; may be NULL
 * @param prog_ids receives the program ids; may be NULL
 * @param prog_cnt in: room in @p prog_ids; out: number attached
 * @return 0 on success; negative error code on error
 */
LIBBPF_API int bpf_prog_query(int target_fd, enum bpf_attach_type type,
			      __u32 query_flags, __u32 *attach_flags,
			      __u32 *prog_ids, __u32 *prog_cnt);

/* ---- Raw tracepoints and tracing -------------------------------------- */

/** @brief Attributes for **bpf_raw_tracepoint_open_opts()**. */
struct bpf_raw_tp_opts {
	/** sizeof(struct bpf_raw_tp_opts) as compiled by the caller */
	size_t sz;
	/** tracepoint name; NULL for programs that know their target */
	const char *tp_name;
	/** value bpf_get_attach_cookie() returns */
	__u64 cookie;
	size_t :0;
};
#define bpf_raw_tp_opts__last_field cookie
BPFXX_OPTS_KNOWN_SIZE_(bpf_raw_tp_opts)

/**
 * @brief **bpf_raw_tracepoint_open_opts()** attaches a raw tracepoint or
 * BTF-based tracing program (BPF_RAW_TRACEPOINT_OPEN).
 * @param prog_fd program file descriptor
 * @param opts tracepoint name and cookie; may be NULL
 * @return file descriptor of the new link; negative error code on error
 */
LIBBPF_API int bpf_raw_tracepoint_open_opts(int prog_fd,
					    struct bpf_raw_tp_opts *opts);

/**
 * @brief **bpf_raw_tracepoint_open()** attaches a program to the raw
 * tracepoint @p name.
 * @param name tracepoint name; NULL for programs that know their target
 * @param prog_fd program file descriptor
 * @return file descriptor of the new link; negative error code on error
 */
LIBBPF_API int bpf_raw_tracepoint_open(const char *name, int prog_fd);

/**
 * @brief **bpf_task_fd_query()** describes the BPF program attached through
 * a perf event or raw tracepoint file descriptor of another task
 * (BPF_TASK_FD_QUERY).
 * @param pid process that owns @p fd
 * @param fd file descriptor number inside that process
 * @param flags must be 0
 * @param buf receives the tracepoint, function or file name; may be NULL
 * @param buf_len in: size of @p buf; out: length of the full name
 * @param prog_id receives the program id
 * @param fd_type receives a BPF_FD_TYPE_* value
 * @param probe_offset receives the probe offset (kprobe, uprobe)
 * @param probe_addr receives the probe address (kprobe)
 * @return 0 on success; negative error code on error
 */
LIBBPF_API int bpf_task_fd_query(int pid, int fd, __u32 flags, char *buf,
				 __u32 *buf_len, __u32 *prog_id, __u32 *fd_type,
				 __u64 *probe_offset, __u64 *probe_addr);

/**
 * @brief **bpf_enable_stats()** turns on kernel-wide BPF statistics, such
 * as program run time, for as long as the returned descriptor stays open.
 *
 * C++ callers pass an int, as with libbpf, so that code passing either an
 * int or a BPF_STATS_* enumerator compiles.
 * @param type which statistics, such as BPF_STATS_RUN_TIME
 * @return file descriptor to close when done; negative error code on error
 */
#ifdef __cplusplus
LIBBPF_API int bpf_enable_stats(int type);
#else
LIBBPF_API int bpf_enable_stats(enum bpf_stats_type type);
#endif

/* ---- Binding maps, test runs ------------------------------------------ */

/** @brief Optional attributes for **bpf_prog_bind_map()**. */
struct bpf_prog_bind_opts {
	/** sizeof(struct bpf_prog_bind_opts) as compiled by the caller */
	size_t sz;
	/** must be 0 */
	__u32 flags;
};
#define bpf_prog_bind_opts__last_field flags
BPFXX_OPTS_KNOWN_SIZE_(bpf_prog_bind_opts)

/**
 * @brief **bpf_prog_bind_map()** ties a map's lifetime to a program, so the
 * map lives as long as the program even if no instruction refers to it.
 * @param prog_fd program file descriptor
 * @param map_fd map file descriptor
 * @param opts flags; may be NULL
 * @return 0 on success; negative error code on error
 */
LIBBPF_API int bpf_prog_bind_map(int prog_fd, int map_fd,
				 const struct bpf_prog_bind_opts *opts);

/** @brief Inputs and outputs of **bpf_prog_test_run_opts()**. */
struct bpf_test_run_opts {
	/** sizeof(struct bpf_test_run_opts) as compiled by the caller */
	size_t sz;
	/** input packet or data; may be NULL */
	const void *data_in;
	/** receives the output data; may be NULL */
	void *data_out;
	/** size of @ref data_in in bytes */
	__u32 data_size_in;
	/** in: room in @ref data_out; out: size of the output data */
	__u32 data_size_out;
	/** input context; may be NULL */
	const void *ctx_in;
	/** receives the output context; may be NULL */
	void *ctx_out;
	/** size of @ref ctx_in in bytes */
	__u32 ctx_size_in;
	/** in: room in @ref ctx_out; out: size of the output context */
	__u32 ctx_size_out;
	/** out: return value of the program */
	__u32 retval;
	/** number of runs; 0 means 1 */
	int repeat;
	/** out: average duration of one run in nanoseconds */
	__u32 duration;
	/** BPF_F_TEST_* flags */
	__u32 flags;
	/** CPU to run on, with BPF_F_TEST_RUN_ON_CPU */
	__u32 cpu;
	/** packets per batch for XDP live-frame runs */
	__u32 batch_size;
};
#define bpf_test_run_opts__last_field batch_size
BPFXX_OPTS_KNOWN_SIZE_(bpf_test_run_opts)

/**
 * @brief **bpf_prog_test_run_opts()** runs a loaded program on supplied
 * input without attaching it (BPF_PROG_TEST_RUN).
 * @param prog_fd program file descriptor
 * @param opts input, output buffers and results
 * @return 0 on success (the program's own result is in opts->retval);
 * negative error code on error
 */
LIBBPF_API int bpf_prog_test_run_opts(int prog_fd,
				      struct bpf_test_run_opts *opts);

/* ---- BPF tokens ------------------------------------------------------- */

/** @brief Optional attributes for **bpf_token_create()**. */
struct bpf_token_create_opts {
	/** sizeof(struct bpf_token_create_opts) as compiled by the caller */
	size_t sz;
	/** must be 0 */
	__u32 flags;
	size_t :0;
};
#define bpf_token_create_opts__last_field flags
BPFXX_OPTS_KNOWN_SIZE_(bpf_token_create_opts)

/**
 * @brief **bpf_token_create()** creates a BPF token from a BPF file system
 * mounted with delegation options (BPF_TOKEN_CREATE).
 *
 * The token's file descriptor can be passed as token_fd to map, program
 * and BTF creation to use the permissions delegated by that mount.
 * @param bpffs_fd file descriptor of the BPF file system's root directory
 * @param opts flags; may be NULL
 * @return file descriptor of the token; negative error code on error
 */
LIBBPF_API int bpf_token_create(int bpffs_fd,
				struct bpf_token_create_opts *opts);

/* ---- Program streams -------------------------------------------------- */

/** @brief Optional attributes for **bpf_prog_stream_read()**. */
struct bpf_prog_stream_read_opts {
	/** sizeof(struct bpf_prog_stream_read_opts) as compiled by the caller */
	size_t sz;
	size_t :0;
};
#define bpf_prog_stream_read_opts__last_field sz
BPFXX_OPTS_KNOWN_SIZE_(bpf_prog_stream_read_opts)

/**
 * @brief **bpf_prog_stream_read()** takes text a program (or the kernel on
 * its behalf) wrote to one of the program's streams
 * (BPF_PROG_STREAM_READ_BY_FD). Data that is read is removed from the
 * stream.
 * @param prog_fd program file descriptor
 * @param stream_id BPF_STDOUT or BPF_STDERR
 * @param buf receives the text
 * @param buf_len size of @p buf in bytes
 * @param opts options; may be NULL
 * @return number of bytes read, 0 when the stream is empty; negative error
 * code on error
 */
LIBBPF_API int bpf_prog_stream_read(int prog_fd, __u32 stream_id, void *buf,
				    __u32 buf_len,
				    struct bpf_prog_stream_read_opts *opts);

/* ---- struct_ops association ------------------------------------------- */

/** @brief Optional attributes for **bpf_prog_assoc_struct_ops()**. */
struct bpf_prog_assoc_struct_ops_opts {
	/** sizeof(struct bpf_prog_assoc_struct_ops_opts) as compiled by the
	 *  caller */
	size_t sz;
	/** must be 0 */
	__u32 flags;
	size_t :0;
};
#define bpf_prog_assoc_struct_ops_opts__last_field flags
BPFXX_OPTS_KNOWN_SIZE_(bpf_prog_assoc_struct_ops_opts)

/**
 * @brief **bpf_prog_assoc_struct_ops()** associates a program with a
 * struct_ops map (BPF_PROG_ASSOC_STRUCT_OPS), so that kfuncs called by the
 * program can find the struct_ops instance it works for.
 * @param prog_fd program file descriptor
 * @param map_fd struct_ops map file descriptor
 * @param opts flags; may be NULL
 * @return 0 on success; negative error code on error
 */
LIBBPF_API int bpf_prog_assoc_struct_ops(int prog_fd, int map_fd,
					 struct bpf_prog_assoc_struct_ops_opts *opts);

#if defined(__cplusplus) && defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* __LIBBPF_BPF_H */
