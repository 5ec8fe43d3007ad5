// Declarations of libbpf 1.8's <bpf/btf.h> that bpfxx does not export yet.
//
// TEMPORARY. tests/abi/check-exports.sh requires every LIBBPF_API function
// in include/bpf/*.h to be exported, so these wait here until their
// implementation lands; then the lead moves each block into
// include/bpf/btf.h (at the place marked in the comments) and deletes it
// here. The option structs and btf_dump_printf_fn_t are already in btf.h.
//
//  - btf__dedup, btf__relocate, btf__distill_base, btf__permute: later issue
//    (deduplication / distilled base). Go after btf__add_decl_attr().
#pragma once

#include <bpf/btf.h>

#ifdef __cplusplus
extern "C" {
#endif

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
