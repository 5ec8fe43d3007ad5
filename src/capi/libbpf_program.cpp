// The C API of struct bpf_program: getters and the setters allowed before
// load.
#include <bpf/libbpf.h>

#include "capi/errors.h"
#include "object/object.h"
#include "sys/kernel.h"

#include <cerrno>
#include <cstring>

using bpfxx::capi::err;
using bpfxx::capi::err_ptr;
using bpfxx::capi::guard;

namespace {

bool locked(const bpf_program* prog) { return prog->obj != nullptr && prog->obj->loaded(); }

}  // namespace

extern "C" {

const char* bpf_program__name(const struct bpf_program* prog) { return prog->name.c_str(); }

const char* bpf_program__section_name(const struct bpf_program* prog) { return prog->sec_name.c_str(); }

bool bpf_program__autoload(const struct bpf_program* prog) { return prog->autoload; }

int bpf_program__set_autoload(struct bpf_program* prog, bool autoload) {
  // Once prepared, a program turned on now would load unrelocated.
  if (prog->obj != nullptr && prog->obj->state >= bpfxx::object::State::kPrepared) return err(-EINVAL);
  prog->autoload = autoload;
  return 0;
}

bool bpf_program__autoattach(const struct bpf_program* prog) { return prog->autoattach; }

void bpf_program__set_autoattach(struct bpf_program* prog, bool autoattach) { prog->autoattach = autoattach; }

const struct bpf_insn* bpf_program__insns(const struct bpf_program* prog) { return prog->insns.data(); }

size_t bpf_program__insn_cnt(const struct bpf_program* prog) { return prog->insns.size(); }

int bpf_program__set_insns(struct bpf_program* prog, struct bpf_insn* new_insns, size_t new_insn_cnt) {
  if (locked(prog)) return err(-EBUSY);
  if (new_insns == nullptr || new_insn_cnt == 0) return err(-EINVAL);
  return guard([&] {
    prog->insns.assign(new_insns, new_insns + new_insn_cnt);
    // The caller's instructions are final: the relocations and .BTF.ext
    // records of the file's no longer describe them.
    prog->relos.clear();
    prog->func_info.clear();
    prog->line_info.clear();
    prog->appended.clear();
    prog->user_insns = true;
    return 0;
  });
}

int bpf_program__fd(const struct bpf_program* prog) {
  if (prog == nullptr) return err(-EINVAL);
  if (prog->fd < 0) return err(-ENOENT);
  return prog->fd;
}

enum bpf_prog_type bpf_program__type(const struct bpf_program* prog) { return static_cast<bpf_prog_type>(prog->type); }

int bpf_program__set_type(struct bpf_program* prog, enum bpf_prog_type type) {
  if (locked(prog)) return err(-EBUSY);
  // A type chosen by hand may not match the section's row any more: its
  // auto-attach and load flags no longer apply (custom handlers stay).
  if (prog->type != type && prog->sec_def != nullptr && !prog->sec_def->is_custom()) prog->sec_def = nullptr;
  prog->type = type;
  return 0;
}

enum bpf_attach_type bpf_program__expected_attach_type(const struct bpf_program* prog) {
  return static_cast<bpf_attach_type>(prog->expected_attach_type);
}

enum bpf_prog_type bpf_program__get_type(const struct bpf_program* prog) { return bpf_program__type(prog); }

enum bpf_attach_type bpf_program__get_expected_attach_type(const struct bpf_program* prog) {
  return bpf_program__expected_attach_type(prog);
}

struct bpf_func_info* bpf_program__func_info(const struct bpf_program* prog) {
  if (prog == nullptr || prog->func_info.empty()) return err_ptr<bpf_func_info>(-ENOENT);
  return const_cast<bpf_func_info*>(prog->func_info.data());
}

__u32 bpf_program__func_info_cnt(const struct bpf_program* prog) {
  return prog != nullptr ? static_cast<__u32>(prog->func_info.size()) : 0;
}

struct bpf_line_info* bpf_program__line_info(const struct bpf_program* prog) {
  if (prog == nullptr || prog->line_info.empty()) return err_ptr<bpf_line_info>(-ENOENT);
  return const_cast<bpf_line_info*>(prog->line_info.data());
}

__u32 bpf_program__line_info_cnt(const struct bpf_program* prog) {
  return prog != nullptr ? static_cast<__u32>(prog->line_info.size()) : 0;
}

void bpf_program__unload(struct bpf_program* prog) {
  if (prog == nullptr || prog->fd < 0) return;
  bpfxx::sys::kernel().close(prog->fd);
  prog->fd = -1;
}

int bpf_program__set_expected_attach_type(struct bpf_program* prog, enum bpf_attach_type type) {
  if (locked(prog)) return err(-EBUSY);
  prog->expected_attach_type = type;
  return 0;
}

__u32 bpf_program__flags(const struct bpf_program* prog) { return prog->prog_flags; }

int bpf_program__set_flags(struct bpf_program* prog, __u32 flags) {
  if (locked(prog)) return err(-EBUSY);
  prog->prog_flags = flags;
  return 0;
}

__u32 bpf_program__log_level(const struct bpf_program* prog) { return prog->log_level; }

int bpf_program__set_log_level(struct bpf_program* prog, __u32 log_level) {
  if (locked(prog)) return err(-EBUSY);
  prog->log_level = log_level;
  return 0;
}

const char* bpf_program__log_buf(const struct bpf_program* prog, size_t* log_size) {
  if (log_size != nullptr) *log_size = prog->log_size;
  return prog->log_buf;
}

int bpf_program__set_log_buf(struct bpf_program* prog, char* log_buf, size_t log_size) {
  if (log_size != 0 && log_buf == nullptr) return err(-EINVAL);
  if (log_size > UINT32_MAX) return err(-EINVAL);
  if (locked(prog)) return err(-EBUSY);
  prog->log_buf = log_buf;
  prog->log_size = log_size;
  return 0;
}

void bpf_program__set_ifindex(struct bpf_program* prog, __u32 ifindex) { prog->ifindex = ifindex; }

int bpf_program__set_attach_target(struct bpf_program* prog, int attach_prog_fd,
                                   const char* attach_func_name) {
  if (prog == nullptr || attach_prog_fd < 0) return err(-EINVAL);
  if (locked(prog)) return err(-EINVAL);
  // Without a function name the target program's BTF id is found at load;
  // without either there is nothing to attach to.
  if (attach_prog_fd == 0 && attach_func_name == nullptr) return err(-EINVAL);
  return guard([&] {
    // Resolved to a BTF id at load (vmlinux, a module or the target program).
    prog->attach_prog_fd = attach_prog_fd;
    prog->attach_func_name = attach_func_name != nullptr ? attach_func_name : "";
    return 0;
  });
}

}  // extern "C"
