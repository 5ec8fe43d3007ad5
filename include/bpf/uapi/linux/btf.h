/* Part of bpfxx. Kernel ABI definitions, written for bpfxx. */
/*
 * BTF (BPF Type Format) on-disk / in-kernel encoding.
 * The guard is the kernel header's, so this file and the system's
 * <linux/btf.h> never both take effect.
 */
#ifndef __LINUX_BTF_H__
#define __LINUX_BTF_H__

#include <linux/types.h>

#define BTF_MAGIC	0xeB9F
#define BTF_VERSION	1

/* One entry per kind known to the encoder, in the optional layout section. */
struct btf_layout {
	__u8	info_sz;	/* bytes of kind-specific data after btf_type */
	__u8	elem_sz;	/* bytes per vlen element */
	__u16	flags;		/* unused, 0 */
};

/*
 * Section offsets are relative to the end of the header (hdr_len bytes).
 * The layout_off/layout_len pair is only present when hdr_len covers it.
 */
struct btf_header {
	__u16	magic;
	__u8	version;
	__u8	flags;
	__u32	hdr_len;

	__u32	type_off;
	__u32	type_len;
	__u32	str_off;
	__u32	str_len;
	__u32	layout_off;
	__u32	layout_len;
};

enum btf_max {
	BTF_MAX_KIND		= 0x0000007f,
	BTF_MAX_TYPE		= 0x000fffff,
	BTF_MAX_NAME_OFFSET	= 0x00ffffff,
	BTF_MAX_VLEN		= 0x00ffffff,
};

/*
 * info: bits 0-23 vlen, bits 24-30 kind, bit 31 kind_flag.
 * size_or_type: size for INT/ENUM/STRUCT/UNION/DATASEC/ENUM64 (and FLOAT),
 * a referenced type id for the others.
 */
struct btf_type {
	__u32	name_off;
	__u32	info;
	union {
		__u32	size;
		__u32	type;
	};
};

#define BTF_INFO_KIND(info)	(((info) >> 24) & 0x7f)
#define BTF_INFO_VLEN(info)	((info) & 0xffffff)
#define BTF_INFO_KFLAG(info)	((info) >> 31)

enum {
	BTF_KIND_UNKN		= 0,
	BTF_KIND_INT		= 1,
	BTF_KIND_PTR		= 2,
	BTF_KIND_ARRAY		= 3,
	BTF_KIND_STRUCT		= 4,
	BTF_KIND_UNION		= 5,
	BTF_KIND_ENUM		= 6,	/* values up to 32 bits */
	BTF_KIND_FWD		= 7,
	BTF_KIND_TYPEDEF	= 8,
	BTF_KIND_VOLATILE	= 9,
	BTF_KIND_CONST		= 10,
	BTF_KIND_RESTRICT	= 11,
	BTF_KIND_FUNC		= 12,
	BTF_KIND_FUNC_PROTO	= 13,
	BTF_KIND_VAR		= 14,
	BTF_KIND_DATASEC	= 15,
	BTF_KIND_FLOAT		= 16,
	BTF_KIND_DECL_TAG	= 17,
	BTF_KIND_TYPE_TAG	= 18,
	BTF_KIND_ENUM64		= 19,	/* values up to 64 bits */

	NR_BTF_KINDS,
	BTF_KIND_MAX		= NR_BTF_KINDS - 1,
};

/* BTF_KIND_INT: one __u32 follows btf_type */
#define BTF_INT_ENCODING(VAL)	(((VAL) & 0x0f000000) >> 24)
#define BTF_INT_OFFSET(VAL)	(((VAL) & 0x00ff0000) >> 16)
#define BTF_INT_BITS(VAL)	((VAL) & 0x000000ff)

/* bits of BTF_INT_ENCODING */
#define BTF_INT_SIGNED	(1 << 0)
#define BTF_INT_CHAR	(1 << 1)
#define BTF_INT_BOOL	(1 << 2)

/* BTF_KIND_ENUM: vlen of these follow */
struct btf_enum {
	__u32	name_off;
	__s32	val;
};

/* BTF_KIND_ARRAY: one of these follows */
struct btf_array {
	__u32	type;
	__u32	index_type;
	__u32	nelems;
};

/*
 * BTF_KIND_STRUCT / BTF_KIND_UNION: vlen of these follow.
 * With kind_flag set, offset packs bitfield size (bits 24-31) and
 * bit offset (bits 0-23); otherwise it is the bit offset alone.
 */
struct btf_member {
	__u32	name_off;
	__u32	type;
	__u32	offset;
};

#define BTF_MEMBER_BITFIELD_SIZE(val)	((val) >> 24)
#define BTF_MEMBER_BIT_OFFSET(val)	((val) & 0xffffff)

/* BTF_KIND_FUNC_PROTO: vlen of these follow */
struct btf_param {
	__u32	name_off;
	__u32	type;
};

/* linkage of a BTF_KIND_VAR */
enum {
	BTF_VAR_STATIC			= 0,
	BTF_VAR_GLOBAL_ALLOCATED	= 1,
	BTF_VAR_GLOBAL_EXTERN		= 2,
};

/* linkage of a BTF_KIND_FUNC (stored in its vlen) */
enum btf_func_linkage {
	BTF_FUNC_STATIC	= 0,
	BTF_FUNC_GLOBAL	= 1,
	BTF_FUNC_EXTERN	= 2,
};

/* BTF_KIND_VAR: one of these follows */
struct btf_var {
	__u32	linkage;
};

/* BTF_KIND_DATASEC: vlen of these follow */
struct btf_var_secinfo {
	__u32	type;
	__u32	offset;
	__u32	size;
};

/* BTF_KIND_DECL_TAG: one of these follows; -1 means the whole entity */
struct btf_decl_tag {
	__s32	component_idx;
};

/* BTF_KIND_ENUM64: vlen of these follow */
struct btf_enum64 {
	__u32	name_off;
	__u32	val_lo32;
	__u32	val_hi32;
};

#endif /* __LINUX_BTF_H__ */
