// Hand-built raw BTF blobs for the kernel tests: a 24-byte header, a type
// section and a string section, laid out as the kernel reads them.
#pragma once

#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <string>
#include <vector>

namespace bpfxx::test {

class BtfBlob {
 public:
  BtfBlob() : strings_(1, '\0') {}  // offset 0 is the empty name

  // Adds a string; returns its offset in the string section.
  std::uint32_t add_string(const std::string& s) {
    std::uint32_t off = static_cast<std::uint32_t>(strings_.size());
    strings_ += s;
    strings_ += '\0';
    return off;
  }

  // INT type: returns its type id.
  std::uint32_t add_int(const std::string& name, std::uint32_t size_bytes, bool is_signed) {
    std::uint32_t name_off = add_string(name);
    word(name_off);
    word(1u << 24);  // kind INT, vlen 0
    word(size_bytes);
    word(((is_signed ? 1u : 0u) << 24) | (size_bytes * 8));  // encoding, offset 0, bits
    return ++ntypes_;
  }

  // PTR to type id.
  std::uint32_t add_ptr(std::uint32_t type) {
    word(0);
    word(2u << 24);  // kind PTR
    word(type);
    return ++ntypes_;
  }

  // Raw words appended to the type section (for deliberately broken blobs).
  void raw_type_words(std::initializer_list<std::uint32_t> ws) {
    for (auto w : ws) word(w);
    ++ntypes_;
  }

  std::vector<unsigned char> bytes() const {
    struct Header {
      std::uint16_t magic;
      std::uint8_t version;
      std::uint8_t flags;
      std::uint32_t hdr_len;
      std::uint32_t type_off, type_len, str_off, str_len;
    } h{};
    static_assert(sizeof(Header) == 24, "BTF header is 24 bytes");
    h.magic = 0xeB9F;
    h.version = 1;
    h.hdr_len = sizeof(Header);
    h.type_off = 0;
    h.type_len = static_cast<std::uint32_t>(types_.size() * 4);
    h.str_off = h.type_len;
    h.str_len = static_cast<std::uint32_t>(strings_.size());
    std::vector<unsigned char> out(sizeof(h) + h.type_len + h.str_len);
    std::memcpy(out.data(), &h, sizeof(h));
    if (!types_.empty()) std::memcpy(out.data() + sizeof(h), types_.data(), h.type_len);
    std::memcpy(out.data() + sizeof(h) + h.type_len, strings_.data(), h.str_len);
    return out;
  }

 private:
  void word(std::uint32_t w) { types_.push_back(w); }
  std::vector<std::uint32_t> types_;
  std::string strings_;
  std::uint32_t ntypes_ = 0;
};

// The smallest useful blob: one type, `int`.
inline std::vector<unsigned char> tiny_btf() {
  BtfBlob b;
  b.add_int("int", 4, true);
  return b.bytes();
}

}  // namespace bpfxx::test
