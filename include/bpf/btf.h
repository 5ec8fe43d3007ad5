/* Part of bpfxx. */
/*
 * BTF, the BPF Type Format: reading type information from raw blobs, ELF
 * files and the kernel; querying it; building new type information; loading
 * it into the kernel; and the .BTF.ext companion section that carries
 * function, line and CO-RE relocation records.
 *
 * Pointer-returning functions return NULL and set errno on failure;
 * int-returning ones return a negative error code and set errno.
 *
 * Thread safety: a BTF object may be queried from several threads at once
 * (its lazily built name index is built exactly once). Modifying it
 * (btf__add_*(), btf__set_*()) needs exclusive access.
 */
#ifndef __LIBBPF_BTF_H
#define __LIBBPF_BTF_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#include "uapi/linux/btf.h"

#include "libbpf_common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** @brief Name of the ELF section holding BTF type information. */
#define BTF_ELF_SEC ".BTF"
/** @brief Name of the ELF section holding func/line/CO-RE records. */
#define BTF_EXT_ELF_SEC ".BTF.ext"
/** @brief Name of the ELF section holding a distilled base BTF. */
#define BTF_BASE_ELF_SEC ".BTF.base"
/** @brief Name of the ELF section holding BTF-defined maps. */
#define MAPS_ELF_SEC ".maps"

struct btf;
struct btf_ext;
struct btf_type;

struct bpf_object;

/** @brief Byte order of a BTF blob. */
enum btf_endianness {
	BTF_LITTLE_ENDIAN = 0,
	BTF_BIG_ENDIAN = 1,
};

/* ---- Creating and freeing ----------------------------------------------- */

/**
 * @brief **btf__free()** releases a BTF object and everything it owns.
 * @param btf BTF object; NULL is accepted and ignored
 */
LIBBPF_API void btf__free(struct btf *btf);

/**
 * @brief **btf__new()** builds a BTF object from a raw BTF blob (the
 * contents of a .BTF section or of /sys/kernel/btf/vmlinux).
 *
 * The blob is copied; the caller may free @p data afterwards. A blob in
 * the other byte order is accepted and converted.
 * @param data raw BTF bytes
 * @param size number of bytes at @p data
 * @return a new BTF object, to be released with **btf__free()**; NULL with
 * errno set when the blob is malformed
 */
LIBBPF_API struct btf *btf__new(const void *data, __u32 size);

/**
 * @brief **btf__new_split()** builds a split BTF object from a raw blob
 * whose types and strings continue those of @p base_btf.
 * @param data raw BTF bytes
 * @param size number of bytes at @p data
 * @param base_btf base BTF; NULL makes this the same as **btf__new()**
 * @return a new BTF object (which references, but does not own,
 * @p base_btf); NULL with errno set on error
 */
LIBBPF_API struct btf *btf__new_split(const void *data, __u32 size, struct btf *base_btf);

/**
 * @brief **btf__new_empty()** creates a BTF object holding only the void
 * type, ready to be filled with the **btf__add_*()** functions.
 * @return a new BTF object; NULL with errno set on error
 */
LIBBPF_API struct btf *btf__new_empty(void);

/**
 * @brief **btf__new_empty_split()** creates an empty split BTF object whose
 * first type id follows the last one of @p base_btf.
 * @param base_btf base BTF; NULL makes this the same as **btf__new_empty()**
 * @return a new BTF object; NULL with errno set on error
 */
LIBBPF_API struct btf *btf__new_empty_split(struct btf *base_btf);

/** @brief Options for **btf__new_empty_opts()**. */
struct btf_new_opts {
	/** sizeof(struct btf_new_opts) as compiled by the caller */
	size_t sz;
	/** base BTF to extend, or NULL */
	struct btf *base_btf;
	/** emit the kind layout section in the raw data */
	bool add_layout;
	size_t :0;
};
#define btf_new_opts__last_field add_layout
BPFXX_OPTS_KNOWN_SIZE_(btf_new_opts)

/**
 * @brief **btf__new_empty_opts()** creates an empty BTF object, optionally
 * split over a base, optionally describing the size of every kind in a
 * layout section of its raw data.
 * @param opts options; NULL means no base and no layout section
 * @return a new BTF object; NULL with errno set on error
 */
LIBBPF_API struct btf *btf__new_empty_opts(struct btf_new_opts *opts);

/**
 * @brief **btf__parse()** reads BTF from a file that is either an ELF
 * object (its .BTF and optional .BTF.ext sections) or a raw BTF blob.
 * @param path file to read
 * @param btf_ext if not NULL and the file is an ELF object with a .BTF.ext
 * section, receives a new btf_ext object (NULL otherwise)
 * @return a new BTF object; NULL with errno set on error
 */
LIBBPF_API struct btf *btf__parse(const char *path, struct btf_ext **btf_ext);

/**
 * @brief **btf__parse_split()** is **btf__parse()** for split BTF whose
 * types continue @p base_btf.
 * @param path file to read (ELF or raw BTF)
 * @param base_btf base BTF, or NULL
 * @return a new BTF object; NULL with errno set on error
 */
LIBBPF_API struct btf *btf__parse_split(const char *path, struct btf *base_btf);

/**
 * @brief **btf__parse_elf()** reads the .BTF section (and optionally the
 * .BTF.ext section) of an ELF file.
 * @param path ELF file
 * @param btf_ext if not NULL, receives the parsed .BTF.ext section, or NULL
 * when the file has none
 * @return a new BTF object; NULL with errno set on error (ENODATA or ENOENT
 * when the file has no .BTF section)
 */
LIBBPF_API struct btf *btf__parse_elf(const char *path, struct btf_ext **btf_ext);

/**
 * @brief **btf__parse_elf_split()** reads the .BTF section of an ELF file
 * as split BTF over @p base_btf.
 * @param path ELF file
 * @param base_btf base BTF, or NULL
 * @return a new BTF object; NULL with errno set on error
 */
LIBBPF_API struct btf *btf__parse_elf_split(const char *path, struct btf *base_btf);

/**
 * @brief **btf__parse_raw()** reads a file holding a raw BTF blob, such as
 * /sys/kernel/btf/vmlinux.
 * @param path file to read
 * @return a new BTF object; NULL with errno set on error
 */
LIBBPF_API struct btf *btf__parse_raw(const char *path);

/**
 * @brief **btf__parse_raw_split()** reads a raw BTF blob as split BTF over
 * @p base_btf, as for module BTF under /sys/kernel/btf/.
 * @param path file to read
 * @param base_btf base BTF, or NULL
 * @return a new BTF object; NULL with errno set on error
 */
LIBBPF_API struct btf *btf__parse_raw_split(const char *path, struct btf *base_btf);

/**
 * @brief **btf__load_vmlinux_btf()** reads the running kernel's BTF, from
 * /sys/kernel/btf/vmlinux or, failing that, from a vmlinux image in the
 * usual places.
 * @return a new BTF object owned by the caller; NULL with errno set on
 * error
 */
LIBBPF_API struct btf *btf__load_vmlinux_btf(void);

/**
 * @brief **btf__load_module_btf()** reads the BTF of a loaded kernel module
 * from /sys/kernel/btf/<module_name>, as split BTF over @p vmlinux_btf.
 * @param module_name name of the module
 * @param vmlinux_btf kernel BTF to use as base
 * @return a new BTF object; NULL with errno set on error
 */
LIBBPF_API struct btf *btf__load_module_btf(const char *module_name, struct btf *vmlinux_btf);

/**
 * @brief **btf__load_from_kernel_by_id()** fetches a BTF object already
 * loaded in the kernel, by its BTF id.
 * @param id kernel BTF object id
 * @return a new BTF object; NULL with errno set on error
 */
LIBBPF_API struct btf *btf__load_from_kernel_by_id(__u32 id);

/**
 * @brief **btf__load_from_kernel_by_id_split()** fetches a kernel BTF object
 * by id, as split BTF over @p base_btf (for module BTF).
 * @param id kernel BTF object id
 * @param base_btf base BTF, or NULL
 * @return a new BTF object; NULL with errno set on error
 */
LIBBPF_API struct btf *btf__load_from_kernel_by_id_split(__u32 id, struct btf *base_btf);

/**
 * @brief **btf__load_into_kernel()** loads the BTF object into the kernel
 * (BPF_BTF_LOAD) and keeps the resulting file descriptor in it.
 *
 * Kinds the running kernel does not know are rewritten into equivalents it
 * accepts first; the object itself keeps its original types. The kernel's
 * log is printed through the libbpf print callback on failure.
 * @param btf BTF object
 * @return 0 on success; negative error code otherwise
 */
LIBBPF_API int btf__load_into_kernel(struct btf *btf);

/* ---- Queries ------------------------------------------------------------ */

/**
 * @brief **btf__find_by_name()** looks a type up by name.
 * @param btf BTF object (its base BTF is searched too)
 * @param type_name name to look for; "void" finds type id 0
 * @return the id of the first type with that name; -ENOENT if none
 */
LIBBPF_API __s32 btf__find_by_name(const struct btf *btf,
				   const char *type_name);

/**
 * @brief **btf__find_by_name_kind()** looks a type up by name and kind.
 * @param btf BTF object (its base BTF is searched too)
 * @param type_name name to look for
 * @param kind one of the BTF_KIND_* values
 * @return the id of the first matching type; -ENOENT if none
 */
LIBBPF_API __s32 btf__find_by_name_kind(const struct btf *btf,
					const char *type_name, __u32 kind);

/**
 * @brief **btf__type_cnt()** reports the number of type ids in use, the
 * void type and any base BTF's types included.
 * @param btf BTF object
 * @return one more than the highest valid type id
 */
LIBBPF_API __u32 btf__type_cnt(const struct btf *btf);

/**
 * @brief **btf__base_btf()** returns the base of a split BTF object.
 * @param btf BTF object
 * @return the base BTF, or NULL when @p btf is not split
 */
LIBBPF_API const struct btf *btf__base_btf(const struct btf *btf);

/**
 * @brief **btf__type_by_id()** returns the type record of a type id.
 *
 * The record is in host byte order and stays valid until the object is
 * modified or freed.
 * @param btf BTF object
 * @param id type id (ids of the base BTF are accepted for split BTF)
 * @return the type record; NULL with errno set to EINVAL for an id out of
 * range
 */
LIBBPF_API const struct btf_type *btf__type_by_id(const struct btf *btf,
						  __u32 id);

/**
 * @brief **btf__pointer_size()** reports the size of a pointer on the
 * target the BTF describes, guessed from its types unless set explicitly.
 * @param btf BTF object
 * @return 4 or 8; 0 if it cannot be determined
 */
LIBBPF_API size_t btf__pointer_size(const struct btf *btf);

/**
 * @brief **btf__set_pointer_size()** sets the target's pointer size.
 * @param btf BTF object
 * @param ptr_sz 4 or 8
 * @return 0 on success; -EINVAL for any other size
 */
LIBBPF_API int btf__set_pointer_size(struct btf *btf, size_t ptr_sz);

/**
 * @brief **btf__endianness()** reports the byte order the raw data of the
 * object is produced in (the byte order it was read in, unless changed).
 * @param btf BTF object
 * @return BTF_LITTLE_ENDIAN or BTF_BIG_ENDIAN
 */
LIBBPF_API enum btf_endianness btf__endianness(const struct btf *btf);

/**
 * @brief **btf__set_endianness()** chooses the byte order of the raw data
 * that **btf__raw_data()** returns. Queries are unaffected.
 * @param btf BTF object
 * @param endian BTF_LITTLE_ENDIAN or BTF_BIG_ENDIAN
 * @return 0 on success; -EINVAL otherwise
 */
LIBBPF_API int btf__set_endianness(struct btf *btf, enum btf_endianness endian);

/**
 * @brief **btf__resolve_size()** computes the size in bytes of a type,
 * following typedefs, modifiers and arrays.
 * @param btf BTF object
 * @param type_id type id
 * @return the size; negative error code if the type has no size (function,
 * forward declaration, void) or the type chain is broken or loops
 */
LIBBPF_API __s64 btf__resolve_size(const struct btf *btf, __u32 type_id);

/**
 * @brief **btf__resolve_type()** skips typedefs, modifiers, type tags and
 * variables to reach the underlying type.
 * @param btf BTF object
 * @param type_id type id
 * @return the id of the underlying type; -EINVAL when that is void or a
 * forward declaration, or the chain is broken or loops
 */
LIBBPF_API int btf__resolve_type(const struct btf *btf, __u32 type_id);

/**
 * @brief **btf__align_of()** computes the alignment in bytes of a type, as a
 * C compiler for the target would (packed structs give 1).
 * @param btf BTF object
 * @param id type id
 * @return the alignment; 0 with errno set to EINVAL for a type without
 * one (void, forward declaration, function...); negative error code for a
 * bad id or a broken type chain
 */
LIBBPF_API int btf__align_of(const struct btf *btf, __u32 id);

/**
 * @brief **btf__fd()** returns the kernel file descriptor of a loaded BTF
 * object.
 * @param btf BTF object
 * @return the file descriptor, or a negative value if not loaded
 */
LIBBPF_API int btf__fd(const struct btf *btf);

/**
 * @brief **btf__set_fd()** records a kernel file descriptor in the object,
 * which closes it when freed (as it does the one **btf__load_into_kernel()**
 * creates).
 * @param btf BTF object
 * @param fd file descriptor, or -1 to forget it
 */
LIBBPF_API void btf__set_fd(struct btf *btf, int fd);

/**
 * @brief **btf__raw_data()** serializes the object into a raw BTF blob in
 * the byte order chosen with **btf__set_endianness()**.
 *
 * The blob is owned by the object and stays valid until it is modified or
 * freed.
 * @param btf BTF object
 * @param size receives the blob's size in bytes
 * @return the blob; NULL with errno set on error
 */
LIBBPF_API const void *btf__raw_data(const struct btf *btf, __u32 *size);

/**
 * @brief **btf__name_by_offset()** returns the string at an offset of the
 * string section (of the object or of its base).
 * @param btf BTF object
 * @param offset string offset
 * @return the string; NULL with errno set to EINVAL for a bad offset
 */
LIBBPF_API const char *btf__name_by_offset(const struct btf *btf, __u32 offset);

/**
 * @brief **btf__str_by_offset()** is the same as **btf__name_by_offset()**.
 * @param btf BTF object
 * @param offset string offset
 * @return the string; NULL with errno set to EINVAL for a bad offset
 */
LIBBPF_API const char *btf__str_by_offset(const struct btf *btf, __u32 offset);

/* ---- .BTF.ext ----------------------------------------------------------- */

/**
 * @brief **btf_ext__new()** parses a .BTF.ext section: function info, line
 * info and CO-RE relocation records, each grouped by ELF section.
 * @param data raw section bytes (copied)
 * @param size number of bytes at @p data
 * @return a new btf_ext object; NULL with errno set when the data is
 * malformed
 */
LIBBPF_API struct btf_ext *btf_ext__new(const __u8 *data, __u32 size);

/**
 * @brief **btf_ext__free()** releases a btf_ext object.
 * @param btf_ext object; NULL is accepted and ignored
 */
LIBBPF_API void btf_ext__free(struct btf_ext *btf_ext);

/**
 * @brief **btf_ext__raw_data()** returns the raw .BTF.ext bytes, in the
 * byte order chosen with **btf_ext__set_endianness()**.
 * @param btf_ext object
 * @param size receives the size in bytes
 * @return the bytes, owned by the object; NULL with errno set on error
 */
LIBBPF_API const void *btf_ext__raw_data(const struct btf_ext *btf_ext, __u32 *size);

/**
 * @brief **btf_ext__endianness()** reports the byte order of the object's raw
 * data.
 * @param btf_ext object
 * @return BTF_LITTLE_ENDIAN or BTF_BIG_ENDIAN
 */
LIBBPF_API enum btf_endianness btf_ext__endianness(const struct btf_ext *btf_ext);

/**
 * @brief **btf_ext__set_endianness()** chooses the byte order of the raw
 * data **btf_ext__raw_data()** returns.
 * @param btf_ext object
 * @param endian BTF_LITTLE_ENDIAN or BTF_BIG_ENDIAN
 * @return 0 on success; -EINVAL otherwise
 */
LIBBPF_API int btf_ext__set_endianness(struct btf_ext *btf_ext,
				       enum btf_endianness endian);

/* ---- Building ----------------------------------------------------------- */

/**
 * @brief **btf__find_str()** looks a string up in the string section (and
 * the base's).
 * @param btf BTF object
 * @param s string
 * @return its offset; -ENOENT if absent
 */
LIBBPF_API int btf__find_str(struct btf *btf, const char *s);

/**
 * @brief **btf__add_str()** adds a string to the string section unless it
 * is already there.
 * @param btf BTF object
 * @param s string
 * @return its offset; negative error code on error
 */
LIBBPF_API int btf__add_str(struct btf *btf, const char *s);

/**
 * @brief **btf__add_type()** copies one type record from another BTF
 * object, with its strings; referenced type ids are copied unchanged.
 * @param btf destination
 * @param src_btf BTF that @p src_type belongs to
 * @param src_type type record to copy
 * @return the new type's id; negative error code on error
 */
LIBBPF_API int btf__add_type(struct btf *btf, const struct btf *src_btf,
			     const struct btf_type *src_type);

/**
 * @brief **btf__add_btf()** appends every type of @p src_btf, shifting the
 * type ids they reference so that they stay consistent.
 *
 * Either all types are added or, on error, @p btf is left as it was.
 * @param btf destination
 * @param src_btf source; must not be split BTF
 * @return the id the first copied type received; negative error code on
 * error (-EOPNOTSUPP for split @p src_btf)
 */
LIBBPF_API int btf__add_btf(struct btf *btf, const struct btf *src_btf);

/**
 * @brief **btf__add_int()** appends an integer type.
 * @param btf BTF object
 * @param name non-empty name
 * @param byte_sz 1, 2, 4, 8 or 16
 * @param encoding 0 or a combination of BTF_INT_SIGNED, BTF_INT_CHAR and
 * BTF_INT_BOOL
 * @return the new type id; negative error code on error
 */
LIBBPF_API int btf__add_int(struct btf *btf, const char *name, size_t byte_sz, int encoding);

/**
 * @brief **btf__add_float()** appends a floating-point type.
 * @param btf BTF object
 * @param name non-empty name
 * @param byte_sz 2, 4, 8, 12 or 16
 * @return the new type id; negative error code on error
 */
LIBBPF_API int btf__add_float(struct btf *btf, const char *name, size_t byte_sz);

/**
 * @brief **btf__add_ptr()** appends a pointer type.
 * @param btf BTF object
 * @param ref_type_id pointee type id (0 for void)
 * @return the new type id; negative error code on error
 */
LIBBPF_API int btf__add_ptr(struct btf *btf, int ref_type_id);

/**
 * @brief **btf__add_array()** appends an array type.
 * @param btf BTF object
 * @param index_type_id type id of the index
 * @param elem_type_id type id of the elements
 * @param nr_elems number of elements
 * @return the new type id; negative error code on error
 */
LIBBPF_API int btf__add_array(struct btf *btf,
			      int index_type_id, int elem_type_id, __u32 nr_elems);

/**
 * @brief **btf__add_struct()** appends a struct type; add its members with
 * **btf__add_field()** right after.
 * @param btf BTF object
 * @param name name, or NULL / "" for an anonymous struct
 * @param sz size in bytes
 * @return the new type id; negative error code on error
 */
LIBBPF_API int btf__add_struct(struct btf *btf, const char *name, __u32 sz);

/**
 * @brief **btf__add_union()** appends a union type; add its members with
 * **btf__add_field()** right after.
 * @param btf BTF object
 * @param name name, or NULL / "" for an anonymous union
 * @param sz size in bytes
 * @return the new type id; negative error code on error
 */
LIBBPF_API int btf__add_union(struct btf *btf, const char *name, __u32 sz);

/**
 * @brief **btf__add_field()** adds a member to the struct or union added
 * last.
 * @param btf BTF object
 * @param name member name, or NULL for an anonymous member
 * @param field_type_id member type id
 * @param bit_offset offset of the member in bits
 * @param bit_size bitfield width in bits, or 0 for a plain member
 * @return 0 on success; negative error code on error
 */
LIBBPF_API int btf__add_field(struct btf *btf, const char *name, int field_type_id,
			      __u32 bit_offset, __u32 bit_size);

/**
 * @brief **btf__add_enum()** appends an enum type with 32-bit values; add
 * its values with **btf__add_enum_value()** right after.
 * @param btf BTF object
 * @param name name, or NULL / "" for an anonymous enum
 * @param bytes_sz size in bytes (1, 2, 4 or 8)
 * @return the new type id; negative error code on error
 */
LIBBPF_API int btf__add_enum(struct btf *btf, const char *name, __u32 bytes_sz);

/**
 * @brief **btf__add_enum_value()** adds a value to the enum added last; a
 * negative value marks the enum signed.
 * @param btf BTF object
 * @param name non-empty enumerator name
 * @param value value, which must fit in 32 bits
 * @return 0 on success; negative error code on error
 */
LIBBPF_API int btf__add_enum_value(struct btf *btf, const char *name, __s64 value);

/**
 * @brief **btf__add_enum64()** appends an enum type with 64-bit values; add
 * its values with **btf__add_enum64_value()** right after.
 * @param btf BTF object
 * @param name name, or NULL / "" for an anonymous enum
 * @param bytes_sz size in bytes (1, 2, 4 or 8)
 * @param is_signed whether the values are signed
 * @return the new type id; negative error code on error
 */
LIBBPF_API int btf__add_enum64(struct btf *btf, const char *name, __u32 bytes_sz, bool is_signed);

/**
 * @brief **btf__add_enum64_value()** adds a value to the enum64 added last.
 * @param btf BTF object
 * @param name non-empty enumerator name
 * @param value value
 * @return 0 on success; negative error code on error
 */
LIBBPF_API int btf__add_enum64_value(struct btf *btf, const char *name, __u64 value);

/** @brief What a forward declaration announces. */
enum btf_fwd_kind {
	BTF_FWD_STRUCT = 0,
	BTF_FWD_UNION = 1,
	BTF_FWD_ENUM = 2,
};

/**
 * @brief **btf__add_fwd()** appends a forward declaration (an enum forward
 * declaration becomes an enum with no values and size 4).
 * @param btf BTF object
 * @param name non-empty name
 * @param fwd_kind what is declared
 * @return the new type id; negative error code on error
 */
LIBBPF_API int btf__add_fwd(struct btf *btf, const char *name, enum btf_fwd_kind fwd_kind);

/**
 * @brief **btf__add_typedef()** appends a typedef.
 * @param btf BTF object
 * @param name non-empty name
 * @param ref_type_id aliased type id
 * @return the new type id; negative error code on error
 */
LIBBPF_API int btf__add_typedef(struct btf *btf, const char *name, int ref_type_id);

/**
 * @brief **btf__add_volatile()** appends a volatile modifier.
 * @param btf BTF object
 * @param ref_type_id modified type id
 * @return the new type id; negative error code on error
 */
LIBBPF_API int btf__add_volatile(struct btf *btf, int ref_type_id);

/**
 * @brief **btf__add_const()** appends a const modifier.
 * @param btf BTF object
 * @param ref_type_id modified type id
 * @return the new type id; negative error code on error
 */
LIBBPF_API int btf__add_const(struct btf *btf, int ref_type_id);

/**
 * @brief **btf__add_restrict()** appends a restrict modifier.
 * @param btf BTF object
 * @param ref_type_id modified type id
 * @return the new type id; negative error code on error
 */
LIBBPF_API int btf__add_restrict(struct btf *btf, int ref_type_id);

/**
 * @brief **btf__add_type_tag()** appends a type tag (the
 * btf_type_tag("value") attribute) applied to a type.
 * @param btf BTF object
 * @param value non-empty tag text
 * @param ref_type_id tagged type id
 * @return the new type id; negative error code on error
 */
LIBBPF_API int btf__add_type_tag(struct btf *btf, const char *value, int ref_type_id);

/**
 * @brief **btf__add_type_attr()** appends a type tag that stands for a
 * plain type attribute (a type tag with the kind flag set).
 * @param btf BTF object
 * @param value non-empty attribute text
 * @param ref_type_id tagged type id
 * @return the new type id; negative error code on error
 */
LIBBPF_API int btf__add_type_attr(struct btf *btf, const char *value, int ref_type_id);

/**
 * @brief **btf__add_func()** appends a function.
 * @param btf BTF object
 * @param name non-empty name
 * @param linkage BTF_FUNC_STATIC, BTF_FUNC_GLOBAL or BTF_FUNC_EXTERN
 * @param proto_type_id id of its function prototype
 * @return the new type id; negative error code on error
 */
LIBBPF_API int btf__add_func(struct btf *btf, const char *name,
			     enum btf_func_linkage linkage, int proto_type_id);

/**
 * @brief **btf__add_func_proto()** appends a function prototype; add its
 * parameters with **btf__add_func_param()** right after.
 * @param btf BTF object
 * @param ret_type_id return type id (0 for void)
 * @return the new type id; negative error code on error
 */
LIBBPF_API int btf__add_func_proto(struct btf *btf, int ret_type_id);

/**
 * @brief **btf__add_func_param()** adds a parameter to the function
 * prototype added last; a nameless parameter of type 0 marks a variadic
 * function.
 * @param btf BTF object
 * @param name parameter name, or NULL
 * @param type_id parameter type id
 * @return 0 on success; negative error code on error
 */
LIBBPF_API int btf__add_func_param(struct btf *btf, const char *name, int type_id);

/**
 * @brief **btf__add_var()** appends a variable.
 * @param btf BTF object
 * @param name non-empty name
 * @param linkage BTF_VAR_STATIC, BTF_VAR_GLOBAL_ALLOCATED or
 * BTF_VAR_GLOBAL_EXTERN
 * @param type_id variable type id
 * @return the new type id; negative error code on error
 */
LIBBPF_API int btf__add_var(struct btf *btf, const char *name, int linkage, int type_id);

/**
 * @brief **btf__add_datasec()** appends a data section; describe its
 * variables with **btf__add_datasec_var_info()** right after.
 * @param btf BTF object
 * @param name non-empty section name
 * @param byte_sz section size in bytes
 * @return the new type id; negative error code on error
 */
LIBBPF_API int btf__add_datasec(struct btf *btf, const char *name, __u32 byte_sz);

/**
 * @brief **btf__add_datasec_var_info()** places a variable in the data
 * section added last.
 * @param btf BTF object
 * @param var_type_id variable type id
 * @param offset offset of the variable in the section
 * @param byte_sz size of the variable
 * @return 0 on success; negative error code on error
 */
LIBBPF_API int btf__add_datasec_var_info(struct btf *btf, int var_type_id,
					 __u32 offset, __u32 byte_sz);

/**
 * @brief **btf__add_decl_tag()** appends a declaration tag (the
 * btf_decl_tag("value") attribute) on a type, or on one of its members or
 * parameters.
 * @param btf BTF object
 * @param value non-empty tag text
 * @param ref_type_id tagged type id
 * @param component_idx -1 for the type itself, or a member / parameter
 * index
 * @return the new type id; negative error code on error
 */
LIBBPF_API int btf__add_decl_tag(struct btf *btf, const char *value, int ref_type_id,
				 int component_idx);

/**
 * @brief **btf__add_decl_attr()** appends a declaration tag that stands for
 * a plain declaration attribute (a declaration tag with the kind flag set).
 * @param btf BTF object
 * @param value non-empty attribute text
 * @param ref_type_id tagged type id
 * @param component_idx -1 for the type itself, or a member / parameter
 * index
 * @return the new type id; negative error code on error
 */
LIBBPF_API int btf__add_decl_attr(struct btf *btf, const char *value, int ref_type_id,
				  int component_idx);

/* ---- Deduplication and reordering (options) ----------------------------- */

/** @brief Options for **btf__dedup()**. */
struct btf_dedup_opts {
	/** sizeof(struct btf_dedup_opts) as compiled by the caller */
	size_t sz;
	/** .BTF.ext whose type ids are rewritten along with the types */
	struct btf_ext *btf_ext;
	/** make every hash collide (for testing) */
	bool force_collisions;
	size_t :0;
};
#define btf_dedup_opts__last_field force_collisions
BPFXX_OPTS_KNOWN_SIZE_(btf_dedup_opts)

/** @brief Options for **btf__permute()**. */
struct btf_permute_opts {
	/** sizeof(struct btf_permute_opts) as compiled by the caller */
	size_t sz;
	/** .BTF.ext whose type ids are rewritten along with the types */
	struct btf_ext *btf_ext;
	size_t :0;
};
#define btf_permute_opts__last_field btf_ext
BPFXX_OPTS_KNOWN_SIZE_(btf_permute_opts)

/**
 * @brief **btf__permute()** puts the types of @p btf in a new order, in
 * place: the type with id `start_id + i` gets id `id_map[i]`, and every
 * reference to it follows, in the types and in @p opts->btf_ext's function
 * info and CO-RE relocations.
 * @param btf the BTF object; for split BTF only its own types move
 * (`start_id` is `btf__type_cnt(btf__base_btf(btf))`), for base BTF
 * `start_id` is 1 (void keeps id 0)
 * @param id_map the new id of each type, `btf__type_cnt(btf) - start_id`
 * entries, each in `start_id .. btf__type_cnt(btf) - 1` and none twice
 * @param id_map_cnt the number of entries in @p id_map
 * @param opts optional; NULL for none
 * @return 0; or a negative error (-EINVAL for a bad map, -ENOMEM), errno
 * set, and @p btf unchanged
 */
LIBBPF_API int btf__permute(struct btf *btf, __u32 *id_map, __u32 id_map_cnt,
			    const struct btf_permute_opts *opts);

/* ---- C dump (types and options) ----------------------------------------- */

struct btf_dump;

/** @brief Options for **btf_dump__new()**. */
struct btf_dump_opts {
	/** sizeof(struct btf_dump_opts) as compiled by the caller */
	size_t sz;
};
#define btf_dump_opts__last_field sz
BPFXX_OPTS_KNOWN_SIZE_(btf_dump_opts)

/** @brief Output callback of a btf_dump: receives printf-style text. */
typedef void (*btf_dump_printf_fn_t)(void *ctx, const char *fmt, va_list args);

/** @brief Options for **btf_dump__emit_type_decl()**. */
struct btf_dump_emit_type_decl_opts {
	/** sizeof(struct btf_dump_emit_type_decl_opts) as compiled by the caller */
	size_t sz;
	/** name of the declared field or variable, or NULL for none */
	const char *field_name;
	/** tabs to add to the second and later lines of a multi-line type */
	int indent_level;
	/** leave out const, volatile and restrict */
	bool strip_mods;
	size_t :0;
};
#define btf_dump_emit_type_decl_opts__last_field strip_mods
BPFXX_OPTS_KNOWN_SIZE_(btf_dump_emit_type_decl_opts)

/** @brief Options for **btf_dump__dump_type_data()**. */
struct btf_dump_type_data_opts {
	/** sizeof(struct btf_dump_type_data_opts) as compiled by the caller */
	size_t sz;
	/** indentation unit; NULL means a tab */
	const char *indent_str;
	/** initial indentation depth */
	int indent_level;
	/** all on one line */
	bool compact;
	/** leave out member and type names */
	bool skip_names;
	/** print members whose value is zero too */
	bool emit_zeroes;
	/** print char arrays as strings */
	bool emit_strings;
	size_t :0;
};
#define btf_dump_type_data_opts__last_field emit_strings
BPFXX_OPTS_KNOWN_SIZE_(btf_dump_type_data_opts)

/* ---- C dump ---------------------------------------------------------------- */

/**
 * @brief **btf_dump__new()** creates a C dumper over a BTF object.
 * @param btf BTF object to dump (must outlive the dumper)
 * @param printf_fn callback that receives the output text
 * @param ctx first argument passed to @p printf_fn
 * @param opts options, or NULL
 * @return a new dumper; NULL with errno set on error
 */
LIBBPF_API struct btf_dump *btf_dump__new(const struct btf *btf,
					  btf_dump_printf_fn_t printf_fn,
					  void *ctx,
					  const struct btf_dump_opts *opts);

/**
 * @brief **btf_dump__free()** releases a dumper.
 * @param d dumper; NULL is accepted and ignored
 */
LIBBPF_API void btf_dump__free(struct btf_dump *d);

/**
 * @brief **btf_dump__dump_type()** emits the C definition of a type and of
 * every type it needs that was not emitted yet.
 * @param d dumper
 * @param id type id
 * @return 0 on success; negative error code on error
 */
LIBBPF_API int btf_dump__dump_type(struct btf_dump *d, __u32 id);

/**
 * @brief **btf_dump__emit_type_decl()** emits a C declaration naming a type
 * (with an optional field name), without any definition.
 * @param d dumper
 * @param id type id
 * @param opts options, or NULL
 * @return 0 on success; negative error code on error
 */
LIBBPF_API int
btf_dump__emit_type_decl(struct btf_dump *d, __u32 id,
			 const struct btf_dump_emit_type_decl_opts *opts);

/**
 * @brief **btf_dump__dump_type_data()** prints a value of a type, read from
 * memory, in C initializer-like syntax.
 * @param d dumper
 * @param id type id of the value
 * @param data the value's bytes
 * @param data_sz number of bytes at @p data
 * @param opts options, or NULL
 * @return the number of bytes of @p data consumed; negative error code on
 * error (-E2BIG when @p data_sz is too small)
 */
LIBBPF_API int
btf_dump__dump_type_data(struct btf_dump *d, __u32 id,
			 const void *data, size_t data_sz,
			 const struct btf_dump_type_data_opts *opts);

/* ---- Inline helpers over type records ------------------------------------ */

/*
 * Kind numbers added after the first BTF kinds, for when an older system
 * <linux/btf.h> was included before this header (it shares the include
 * guard of ours). Newer kernel headers use an enum, which #ifndef cannot
 * see, so the last three are defined unconditionally (same values).
 */
#ifndef BTF_KIND_FUNC
#define BTF_KIND_FUNC		12
#define BTF_KIND_FUNC_PROTO	13
#endif
#ifndef BTF_KIND_VAR
#define BTF_KIND_VAR		14
#define BTF_KIND_DATASEC	15
#endif
#ifndef BTF_KIND_FLOAT
#define BTF_KIND_FLOAT		16
#endif
#define BTF_KIND_DECL_TAG	17
#define BTF_KIND_TYPE_TAG	18
#define BTF_KIND_ENUM64		19

/** @brief **btf_kind()** returns the kind (BTF_KIND_*) of a type record. */
static inline __u16 btf_kind(const struct btf_type *t)
{
	return (__u16)BTF_INFO_KIND(t->info);
}

/** @brief **btf_vlen()** returns the number of members, values, parameters
 * or section entries that follow a type record (low 16 bits). */
static inline __u16 btf_vlen(const struct btf_type *t)
{
	return (__u16)BTF_INFO_VLEN(t->info);
}

/** @brief **btf_kflag()** returns the kind flag of a type record. */
static inline bool btf_kflag(const struct btf_type *t)
{
	return BTF_INFO_KFLAG(t->info) != 0;
}

/** @brief **btf_is_void()** tells whether a record is of kind UNKN (void). */
static inline bool btf_is_void(const struct btf_type *t)
{
	return btf_kind(t) == BTF_KIND_UNKN;
}

/** @brief **btf_is_int()** tells whether a record is an integer type. */
static inline bool btf_is_int(const struct btf_type *t)
{
	return btf_kind(t) == BTF_KIND_INT;
}

/** @brief **btf_is_ptr()** tells whether a record is a pointer type. */
static inline bool btf_is_ptr(const struct btf_type *t)
{
	return btf_kind(t) == BTF_KIND_PTR;
}

/** @brief **btf_is_array()** tells whether a record is an array type. */
static inline bool btf_is_array(const struct btf_type *t)
{
	return btf_kind(t) == BTF_KIND_ARRAY;
}

/** @brief **btf_is_struct()** tells whether a record is a struct. */
static inline bool btf_is_struct(const struct btf_type *t)
{
	return btf_kind(t) == BTF_KIND_STRUCT;
}

/** @brief **btf_is_union()** tells whether a record is a union. */
static inline bool btf_is_union(const struct btf_type *t)
{
	return btf_kind(t) == BTF_KIND_UNION;
}

/** @brief **btf_is_composite()** tells whether a record is a struct or a
 * union. */
static inline bool btf_is_composite(const struct btf_type *t)
{
	__u16 k = btf_kind(t);

	return k == BTF_KIND_STRUCT || k == BTF_KIND_UNION;
}

/** @brief **btf_is_enum()** tells whether a record is a 32-bit enum. */
static inline bool btf_is_enum(const struct btf_type *t)
{
	return btf_kind(t) == BTF_KIND_ENUM;
}

/** @brief **btf_is_enum64()** tells whether a record is a 64-bit enum. */
static inline bool btf_is_enum64(const struct btf_type *t)
{
	return btf_kind(t) == BTF_KIND_ENUM64;
}

/** @brief **btf_is_fwd()** tells whether a record is a forward declaration. */
static inline bool btf_is_fwd(const struct btf_type *t)
{
	return btf_kind(t) == BTF_KIND_FWD;
}

/** @brief **btf_is_typedef()** tells whether a record is a typedef. */
static inline bool btf_is_typedef(const struct btf_type *t)
{
	return btf_kind(t) == BTF_KIND_TYPEDEF;
}

/** @brief **btf_is_volatile()** tells whether a record is a volatile
 * modifier. */
static inline bool btf_is_volatile(const struct btf_type *t)
{
	return btf_kind(t) == BTF_KIND_VOLATILE;
}

/** @brief **btf_is_const()** tells whether a record is a const modifier. */
static inline bool btf_is_const(const struct btf_type *t)
{
	return btf_kind(t) == BTF_KIND_CONST;
}

/** @brief **btf_is_restrict()** tells whether a record is a restrict
 * modifier. */
static inline bool btf_is_restrict(const struct btf_type *t)
{
	return btf_kind(t) == BTF_KIND_RESTRICT;
}

/** @brief **btf_is_mod()** tells whether a record is a modifier: volatile,
 * const, restrict or a type tag. */
static inline bool btf_is_mod(const struct btf_type *t)
{
	__u16 k = btf_kind(t);

	return k == BTF_KIND_VOLATILE || k == BTF_KIND_CONST ||
	       k == BTF_KIND_RESTRICT || k == BTF_KIND_TYPE_TAG;
}

/** @brief **btf_is_func()** tells whether a record is a function. */
static inline bool btf_is_func(const struct btf_type *t)
{
	return btf_kind(t) == BTF_KIND_FUNC;
}

/** @brief **btf_is_func_proto()** tells whether a record is a function
 * prototype. */
static inline bool btf_is_func_proto(const struct btf_type *t)
{
	return btf_kind(t) == BTF_KIND_FUNC_PROTO;
}

/** @brief **btf_is_var()** tells whether a record is a variable. */
static inline bool btf_is_var(const struct btf_type *t)
{
	return btf_kind(t) == BTF_KIND_VAR;
}

/** @brief **btf_is_datasec()** tells whether a record is a data section. */
static inline bool btf_is_datasec(const struct btf_type *t)
{
	return btf_kind(t) == BTF_KIND_DATASEC;
}

/** @brief **btf_is_float()** tells whether a record is a floating-point
 * type. */
static inline bool btf_is_float(const struct btf_type *t)
{
	return btf_kind(t) == BTF_KIND_FLOAT;
}

/** @brief **btf_is_decl_tag()** tells whether a record is a declaration
 * tag. */
static inline bool btf_is_decl_tag(const struct btf_type *t)
{
	return btf_kind(t) == BTF_KIND_DECL_TAG;
}

/** @brief **btf_is_type_tag()** tells whether a record is a type tag. */
static inline bool btf_is_type_tag(const struct btf_type *t)
{
	return btf_kind(t) == BTF_KIND_TYPE_TAG;
}

/** @brief **btf_is_any_enum()** tells whether a record is an enum of either
 * width. */
static inline bool btf_is_any_enum(const struct btf_type *t)
{
	return btf_is_enum(t) || btf_is_enum64(t);
}

/** @brief **btf_kind_core_compat()** tells whether two records have kinds
 * CO-RE treats as the same (equal kinds, or two enums of any width). */
static inline bool btf_kind_core_compat(const struct btf_type *t1,
					const struct btf_type *t2)
{
	return btf_kind(t1) == btf_kind(t2) ||
	       (btf_is_any_enum(t1) && btf_is_any_enum(t2));
}

/** @brief **btf_int_encoding()** returns the BTF_INT_* encoding bits of an
 * integer record. */
static inline __u8 btf_int_encoding(const struct btf_type *t)
{
	return (__u8)BTF_INT_ENCODING(*(const __u32 *)(const void *)(t + 1));
}

/** @brief **btf_int_offset()** returns the bit offset of an integer
 * record. */
static inline __u8 btf_int_offset(const struct btf_type *t)
{
	return (__u8)BTF_INT_OFFSET(*(const __u32 *)(const void *)(t + 1));
}

/** @brief **btf_int_bits()** returns the width in bits of an integer
 * record. */
static inline __u8 btf_int_bits(const struct btf_type *t)
{
	return (__u8)BTF_INT_BITS(*(const __u32 *)(const void *)(t + 1));
}

/** @brief **btf_array()** returns the array description following an
 * array record. */
static inline struct btf_array *btf_array(const struct btf_type *t)
{
	return (struct btf_array *)(void *)(t + 1);
}

/** @brief **btf_enum()** returns the values following an enum record. */
static inline struct btf_enum *btf_enum(const struct btf_type *t)
{
	return (struct btf_enum *)(void *)(t + 1);
}

struct btf_enum64;

/** @brief **btf_enum64()** returns the values following an enum64
 * record. */
static inline struct btf_enum64 *btf_enum64(const struct btf_type *t)
{
	return (struct btf_enum64 *)(void *)(t + 1);
}

/** @brief **btf_enum64_value()** returns the 64-bit value of an enum64
 * entry. It reads the entry as three 32-bit words (name, low, high), so it
 * works whichever <linux/btf.h> was included. */
static inline __u64 btf_enum64_value(const struct btf_enum64 *e)
{
	const __u32 *w = (const __u32 *)(const void *)e;

	return ((__u64)w[2] << 32) | (__u64)w[1];
}

/** @brief **btf_members()** returns the members following a struct or
 * union record. */
static inline struct btf_member *btf_members(const struct btf_type *t)
{
	return (struct btf_member *)(void *)(t + 1);
}

/** @brief **btf_member_bit_offset()** returns the bit offset of member
 * @p member_idx of a struct or union. */
static inline __u32 btf_member_bit_offset(const struct btf_type *t,
					  __u32 member_idx)
{
	const struct btf_member *m = btf_members(t) + member_idx;

	return btf_kflag(t) ? (__u32)BTF_MEMBER_BIT_OFFSET(m->offset) : m->offset;
}

/** @brief **btf_member_bitfield_size()** returns the bitfield width of
 * member @p member_idx of a struct or union, or 0 for a plain member. */
static inline __u32 btf_member_bitfield_size(const struct btf_type *t,
					     __u32 member_idx)
{
	const struct btf_member *m = btf_members(t) + member_idx;

	return btf_kflag(t) ? (__u32)BTF_MEMBER_BITFIELD_SIZE(m->offset) : 0;
}

/** @brief **btf_params()** returns the parameters following a function
 * prototype record. */
static inline struct btf_param *btf_params(const struct btf_type *t)
{
	return (struct btf_param *)(void *)(t + 1);
}

/** @brief **btf_var()** returns the linkage record following a variable
 * record. */
static inline struct btf_var *btf_var(const struct btf_type *t)
{
	return (struct btf_var *)(void *)(t + 1);
}

/** @brief **btf_var_secinfos()** returns the entries following a data
 * section record. */
static inline struct btf_var_secinfo *
btf_var_secinfos(const struct btf_type *t)
{
	return (struct btf_var_secinfo *)(void *)(t + 1);
}

struct btf_decl_tag;

/** @brief **btf_decl_tag()** returns the component index record following
 * a declaration tag record. */
static inline struct btf_decl_tag *btf_decl_tag(const struct btf_type *t)
{
	return (struct btf_decl_tag *)(void *)(t + 1);
}

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* __LIBBPF_BTF_H */
