// Byte strings on the command line, bpftool's way: `key 1 0 0 0`,
// `key 0x01 0 0 0`, `key hex 01 00 00 00` (hex pairs, also run together:
// `key hex 01000000`), and their hex rendering.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace bpfxx::tool {

// Reads the bytes starting at args[*pos] until a word in stop_words (or the
// end) and advances *pos past them. Each plain word is one byte (decimal,
// 0x hex or 0 octal, 0..255); after "hex" every word is hex digits, two per
// byte. Exactly `want` bytes must be given. On error returns false with
// *error a one-line message naming `what` ("key", "value").
bool parse_bytes(const std::vector<std::string>& args, size_t* pos, const std::vector<std::string>& stop_words,
                 size_t want, const char* what, std::vector<uint8_t>* out, std::string* error);

// "01 02 ff" (bpftool's plain map output).
std::string hex_bytes(const uint8_t* data, size_t size);

}  // namespace bpfxx::tool
