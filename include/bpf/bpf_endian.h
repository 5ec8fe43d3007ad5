/* Part of bpfxx. BPF-side header, written for bpfxx. */
/*
 * <bpf/bpf_endian.h>: byte-order conversion for BPF programs, which must not
 * use the libc <endian.h> / <arpa/inet.h> macros (they pull in host headers).
 *
 *   bpf_htons/bpf_ntohs, bpf_htonl/bpf_ntohl        16 and 32 bit, network order
 *   bpf_cpu_to_be64/bpf_be64_to_cpu                   64 bit, big endian
 *
 * A constant argument folds to a constant at compile time (usable in case
 * labels through the __bpf_constant_* forms); otherwise the conversion is
 * one BPF byte-swap instruction, or nothing on a big-endian target.
 */
#ifndef __BPF_ENDIAN__
#define __BPF_ENDIAN__

/* Constant-expression byte swaps (no builtin needed, usable anywhere). */
/* byte n of the b-bit value x, moved to byte position m */
#define ___bpf_mvb(x, b, n, m) ((((__u##b)(x) >> ((n) * 8)) & 0xff) << ((m) * 8))

#define ___bpf_swab16(x) ((__u16)(___bpf_mvb(x, 16, 0, 1) | ___bpf_mvb(x, 16, 1, 0)))

#define ___bpf_swab32(x) ((__u32)(___bpf_mvb(x, 32, 0, 3) | ___bpf_mvb(x, 32, 1, 2) | \
				  ___bpf_mvb(x, 32, 2, 1) | ___bpf_mvb(x, 32, 3, 0)))

#define ___bpf_swab64(x) ((__u64)(___bpf_mvb(x, 64, 0, 7) | ___bpf_mvb(x, 64, 1, 6) | \
				  ___bpf_mvb(x, 64, 2, 5) | ___bpf_mvb(x, 64, 3, 4) | \
				  ___bpf_mvb(x, 64, 4, 3) | ___bpf_mvb(x, 64, 5, 2) | \
				  ___bpf_mvb(x, 64, 6, 1) | ___bpf_mvb(x, 64, 7, 0)))

#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define __bpf_ntohs(x) __builtin_bswap16(x)
#define __bpf_htons(x) __builtin_bswap16(x)
#define __bpf_constant_ntohs(x) ___bpf_swab16(x)
#define __bpf_constant_htons(x) ___bpf_swab16(x)
#define __bpf_ntohl(x) __builtin_bswap32(x)
#define __bpf_htonl(x) __builtin_bswap32(x)
#define __bpf_constant_ntohl(x) ___bpf_swab32(x)
#define __bpf_constant_htonl(x) ___bpf_swab32(x)
#define __bpf_be64_to_cpu(x) __builtin_bswap64(x)
#define __bpf_cpu_to_be64(x) __builtin_bswap64(x)
#define __bpf_constant_be64_to_cpu(x) ___bpf_swab64(x)
#define __bpf_constant_cpu_to_be64(x) ___bpf_swab64(x)
#elif __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#define __bpf_ntohs(x) (x)
#define __bpf_htons(x) (x)
#define __bpf_constant_ntohs(x) (x)
#define __bpf_constant_htons(x) (x)
#define __bpf_ntohl(x) (x)
#define __bpf_htonl(x) (x)
#define __bpf_constant_ntohl(x) (x)
#define __bpf_constant_htonl(x) (x)
#define __bpf_be64_to_cpu(x) (x)
#define __bpf_cpu_to_be64(x) (x)
#define __bpf_constant_be64_to_cpu(x) (x)
#define __bpf_constant_cpu_to_be64(x) (x)
#else
#error "bpf_endian.h: unknown __BYTE_ORDER__"
#endif

#define bpf_htons(x) \
	(__builtin_constant_p(x) ? __bpf_constant_htons(x) : __bpf_htons(x))
#define bpf_ntohs(x) \
	(__builtin_constant_p(x) ? __bpf_constant_ntohs(x) : __bpf_ntohs(x))
#define bpf_htonl(x) \
	(__builtin_constant_p(x) ? __bpf_constant_htonl(x) : __bpf_htonl(x))
#define bpf_ntohl(x) \
	(__builtin_constant_p(x) ? __bpf_constant_ntohl(x) : __bpf_ntohl(x))
#define bpf_cpu_to_be64(x) \
	(__builtin_constant_p(x) ? __bpf_constant_cpu_to_be64(x) : __bpf_cpu_to_be64(x))
#define bpf_be64_to_cpu(x) \
	(__builtin_constant_p(x) ? __bpf_constant_be64_to_cpu(x) : __bpf_be64_to_cpu(x))

#endif /* __BPF_ENDIAN__ */
