// The library's one message channel: the print callback of libbpf_set_print().
#pragma once

#include <bpf/libbpf.h>

#include <cstdarg>

namespace bpfxx::log {

// Installs fn (NULL silences everything); returns the previous callback.
libbpf_print_fn_t set_print(libbpf_print_fn_t fn) noexcept;

// Formats a message and hands it to the callback; errno is preserved.
void print(libbpf_print_level level, const char* fmt, ...) noexcept
    __attribute__((format(printf, 2, 3)));
void vprint(libbpf_print_level level, const char* fmt, va_list args) noexcept;

}  // namespace bpfxx::log

// Short forms used throughout the library. Messages start with "libbpf: "
// like libbpf's, because tools grep for it, and end with a newline.
#define BPFXX_WARN(fmt, ...) ::bpfxx::log::print(LIBBPF_WARN, "libbpf: " fmt, ##__VA_ARGS__)
#define BPFXX_INFO(fmt, ...) ::bpfxx::log::print(LIBBPF_INFO, "libbpf: " fmt, ##__VA_ARGS__)
#define BPFXX_DEBUG(fmt, ...) ::bpfxx::log::print(LIBBPF_DEBUG, "libbpf: " fmt, ##__VA_ARGS__)
