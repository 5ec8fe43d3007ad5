// Netlink requests over the syscall seam (socket, sendmsg, recvmsg).
#include "sys/netlink.h"

#include "base/log.h"
#include "sys/kernel.h"

#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>
#include <ctime>

namespace bpfxx::sys {

namespace {

constexpr size_t align4(size_t n) { return (n + 3) & ~size_t{3}; }

// The kernel's explanation in an NLMSG_ERROR carrying extended-ack TLVs.
std::string ext_ack_message(const nlmsghdr& h) {
  if ((h.nlmsg_flags & NLM_F_ACK_TLVS) == 0) return {};
  const auto* base = reinterpret_cast<const uint8_t*>(&h);
  const auto* e = reinterpret_cast<const nlmsgerr*>(base + NLMSG_HDRLEN);
  if (h.nlmsg_len < NLMSG_HDRLEN + sizeof(nlmsgerr)) return {};
  // Without NLM_F_CAPPED the request itself is echoed before the TLVs.
  size_t tlv_off = NLMSG_HDRLEN + sizeof(nlmsgerr);
  if ((h.nlmsg_flags & NLM_F_CAPPED) == 0) tlv_off += align4(e->msg.nlmsg_len) - sizeof(nlmsghdr);
  if (tlv_off >= h.nlmsg_len) return {};
  std::string text;
  for_each_attr(base + tlv_off, h.nlmsg_len - tlv_off, [&](uint16_t type, const uint8_t* data, size_t len) {
    if (type == NLMSGERR_ATTR_MSG && len > 0) text.assign(reinterpret_cast<const char*>(data), strnlen(reinterpret_cast<const char*>(data), len));
  });
  return text;
}

}  // namespace

NetlinkMessage::NetlinkMessage(uint16_t type, uint16_t flags) : buf_(NLMSG_HDRLEN, 0) {
  nlmsghdr* h = header();
  h->nlmsg_len = NLMSG_HDRLEN;
  h->nlmsg_type = type;
  h->nlmsg_flags = static_cast<uint16_t>(NLM_F_REQUEST | NLM_F_ACK | flags);
}

nlmsghdr* NetlinkMessage::header() { return reinterpret_cast<nlmsghdr*>(buf_.data()); }

void NetlinkMessage::put_body(const void* body, size_t len) {
  const size_t at = buf_.size();
  buf_.resize(at + align4(len), 0);
  std::memcpy(buf_.data() + at, body, len);
  header()->nlmsg_len = static_cast<uint32_t>(buf_.size());
}

void NetlinkMessage::put_attr(uint16_t type, const void* data, size_t len) {
  const size_t at = buf_.size();
  buf_.resize(at + align4(NLA_HDRLEN + len), 0);
  auto* a = reinterpret_cast<nlattr*>(buf_.data() + at);
  a->nla_type = type;
  a->nla_len = static_cast<uint16_t>(NLA_HDRLEN + len);
  if (len != 0) std::memcpy(buf_.data() + at + NLA_HDRLEN, data, len);
  header()->nlmsg_len = static_cast<uint32_t>(buf_.size());
}

size_t NetlinkMessage::begin_nest(uint16_t type) {
  const size_t at = buf_.size();
  put_attr(static_cast<uint16_t>(type | NLA_F_NESTED), nullptr, 0);
  return at;
}

void NetlinkMessage::end_nest(size_t offset) {
  auto* a = reinterpret_cast<nlattr*>(buf_.data() + offset);
  a->nla_len = static_cast<uint16_t>(buf_.size() - offset);
}

void for_each_attr(const void* data, size_t len, const std::function<void(uint16_t, const uint8_t*, size_t)>& fn) {
  const auto* p = static_cast<const uint8_t*>(data);
  size_t off = 0;
  while (off + NLA_HDRLEN <= len) {
    nlattr a;
    std::memcpy(&a, p + off, sizeof a);
    if (a.nla_len < NLA_HDRLEN || off + a.nla_len > len) return;
    fn(static_cast<uint16_t>(a.nla_type & NLA_TYPE_MASK), p + off + NLA_HDRLEN, a.nla_len - NLA_HDRLEN);
    off += align4(a.nla_len);
  }
}

NetlinkSocket::~NetlinkSocket() {
  if (fd_ >= 0) static_cast<void>(kernel().close(fd_));
}

Result<void> NetlinkSocket::open(int protocol) {
  const int fd = kernel().socket(AF_NETLINK, SOCK_RAW, protocol);
  if (fd < 0) {
    BPFXX_WARN("netlink: cannot open a socket of protocol %d: %s\n", protocol, std::strerror(-fd));
    return fail(-fd, "netlink socket");
  }
  fd_ = fd;
  // Best effort: older kernels lack these and still answer, without text.
  const int one = 1;
  static_cast<void>(kernel().setsockopt(fd_, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof one));
  static_cast<void>(kernel().setsockopt(fd_, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof one));
  seq_ = static_cast<uint32_t>(::time(nullptr));
  return {};
}

Result<void> NetlinkSocket::request(NetlinkMessage& msg, const std::string& what,
                                    const std::function<void(const nlmsghdr&)>& on_reply, int expected_err) {
  if (fd_ < 0) return fail(EBADF, what + ": netlink socket not open");
  nlmsghdr* h = msg.header();
  h->nlmsg_seq = ++seq_;
  sockaddr_nl to{};
  to.nl_family = AF_NETLINK;
  iovec iov{msg.bytes().data(), msg.bytes().size()};
  msghdr mh{};
  mh.msg_name = &to;
  mh.msg_namelen = sizeof to;
  mh.msg_iov = &iov;
  mh.msg_iovlen = 1;
  const ssize_t sent = kernel().sendmsg(fd_, &mh, 0);
  if (sent < 0) {
    BPFXX_WARN("%s: netlink send failed: %s\n", what.c_str(), std::strerror(static_cast<int>(-sent)));
    return fail(static_cast<int>(-sent), what + ": netlink send");
  }

  std::vector<uint8_t> buf(32768);
  for (;;) {
    iovec riov{buf.data(), buf.size()};
    msghdr rmh{};
    rmh.msg_iov = &riov;
    rmh.msg_iovlen = 1;
    const ssize_t got = kernel().recvmsg(fd_, &rmh, 0);
    if (got < 0) {
      if (got == -EINTR) continue;
      BPFXX_WARN("%s: netlink receive failed: %s\n", what.c_str(), std::strerror(static_cast<int>(-got)));
      return fail(static_cast<int>(-got), what + ": netlink receive");
    }
    if ((rmh.msg_flags & MSG_TRUNC) != 0) {
      BPFXX_WARN("%s: netlink reply larger than %zu bytes\n", what.c_str(), buf.size());
      return fail(EMSGSIZE, what + ": netlink reply truncated");
    }
    size_t off = 0;
    const size_t total = static_cast<size_t>(got);
    while (off + NLMSG_HDRLEN <= total) {
      nlmsghdr r;
      std::memcpy(&r, buf.data() + off, sizeof r);
      if (r.nlmsg_len < NLMSG_HDRLEN || off + r.nlmsg_len > total) {
        BPFXX_WARN("%s: malformed netlink reply\n", what.c_str());
        return fail(EBADMSG, what + ": malformed netlink reply");
      }
      const auto& rh = *reinterpret_cast<const nlmsghdr*>(buf.data() + off);
      off += align4(r.nlmsg_len);
      if (r.nlmsg_seq != h->nlmsg_seq) continue;  // a stale reply to an earlier request
      if (r.nlmsg_type == NLMSG_DONE) return {};
      if (r.nlmsg_type == NLMSG_ERROR) {
        if (r.nlmsg_len < NLMSG_HDRLEN + sizeof(int)) return fail(EBADMSG, what + ": short netlink error");
        int code = 0;
        std::memcpy(&code, buf.data() + (off - align4(r.nlmsg_len)) + NLMSG_HDRLEN, sizeof code);
        if (code == 0) return {};
        if (expected_err != 0 && -code == expected_err) {
          BPFXX_DEBUG("%s: %s\n", what.c_str(), std::strerror(-code));
          return fail(-code, what);
        }
        const std::string text = ext_ack_message(rh);
        if (!text.empty()) {
          BPFXX_WARN("%s: %s (kernel: %s)\n", what.c_str(), std::strerror(-code), text.c_str());
          return fail(-code, what + ": " + text);
        }
        BPFXX_WARN("%s: %s\n", what.c_str(), std::strerror(-code));
        return fail(-code, what);
      }
      if (on_reply) on_reply(rh);
    }
  }
}

Result<uint16_t> genl_family_id(NetlinkSocket& sock, const char* name) {
  NetlinkMessage msg(GENL_ID_CTRL, 0);
  genlmsghdr g{};
  g.cmd = CTRL_CMD_GETFAMILY;
  g.version = 2;
  msg.put_body(&g, sizeof g);
  msg.put_string(CTRL_ATTR_FAMILY_NAME, name);
  uint16_t id = 0;
  auto r = sock.request(msg, std::string("generic netlink family '") + name + "'", [&](const nlmsghdr& h) {
    const auto* p = reinterpret_cast<const uint8_t*>(&h) + NLMSG_HDRLEN + GENL_HDRLEN;
    if (h.nlmsg_len < NLMSG_HDRLEN + GENL_HDRLEN) return;
    for_each_attr(p, h.nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN, [&](uint16_t type, const uint8_t* data, size_t len) {
      if (type == CTRL_ATTR_FAMILY_ID && len >= sizeof id) std::memcpy(&id, data, sizeof id);
    });
  }, ENOENT);
  if (!r) return r.failure();
  if (id == 0) return fail(ENOENT, std::string("generic netlink family '") + name + "' not found");
  return id;
}

}  // namespace bpfxx::sys
