// rtnetlink and generic netlink requests: building a message with nested
// attributes, sending it, reading replies until the kernel's
// acknowledgement, and turning a refusal into an error that carries the
// kernel's extended-ack message (also reported through the print callback).
#pragma once

#include <bpfxx/result.hpp>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

struct nlmsghdr;

namespace bpfxx::sys {

// A netlink message being built: header, fixed body, then attributes.
class NetlinkMessage {
 public:
  // type: RTM_* or a generic family id; flags besides NLM_F_REQUEST|ACK.
  NetlinkMessage(uint16_t type, uint16_t flags);

  // Appends the fixed-size body (ifinfomsg, tcmsg, genlmsghdr).
  void put_body(const void* body, size_t len);
  void put_attr(uint16_t type, const void* data, size_t len);
  template <class T>
  void put(uint16_t type, const T& value) {
    put_attr(type, &value, sizeof value);
  }
  void put_string(uint16_t type, const std::string& s) { put_attr(type, s.c_str(), s.size() + 1); }
  // Opens a nested attribute; returns its offset for end_nest().
  size_t begin_nest(uint16_t type);
  void end_nest(size_t offset);

  nlmsghdr* header();
  std::vector<uint8_t>& bytes() { return buf_; }

 private:
  std::vector<uint8_t> buf_;
};

// Calls fn(type, data, len) for each attribute in [data, data + len);
// NLA_F_NESTED and NLA_F_NET_BYTEORDER are masked off the type. Stops at
// the first malformed attribute.
void for_each_attr(const void* data, size_t len, const std::function<void(uint16_t, const uint8_t*, size_t)>& fn);

// A netlink socket of one protocol (NETLINK_ROUTE, NETLINK_GENERIC).
class NetlinkSocket {
 public:
  NetlinkSocket() = default;
  ~NetlinkSocket();
  NetlinkSocket(const NetlinkSocket&) = delete;
  NetlinkSocket& operator=(const NetlinkSocket&) = delete;

  Result<void> open(int protocol);

  // Sends msg with NLM_F_REQUEST|NLM_F_ACK and a fresh sequence number,
  // passes every reply message (not errors or DONE) to on_reply, and
  // returns at the acknowledgement or NLMSG_DONE. what names the request
  // in messages ("ifindex 3: setting XDP"). A kernel refusal with errno
  // expected_err is an answer the caller handles, reported at debug level
  // only (a missing genl family on an older kernel).
  Result<void> request(NetlinkMessage& msg, const std::string& what,
                       const std::function<void(const nlmsghdr&)>& on_reply = {}, int expected_err = 0);

 private:
  int fd_ = -1;
  uint32_t seq_ = 0;
};

// The id of a generic netlink family ("netdev"); ENOENT when the kernel
// does not have it.
Result<uint16_t> genl_family_id(NetlinkSocket& sock, const char* name);

}  // namespace bpfxx::sys
