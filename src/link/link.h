// struct bpf_link: an attachment of a BPF program (or a struct_ops map)
// that the caller owns.
//
// The base class holds what every attachment has: the fd that represents
// it in the kernel (-1 when the attachment has none of its own), the bpffs
// path it is pinned at, and whether bpf_link__disconnect() released it.
// Each attach family derives from it and says how it is undone (detach());
// the base's detach() closes the fd, which ends a BPF link (BPF_LINK_CREATE,
// or one opened from a pin) unless it is pinned.
//
// Destroying a link runs detach() unless it was disconnected, closes the
// fd unless ownership went with the disconnect, and frees it.
#pragma once

#include <bpfxx/result.hpp>

#include <string>

struct bpf_link {
 public:
  bpf_link() = default;
  explicit bpf_link(int fd) noexcept : fd_(fd) {}
  bpf_link(const bpf_link&) = delete;
  bpf_link& operator=(const bpf_link&) = delete;
  virtual ~bpf_link();

  // The fd bpf_link__fd() reports; a family may report one it does not own
  // (a struct_ops map without BPF_F_LINK reports the map's fd).
  virtual int fd() const noexcept { return fd_; }
  // The fd this link owns (closed with it); -1 if none.
  int owned_fd() const noexcept { return fd_; }

  // Undoes the attachment. The default: close the fd.
  virtual bpfxx::Result<void> detach();
  // What bpf_link__update_map() does for this family; EINVAL by default.
  virtual bpfxx::Result<void> update_map(const struct bpf_map& map);
  // What bpf_link__update_program() does: BPF_LINK_UPDATE of the link's
  // fd to prog_fd by default (the kernel refuses families that cannot
  // switch). prog_name names the new program in messages.
  virtual bpfxx::Result<void> update_program(int prog_fd, const std::string& prog_name);
  // What bpf_link__detach() does: ends the attachment in the kernel while
  // the link and its fd stay (BPF_LINK_DETACH on the fd by default).
  virtual bpfxx::Result<void> detach_in_kernel();

  // Destruction as bpf_link__destroy() does it: detach() unless
  // disconnected; returns detach()'s outcome.
  bpfxx::Result<void> destroy();

  void disconnect() noexcept { disconnected_ = true; }
  bool disconnected() const noexcept { return disconnected_; }

  const std::string& pin_path() const noexcept { return pin_path_; }
  void set_pin_path(std::string path) { pin_path_ = std::move(path); }

  // A short description for messages ("link fd 7", "struct_ops map 'x'").
  virtual std::string describe() const;

 protected:
  // Closes the owned fd, if any (for detach() implementations).
  bpfxx::Result<void> close_fd();
  void set_fd(int fd) noexcept { fd_ = fd; }

 private:
  int fd_ = -1;
  std::string pin_path_;
  bool disconnected_ = false;
};
