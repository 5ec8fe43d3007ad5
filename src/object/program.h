// struct bpf_program: one function of an executable section.
//
// Entry programs come from functions of any executable section except .text;
// functions of .text are subprograms (called by entry programs, appended to
// them at load). Instructions are kept in host byte order, as they were in
// the file; relocations are recorded (relocation.h) and applied at load.
#pragma once

#include "object/relocation.h"
#include "object/section_table.h"

#include <bpf/libbpf.h>

#include <cstdint>
#include <string>
#include <vector>

struct bpf_object;

struct bpf_program {
  bpf_object* obj = nullptr;
  std::string name;
  // The section name without a leading '?' (which only turns autoload
  // off), and the ELF section's own name, which .BTF.ext refers to.
  std::string sec_name;
  std::string elf_sec_name;
  uint32_t sec_idx = 0;
  // Position of the function in its section, in instructions.
  uint32_t sec_insn_off = 0;
  // A .text function: never loaded on its own.
  bool is_subprog = false;
  // A hidden global (__hidden): its BTF FUNC is made static at load.
  bool mark_btf_static = false;

  std::vector<bpf_insn> insns;
  std::vector<bpfxx::object::Relocation> relos;

  // From the section table; NULL for an unknown section (an error at load
  // unless the type is set with bpf_program__set_type()).
  const bpfxx::object::SectionDef* sec_def = nullptr;
  uint32_t type = BPF_PROG_TYPE_UNSPEC;  // enum bpf_prog_type
  uint32_t expected_attach_type = 0;     // enum bpf_attach_type
  bool sleepable = false;

  bool autoload = true;
  bool autoattach = true;
  uint32_t prog_flags = 0;
  uint32_t log_level = 0;
  char* log_buf = nullptr;
  size_t log_size = 0;
  uint32_t ifindex = 0;
  // bpf_program__set_attach_target(): resolved at load.
  int attach_prog_fd = 0;
  std::string attach_func_name;

  // Filled by link_programs() for the final instruction layout (main
  // program first, appended subprograms after): .BTF.ext records with
  // instruction offsets rebased, in the kernel's record layout.
  std::vector<bpf_func_info> func_info;
  std::vector<bpf_line_info> line_info;
  // Where each appended subprogram starts in insns (for messages).
  struct Appended {
    const bpf_program* subprog;
    uint32_t insn_off;
  };
  std::vector<Appended> appended;
  // link_programs() has run: insns are final (relocated, subprograms in).
  bool linked = false;
  // bpf_program__set_insns() replaced the instructions: they are loaded as
  // given, without relocations or appended subprograms.
  bool user_insns = false;

  // Resolved by load_programs() for BTF-targeted programs.
  uint32_t attach_btf_id = 0;
  int attach_btf_obj_fd = -1;  // module BTF fd, owned until the load is done; -1 for vmlinux

  // The kernel's fd once loaded; -1 before. Closed with the program.
  int fd = -1;

  // CO-RE relocations of this function's own instructions that could not
  // be satisfied and were poisoned (relocate_core()): insn is the index in
  // the function, so a verifier rejection at the poisoned call can be
  // traced back through `appended` and named.
  struct CorePoison {
    uint32_t insn;
    uint32_t relo_idx;  // the record's number in its .BTF.ext section
    std::string what;   // "<byte_off> [7] struct task_struct.x (0:1): why"
  };
  std::vector<CorePoison> core_poisons;

  bpf_program() = default;
  bpf_program(const bpf_program&) = delete;
  bpf_program& operator=(const bpf_program&) = delete;
  ~bpf_program();
};
