// Part of bpfxx. Application (C++) over the generated skeleton of
// skelgen_ops.bpf.o: the struct_ops shadow shows the programs and the
// scalar member, attach registers the congestion control (visible in
// /proc), destroy unregisters it.
#include "app_util.h"
#include "skelgen_ops.skel.h"

#include <fstream>
#include <sstream>
#include <string>

static bool cc_registered(const char* name) {
  std::ifstream f("/proc/sys/net/ipv4/tcp_available_congestion_control");
  std::stringstream text;
  text << f.rdbuf();
  std::string word;
  while (text >> word) {
    if (word == name) return true;
  }
  return false;
}

int main() {
  skip_unless_root();
  const int fds = count_fds();

  skelgen_ops* skel = skelgen_ops::open();
  CHECK(skel != nullptr);
  CHECK(skel->struct_ops.skg_cc != nullptr);
  CHECK(skel->struct_ops.skg_cc->ssthresh == skel->progs.skg_ssthresh);
  CHECK(skel->struct_ops.skg_cc->init == skel->progs.skg_init);
  CHECK(skel->struct_ops.skg_cc->flags == 0);
  CHECK(!cc_registered("bpfxx_skg_cc"));

  CHECK(skelgen_ops::load(skel) == 0);
  CHECK(skelgen_ops::attach(skel) == 0);
  CHECK(skel->links.skg_cc != nullptr);
  CHECK(cc_registered("bpfxx_skg_cc"));

  skelgen_ops::destroy(skel);
  CHECK(!cc_registered("bpfxx_skg_cc"));
  CHECK(count_fds() == fds);
  printf("PASS: skelgen_ops\n");
  return 0;
}
