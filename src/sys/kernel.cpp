#include "sys/kernel.h"

#include <atomic>
#include <cerrno>
#include <fcntl.h>
#include <linux/perf_event.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/vfs.h>
#include <unistd.h>

namespace bpfxx::sys {
namespace {

// Maps the libc convention (-1 + errno) to ours (-errno).
template <class T>
T checked(T rc) {
  return rc < 0 ? static_cast<T>(-errno) : rc;
}

Kernel g_real_kernel;
std::atomic<Kernel*> g_kernel{&g_real_kernel};

}  // namespace

long Kernel::bpf(int cmd, union bpf_attr* attr, unsigned int size) {
  return checked(::syscall(__NR_bpf, cmd, attr, size));
}

long Kernel::bpf_common(int cmd, union bpf_attr* attr, unsigned int size,
                        struct bpf_common_attr* common, unsigned int common_size) {
  return checked(::syscall(__NR_bpf, cmd | BPF_COMMON_ATTRS, attr, size, common, common_size));
}

int Kernel::perf_event_open(struct perf_event_attr* attr, pid_t pid, int cpu, int group_fd,
                            unsigned long flags) {
  return static_cast<int>(checked(::syscall(__NR_perf_event_open, attr, pid, cpu, group_fd, flags)));
}

int Kernel::ioctl(int fd, unsigned long request, unsigned long arg) {
  return checked(::ioctl(fd, request, arg));
}

void* Kernel::mmap(void* addr, size_t length, int prot, int flags, int fd, off_t offset, int* err) {
  void* p = ::mmap(addr, length, prot, flags, fd, offset);
  if (p == MAP_FAILED && err != nullptr) *err = errno;
  return p;
}

int Kernel::munmap(void* addr, size_t length) { return checked(::munmap(addr, length)); }

int Kernel::open(const char* path, int flags, mode_t mode) {
  return checked(::open(path, flags | O_CLOEXEC, mode));
}

ssize_t Kernel::read(int fd, void* buf, size_t count) { return checked(::read(fd, buf, count)); }

ssize_t Kernel::write(int fd, const void* buf, size_t count) {
  return checked(::write(fd, buf, count));
}

int Kernel::close(int fd) { return checked(::close(fd)); }

int Kernel::fstat(int fd, struct stat* buf) { return checked(::fstat(fd, buf)); }

int Kernel::dup_cloexec(int fd, int min_fd) { return checked(::fcntl(fd, F_DUPFD_CLOEXEC, min_fd)); }

int Kernel::epoll_create() { return checked(::epoll_create1(EPOLL_CLOEXEC)); }

int Kernel::epoll_ctl(int epfd, int op, int fd, struct epoll_event* event) {
  return checked(::epoll_ctl(epfd, op, fd, event));
}

int Kernel::epoll_wait(int epfd, struct epoll_event* events, int max_events, int timeout_ms) {
  return checked(::epoll_wait(epfd, events, max_events, timeout_ms));
}

int Kernel::socket(int domain, int type, int protocol) {
  return checked(::socket(domain, type | SOCK_CLOEXEC, protocol));
}

int Kernel::bind(int fd, const struct sockaddr* addr, socklen_t len) {
  return checked(::bind(fd, addr, len));
}

ssize_t Kernel::sendmsg(int fd, const struct msghdr* msg, int flags) {
  return checked(::sendmsg(fd, msg, flags));
}

ssize_t Kernel::recvmsg(int fd, struct msghdr* msg, int flags) {
  return checked(::recvmsg(fd, msg, flags));
}

int Kernel::setsockopt(int fd, int level, int optname, const void* optval, socklen_t optlen) {
  return checked(::setsockopt(fd, level, optname, optval, optlen));
}

int Kernel::mount(const char* source, const char* target, const char* fstype, unsigned long flags,
                  const void* data) {
  return checked(::mount(source, target, fstype, flags, data));
}

int Kernel::statfs(const char* path, struct statfs* buf) { return checked(::statfs(path, buf)); }

int Kernel::mkdir(const char* path, mode_t mode) { return checked(::mkdir(path, mode)); }

int Kernel::unlink(const char* path) { return checked(::unlink(path)); }

int Kernel::uname(struct utsname* buf) { return checked(::uname(buf)); }

int Kernel::getrlimit(int resource, struct rlimit* rlim) {
  return checked(::getrlimit(static_cast<__rlimit_resource>(resource), rlim));
}

int Kernel::setrlimit(int resource, const struct rlimit* rlim) {
  return checked(::setrlimit(static_cast<__rlimit_resource>(resource), rlim));
}

Kernel& kernel() noexcept { return *g_kernel.load(std::memory_order_acquire); }

Kernel* set_kernel(Kernel* replacement) noexcept {
  return g_kernel.exchange(replacement != nullptr ? replacement : &g_real_kernel);
}

}  // namespace bpfxx::sys
