// Declarations of libbpf 1.8's <bpf/btf.h> that bpfxx does not export yet.
//
// TEMPORARY. tests/abi/check-exports.sh requires every LIBBPF_API function
// in include/bpf/*.h to be exported, so these wait here until their
// implementation lands; then the lead moves each block into
// include/bpf/btf.h (at the place marked in the comments) and deletes it
// here. The option structs and btf_dump_printf_fn_t are already in btf.h.
//
//  - btf_dump__*: helper-6 (C dump). Goes after struct btf_dump_type_data_opts.
//  - btf__dedup, btf__relocate, btf__distill_base, btf__permute: later issue
//    (deduplication / distilled base). Go after btf__add_decl_attr().
#pragma once

#include <bpf/btf.h>

#ifdef __cplusplus
extern "C" {
#endif

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

/* ---- Deduplication, relocation, reordering (later issue) ------------------ */

/**
 * @brief **btf__dedup()** merges duplicate types and strings in place.
 * @param btf BTF object
 * @param opts options, or NULL
 * @return 0 on success; negative error code on error
 */
LIBBPF_API int btf__dedup(struct btf *btf, const struct btf_dedup_opts *opts);

/**
 * @brief **btf__distill_base()** splits the base of split BTF @p src_btf
 * into a minimal base plus a new split BTF referencing it.
 * @param src_btf split BTF
 * @param new_base_btf receives the distilled base
 * @param new_split_btf receives the new split BTF
 * @return 0 on success; negative error code on error
 */
LIBBPF_API int btf__distill_base(const struct btf *src_btf, struct btf **new_base_btf,
				 struct btf **new_split_btf);

/**
 * @brief **btf__relocate()** re-parents split BTF onto @p base_btf,
 * rewriting its references to base types.
 * @param btf split BTF
 * @param base_btf new base
 * @return 0 on success; negative error code on error
 */
LIBBPF_API int btf__relocate(struct btf *btf, const struct btf *base_btf);

/**
 * @brief **btf__permute()** reorders the types of a BTF object in place.
 * @param btf BTF object
 * @param id_map new id of each current id
 * @param id_map_cnt number of entries in @p id_map
 * @param opts options, or NULL
 * @return 0 on success; negative error code on error
 */
LIBBPF_API int btf__permute(struct btf *btf, __u32 *id_map, __u32 id_map_cnt,
			    const struct btf_permute_opts *opts);

#ifdef __cplusplus
} /* extern "C" */
#endif
