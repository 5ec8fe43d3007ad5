// struct btf_ext: a validated .BTF.ext section.
//
// Three kinds of records, each grouped per ELF section: function info
// (insn_off, type_id), line info (insn_off, file/line strings, line/column)
// and CO-RE relocations (insn_off, type_id, access string, kind). The
// object keeps a host-order copy of the section; the views below point
// into it, for the object loader.
#pragma once

#include <bpf/btf.h>
#include <bpfxx/result.hpp>

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <span>
#include <vector>

namespace bpfxx::btf {

// Records of one ELF section inside one kind of info.
struct ExtSection {
  uint32_t sec_name_off = 0;  // BTF string offset of the ELF section name
  uint32_t num = 0;           // number of records
  const uint8_t* records = nullptr;  // num * rec_size bytes, host order
};

struct ExtInfo {
  uint32_t rec_size = 0;  // 0 when the info is absent
  std::vector<ExtSection> sections;
  // The i-th record of a section, as T (T's size <= rec_size).
  template <class T>
  const T* record(const ExtSection& s, uint32_t i) const noexcept {
    return reinterpret_cast<const T*>(s.records + size_t{i} * rec_size);
  }
};

// Minimum record sizes the format defines.
inline constexpr uint32_t kFuncInfoMin = 8;
inline constexpr uint32_t kLineInfoMin = 16;
inline constexpr uint32_t kCoreReloMin = 16;

// The CO-RE relocation record (same layout as the kernel's bpf_core_relo).
struct CoreRelo {
  uint32_t insn_off;
  uint32_t type_id;
  uint32_t access_str_off;
  uint32_t kind;
};

}  // namespace bpfxx::btf

struct btf_ext {
 public:
  static bpfxx::Result<std::unique_ptr<btf_ext>> parse(std::span<const uint8_t> data);

  const bpfxx::btf::ExtInfo& func_info() const noexcept { return func_info_; }
  const bpfxx::btf::ExtInfo& line_info() const noexcept { return line_info_; }
  const bpfxx::btf::ExtInfo& core_relo() const noexcept { return core_relo_; }

  enum btf_endianness endianness() const noexcept { return endian_; }
  int set_endianness(enum btf_endianness e) noexcept;
  // The section bytes in the chosen byte order.
  std::span<const uint8_t> raw_data() const;
  // Rewrites the type id of every function info and CO-RE relocation
  // record through remap(uint32_t& id), which returns false to refuse an
  // id; then nothing is changed and false is returned.
  bool remap_type_ids(const std::function<bool(uint32_t&)>& remap);
  // The host-order copy the record views point into.
  std::span<const uint8_t> host_data() const noexcept {
    return {reinterpret_cast<const uint8_t*>(host_.data()), size_};
  }

 private:
  btf_ext() = default;
  std::vector<uint32_t> host_;  // host-order copy (word-aligned)
  size_t size_ = 0;
  // Cache for the other byte order, filled on first use under swapped_mu_
  // (raw_data() is const and may run from several threads).
  mutable std::mutex swapped_mu_;
  mutable std::vector<uint8_t> swapped_;
  enum btf_endianness endian_ = BTF_LITTLE_ENDIAN;
  bpfxx::btf::ExtInfo func_info_, line_info_, core_relo_;
};
