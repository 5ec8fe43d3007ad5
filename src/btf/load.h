// Getting BTF from files, ELF objects and the kernel, and putting it back
// into the kernel.
#pragma once

#include "btf/btf.h"
#include "btf/ext.h"

#include <memory>
#include <span>

namespace bpfxx::btf {

// A whole file: mmapped when the kernel allows it (read-only, private),
// read in one go otherwise. keepalive owns the mapping or buffer.
struct FileBytes {
  std::shared_ptr<const void> keepalive;
  std::span<const uint8_t> bytes;
};
Result<FileBytes> read_whole_file(const char* path);

// Raw BTF file (e.g. /sys/kernel/btf/vmlinux), zero-copy.
::btf::Result parse_raw_file(const char* path, const ::btf* base);

struct ElfBtf {
  std::unique_ptr<::btf> btf;
  std::unique_ptr<::btf_ext> ext;  // null when absent or not asked for
};
// The .BTF (and, if want_ext, .BTF.ext) sections of an ELF file.
Result<ElfBtf> parse_elf_file(const char* path, const ::btf* base, bool want_ext);
// From ELF bytes already in memory (keepalive may be null: bytes copied).
Result<ElfBtf> parse_elf_bytes(std::span<const uint8_t> bytes, std::shared_ptr<const void> keepalive,
                               const char* name, const ::btf* base, bool want_ext);
// Whether the file starts with the ELF magic (false if unreadable).
bool is_elf_file(const char* path);

// The running kernel's BTF, read once per process and shared by every layer
// that needs it (CO-RE, attach by name...). Never modify it.
Result<std::shared_ptr<const ::btf>> vmlinux();
// Reads the kernel's BTF afresh (what btf__load_vmlinux_btf() returns).
::btf::Result load_vmlinux();
::btf::Result load_module(const char* module_name, const ::btf* vmlinux_btf);
::btf::Result load_from_kernel_by_id(uint32_t id, const ::btf* base);

// What to rewrite before uploading (true: the kernel lacks it).
struct SanitizeNeeds {
  bool func = false;         // FUNC / FUNC_PROTO
  bool global_func = false;  // global linkage of FUNC
  bool datasec = false;      // VAR / DATASEC
  bool qmark = false;        // DATASEC names starting with '?'
  bool flt = false;          // FLOAT
  bool decl_tag = false;     // DECL_TAG
  bool type_tag = false;     // TYPE_TAG
  bool enum64 = false;       // ENUM64
};
// Probes (once per process) what the running kernel lacks.
SanitizeNeeds needs_for_running_kernel();
// The raw bytes (host order, no layout section) of b with every kind in
// needs rewritten (see sanitize.cpp).
std::vector<uint8_t> sanitize(const ::btf& b, const SanitizeNeeds& needs);
// sanitize(b, needs_for_running_kernel()).
std::vector<uint8_t> sanitized_for_kernel(const ::btf& b);
// Loads b into the kernel; on success b.fd() holds the new fd. On failure
// the kernel's log is printed. Returns 0 or -errno.
int load_into_kernel(::btf& b);

}  // namespace bpfxx::btf
