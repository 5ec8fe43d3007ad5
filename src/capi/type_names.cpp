// libbpf_bpf_{prog,map,attach,link}_type_str(): the C face of sys/type_names.
#include <bpf/libbpf.h>

#include "sys/type_names.h"

extern "C" {

const char* libbpf_bpf_prog_type_str(enum bpf_prog_type t) {
  return bpfxx::sys::prog_type_name(static_cast<int>(t));
}

const char* libbpf_bpf_map_type_str(enum bpf_map_type t) {
  return bpfxx::sys::map_type_name(static_cast<int>(t));
}

const char* libbpf_bpf_attach_type_str(enum bpf_attach_type t) {
  return bpfxx::sys::attach_type_name(static_cast<int>(t));
}

const char* libbpf_bpf_link_type_str(enum bpf_link_type t) {
  return bpfxx::sys::link_type_name(static_cast<int>(t));
}

}  // extern "C"
