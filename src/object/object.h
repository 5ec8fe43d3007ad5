// struct bpf_object: an opened BPF ELF object with its programs and maps.
//
// Life cycle (libbpf's): open (this file's open() parses everything and does
// no kernel call) -> settings through the setters -> load (next phase:
// prepare() then load(), which move `state` forward) -> close. Setters that
// change what load creates refuse with -EBUSY once state >= kLoaded.
#pragma once

#include "object/extern.h"
#include "object/map.h"
#include "object/program.h"

#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <bpfxx/result.hpp>

#include <memory>
#include <span>
#include <string>
#include <vector>

namespace bpfxx::object {

enum class State : uint8_t {
  kOpened,    // parsed; nothing in the kernel
  kPrepared,  // bpf_object__prepare(): maps created, programs relocated
  kLoaded,    // bpf_object__load(): programs loaded
};

// Copies of bpf_object_open_opts, kept for the load phase.
struct OpenOptions {
  std::string object_name;  // empty: derived from the path
  bool relaxed_maps = false;
  std::string pin_root_path = "/sys/fs/bpf";
  bool has_kconfig = false;
  std::string kconfig;
  std::string btf_custom_path;
  char* kernel_log_buf = nullptr;
  size_t kernel_log_size = 0;
  uint32_t kernel_log_level = 0;
  bool has_token_path = false;
  std::string bpf_token_path;
};

struct BtfDeleter {
  void operator()(::btf* b) const noexcept { btf__free(b); }
};
struct BtfExtDeleter {
  void operator()(::btf_ext* b) const noexcept { btf_ext__free(b); }
};

// Kind of a section that carries data, as open classifies it.
enum class DataSecKind : uint8_t { kNone, kData, kRodata, kBss, kStructOps, kArena };

}  // namespace bpfxx::object

struct bpf_object {
  std::string name;
  std::string path;  // file path, or "" for open_mem
  bpfxx::object::OpenOptions opts;
  bpfxx::object::State state = bpfxx::object::State::kOpened;

  // The object's bytes (owned; programs and maps copy what they keep).
  std::vector<uint8_t> bytes;

  std::string license;
  uint32_t kversion = 0;

  // Sorted by section index, then offset; subprograms included (skipped by
  // the iteration API).
  std::vector<std::unique_ptr<bpf_program>> programs;
  // User maps (in .maps order), then internal maps (in section order).
  std::vector<std::unique_ptr<bpf_map>> maps;
  std::vector<bpfxx::object::Extern> externs;

  std::unique_ptr<::btf, bpfxx::object::BtfDeleter> btf_data;
  std::unique_ptr<::btf_ext, bpfxx::object::BtfExtDeleter> btf_ext_data;

  // ELF indices of sections for the next phases (0: absent).
  uint32_t text_shndx = 0;
  uint32_t maps_shndx = 0;
  uint32_t arena_shndx = 0;
  // Index in `maps` of the arena map `.addr_space.1` belongs to; -1 if none.
  int arena_map_idx = -1;
  std::vector<uint32_t> struct_ops_shndx;  // .struct_ops, .struct_ops.link
  bool has_kconfig_externs = false;

  int token_fd = -1;

  bpf_object() = default;
  bpf_object(const bpf_object&) = delete;
  bpf_object& operator=(const bpf_object&) = delete;
  ~bpf_object();

  bool loaded() const noexcept { return state >= bpfxx::object::State::kLoaded; }

  bpf_program* find_program(std::string_view name) const noexcept;
  bpf_map* find_map(std::string_view name) const noexcept;
  // The program of section sec_idx covering instruction insn_off; NULL if none.
  bpf_program* program_at(uint32_t sec_idx, uint32_t insn_off) const noexcept;
};

namespace bpfxx::object {

// Parses an object. bytes are copied; name is the object name (already
// derived from the path or the options); path is for messages.
Result<std::unique_ptr<bpf_object>> open(std::span<const uint8_t> bytes, std::string name,
                                         std::string path, OpenOptions opts);

// The kernel-facing name of an internal map for a data section, as libbpf
// derives it: object-name prefix + section name, at most 15 characters,
// characters outside [A-Za-z0-9_.] replaced by '_'.
std::string internal_map_name(std::string_view obj_name, std::string_view sec_name);

}  // namespace bpfxx::object
