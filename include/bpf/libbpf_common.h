/* Part of bpfxx. */
/*
 * Macros shared by every public libbpf-compatible header: symbol
 * visibility, deprecation markers and the LIBBPF_OPTS() helpers that
 * declare and fill an options struct.
 *
 * Every options ("opts") struct starts with `size_t sz`, which must hold
 * sizeof() of the struct as the caller compiled it. That lets a program
 * built against an older or newer copy of these headers talk to this
 * library: fields the library does not know must be zero, fields the caller
 * did not know are treated as zero. LIBBPF_OPTS() takes care of both the
 * size and the zeroing, and works in C and in C++ (C++17 and later).
 */
#ifndef __LIBBPF_LIBBPF_COMMON_H
#define __LIBBPF_LIBBPF_COMMON_H

#include <stddef.h> /* offsetof() used by LIBBPF_OPTS() in C++ */
#include <string.h> /* memset() and memcpy() used by LIBBPF_OPTS() */

#include "libbpf_version.h"

/** @brief Marks a function as part of the exported library interface. */
#ifndef LIBBPF_API
#define LIBBPF_API __attribute__((visibility("default")))
#endif

/** @brief Marks a declaration as deprecated, with @p msg shown on use. */
#define LIBBPF_DEPRECATED(msg) __attribute__((deprecated(msg)))

/**
 * @brief Deprecates a declaration once the API level reaches
 * @p major.@p minor; before that level the marker expands to nothing.
 */
#define LIBBPF_DEPRECATED_SINCE(major, minor, msg)                          \
	__LIBBPF_MARK_DEPRECATED_##major##_##minor(                         \
		LIBBPF_DEPRECATED("libbpf v" #major "." #minor "+: " msg))

/* True when LIBBPF_MAJOR_VERSION.LIBBPF_MINOR_VERSION >= major.minor. */
#define __LIBBPF_CURRENT_VERSION_GEQ(major, minor)                          \
	(LIBBPF_MAJOR_VERSION > (major) ||                                  \
	 (LIBBPF_MAJOR_VERSION == (major) && LIBBPF_MINOR_VERSION >= (minor)))

/* One switch per version named in a LIBBPF_DEPRECATED_SINCE() use. */
#if __LIBBPF_CURRENT_VERSION_GEQ(1, 0)
#define __LIBBPF_MARK_DEPRECATED_1_0(X) X
#else
#define __LIBBPF_MARK_DEPRECATED_1_0(X)
#endif

/*
 * Choosing a macro by the number of its arguments (1 to 6):
 * ___libbpf_overload(NAME, a, b) expands to NAME2(a, b). The trailing `~`
 * keeps the count macro's variadic part non-empty, so pedantic compilers
 * stay quiet.
 */
#define ___libbpf_cat(A, B) A##B
#define ___libbpf_select(NAME, NUM) ___libbpf_cat(NAME, NUM)
#define ___libbpf_nth(_1, _2, _3, _4, _5, _6, N, ...) N
#define ___libbpf_cnt(...) ___libbpf_nth(__VA_ARGS__, 6, 5, 4, 3, 2, 1, ~)
#define ___libbpf_overload(NAME, ...)                                       \
	___libbpf_select(NAME, ___libbpf_cnt(__VA_ARGS__))(__VA_ARGS__)

/*
 * LIBBPF_OPTS() and LIBBPF_OPTS_RESET() take the variable name as the first
 * of their variadic arguments, so that a call without any field (and a call
 * whose field list ends in a comma) is valid ISO C and C++.
 * BPFXX_OPTS_NAME_(NAME, fields...) picks the name; the initializer list
 * is written as `.sz = sizeof NAME, fields...`, which sets `sz` from the very
 * variable being filled.
 */
#define BPFXX_OPTS_FIRST_(A, ...) A
#define BPFXX_OPTS_NAME_(...) BPFXX_OPTS_FIRST_(__VA_ARGS__, ~)

#ifdef __cplusplus

/*
 * C++: the variable is declared without an initializer, and a second
 * declarator (an unused pointer) fills it in place: all of it is zeroed,
 * then the bytes up to the end of the last field this header knows are
 * copied from a temporary built with the caller's designated initializer.
 * Copying only that prefix matters: compilers may write junk into a
 * temporary's padding, and a non-zero byte after the last known field makes
 * the library reject the options (-EINVAL). __extension__ accepts the
 * designated initializer before C++20; g++ 12 is kept from reporting the
 * fields left out of it (-Wmissing-field-initializers).
 */
#define BPFXX_OPTS_FILL_(DST, ...)                                          \
	[&](__typeof__(DST) bpfxx_dst_) {                                   \
		_Pragma("GCC diagnostic push")                              \
		_Pragma("GCC diagnostic ignored \"-Wmissing-field-initializers\"") \
		__typeof__(*bpfxx_dst_) bpfxx_src_ = __extension__ __typeof__( \
			*bpfxx_dst_){ .sz = sizeof __VA_ARGS__ };           \
		_Pragma("GCC diagnostic pop")                               \
		memset(bpfxx_dst_, 0, sizeof(*bpfxx_dst_));                 \
		memcpy(bpfxx_dst_, &bpfxx_src_,                             \
		       bpfxx_opts_known_size_(bpfxx_dst_));                 \
		return bpfxx_dst_;                                          \
	}(DST)

#define LIBBPF_OPTS(TYPE, ...)                                              \
	struct TYPE BPFXX_OPTS_NAME_(__VA_ARGS__),                          \
		*const ___libbpf_select(bpfxx_opts_filled_, __COUNTER__)    \
		[[maybe_unused]] =                                          \
		BPFXX_OPTS_FILL_(&BPFXX_OPTS_NAME_(__VA_ARGS__), __VA_ARGS__)

#define LIBBPF_OPTS_RESET(...)                                              \
	((void)BPFXX_OPTS_FILL_(&(BPFXX_OPTS_NAME_(__VA_ARGS__)), __VA_ARGS__))

/*
 * Declares, for C++ only, how many bytes of struct TYPE this header knows
 * (up to the end of TYPE##__last_field): LIBBPF_OPTS finds it by overload.
 * Every opts struct is followed by one use, without a semicolon.
 */
#define BPFXX_OPTS_KNOWN_SIZE_(TYPE)                                        \
	extern "C++" inline constexpr size_t                                \
	bpfxx_opts_known_size_(const struct TYPE *) noexcept                \
	{                                                                   \
		return offsetof(struct TYPE, TYPE##__last_field) +          \
		       sizeof(((struct TYPE *)0)->TYPE##__last_field);      \
	}

#else /* !__cplusplus */

/*
 * C: a GNU statement expression (accepted silently thanks to __extension__)
 * clears the variable, padding included, before the compound literal with
 * the caller's designated fields is stored into it.
 */
#define LIBBPF_OPTS(TYPE, ...)                                              \
	struct TYPE BPFXX_OPTS_NAME_(__VA_ARGS__) = __extension__ ({        \
		memset(&BPFXX_OPTS_NAME_(__VA_ARGS__), 0,                   \
		       sizeof(struct TYPE));                                \
		(struct TYPE){ .sz = sizeof __VA_ARGS__ };                  \
	})

#define LIBBPF_OPTS_RESET(...)                                              \
	do {                                                                \
		__typeof__(BPFXX_OPTS_NAME_(__VA_ARGS__))                   \
			bpfxx_opts_tmp_ = __extension__ ({                  \
			memset(&bpfxx_opts_tmp_, 0,                         \
			       sizeof(bpfxx_opts_tmp_));                    \
			(__typeof__(bpfxx_opts_tmp_)){                      \
				.sz = sizeof __VA_ARGS__ };                 \
		});                                                         \
		memcpy(&(BPFXX_OPTS_NAME_(__VA_ARGS__)), &bpfxx_opts_tmp_,  \
		       sizeof(bpfxx_opts_tmp_));                            \
	} while (0)

#define BPFXX_OPTS_KNOWN_SIZE_(TYPE)

#endif /* __cplusplus */

/**
 * @def LIBBPF_OPTS(TYPE, NAME, ...)
 * @brief Declares `struct TYPE NAME`, zeroes all of it (padding included),
 * sets `NAME.sz` to `sizeof(struct TYPE)` and applies the designated
 * initializers given after NAME, for example
 * `LIBBPF_OPTS(bpf_map_create_opts, opts, .map_flags = BPF_F_NO_PREALLOC);`.
 *
 * Works in C and in C++17/C++20, inside functions. In C++ the fields must be listed in declaration order and
 * nested designators such as `.kprobe_multi.cnt` are not available; assign
 * such fields after the declaration instead.
 */

/**
 * @def LIBBPF_OPTS_RESET(NAME, ...)
 * @brief Clears the existing options variable NAME entirely, sets its `sz`
 * again and applies the designated initializers that follow, as
 * LIBBPF_OPTS() does for a new variable. NAME may be any lvalue, for
 * example `*opts_ptr`.
 */

#endif /* __LIBBPF_LIBBPF_COMMON_H */
