/* Part of bpfxx. */
/*
 * The libbpf API level this library provides. Code written against libbpf
 * may test these numbers at compile time; libbpf_major_version() and
 * libbpf_minor_version() report the same values at run time.
 */
#ifndef __LIBBPF_VERSION_H
#define __LIBBPF_VERSION_H

#define LIBBPF_MAJOR_VERSION 1
#define LIBBPF_MINOR_VERSION 8

#endif /* __LIBBPF_VERSION_H */
