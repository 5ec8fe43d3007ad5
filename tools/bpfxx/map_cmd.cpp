// `bpfxx map`: the maps loaded in the kernel and their elements.
//
//   bpfxx map { show | list } [MAP]
//   bpfxx map dump MAP
//   bpfxx map lookup MAP key DATA
//   bpfxx map update MAP key DATA value DATA [any | exist | noexist]
//   bpfxx map delete MAP key DATA
//   bpfxx map { peek | pop } MAP      bpfxx map push MAP value DATA
//   MAP  := id ID | pinned PATH | name NAME
//   DATA := [hex] BYTES
//
// Elements are printed with the map's BTF when it has some (the C-like
// data dumper for text, names and numbers for JSON), as hex bytes otherwise.
#include "btf_json.h"
#include "byte_args.h"
#include "command_support.h"
#include "commands.h"
#include "json_writer.h"
#include "kernel_objects.h"

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include <cerrno>
#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

namespace bpfxx::tool {
namespace {

void map_usage(std::FILE* out) {
  std::fprintf(out,
               "Usage: bpfxx map { show | list } [MAP]\n"
               "       bpfxx map dump MAP\n"
               "       bpfxx map lookup MAP key DATA\n"
               "       bpfxx map update MAP key DATA value DATA [UPDATE_FLAGS]\n"
               "       bpfxx map delete MAP key DATA\n"
               "       bpfxx map { peek | pop } MAP\n"
               "       bpfxx map push MAP value DATA\n"
               "       bpfxx map help\n"
               "\n"
               "  MAP          := id ID | pinned PATH | name NAME\n"
               "  DATA         := [hex] BYTES  (bytes as 1 0x1f 010, or after 'hex': 01 1f or 011f)\n"
               "  value of a program array or map of maps: id ID | pinned PATH\n"
               "  UPDATE_FLAGS := any | exist | noexist\n"
               "\n"
               "Per-CPU maps: 'value' gives one CPU's value, stored on every CPU.\n"
               "Options: -j / -p for JSON.\n");
}

int usage_error(const char* cmd, const std::string& msg) { return object_usage_error(ObjKind::Map, cmd, msg); }

int failure(const char* cmd, const std::string& msg) {
  std::fprintf(stderr, "bpfxx map %s: %s\n", cmd, msg.c_str());
  return kExitFailure;
}

std::string map_type_name(uint32_t type) {
  const char* s = libbpf_bpf_map_type_str(static_cast<bpf_map_type>(type));
  return s != nullptr ? s : "type " + std::to_string(type);
}

bool is_percpu(uint32_t type) {
  return type == BPF_MAP_TYPE_PERCPU_HASH || type == BPF_MAP_TYPE_PERCPU_ARRAY ||
         type == BPF_MAP_TYPE_LRU_PERCPU_HASH || type == BPF_MAP_TYPE_PERCPU_CGROUP_STORAGE;
}

bool is_queue(uint32_t type) { return type == BPF_MAP_TYPE_QUEUE || type == BPF_MAP_TYPE_STACK; }

// Maps whose values user space writes as fds and reads back as ids.
bool holds_fds(uint32_t type) {
  return type == BPF_MAP_TYPE_PROG_ARRAY || type == BPF_MAP_TYPE_ARRAY_OF_MAPS || type == BPF_MAP_TYPE_HASH_OF_MAPS;
}

int write_out(const std::string& text) { return write_output(ObjKind::Map, text); }

// ---- show -------------------------------------------------------------------

void show_plain(const MapInfo& m, std::string& out) {
  const bpf_map_info& i = m.info;
  char buf[512];
  std::snprintf(buf, sizeof(buf), "%u: %s  ", i.id, map_type_name(i.type).c_str());
  out += buf;
  if (i.name[0] != 0) {
    out += "name ";
    out.append(i.name, strnlen(i.name, sizeof(i.name)));
    out += "  ";
  }
  std::snprintf(buf, sizeof(buf), "flags 0x%x\n\tkey %uB  value %uB  max_entries %u  memlock %lluB\n", i.map_flags,
                i.key_size, i.value_size, i.max_entries, static_cast<unsigned long long>(m.memlock));
  out += buf;
  std::string extra;
  if (i.btf_id != 0) extra += "  btf_id " + std::to_string(i.btf_id);
  if (m.frozen) extra += "  frozen";
  if (!extra.empty()) out += "\t" + extra.substr(2) + "\n";
}

void show_json(const MapInfo& m, JsonWriter& w) {
  const bpf_map_info& i = m.info;
  w.begin_object();
  w.key("id");
  w.number(i.id);
  w.key("type");
  w.string(map_type_name(i.type));
  w.key("name");
  w.string(std::string(i.name, strnlen(i.name, sizeof(i.name))));
  w.key("flags");
  w.number(i.map_flags);
  w.key("bytes_key");
  w.number(i.key_size);
  w.key("bytes_value");
  w.number(i.value_size);
  w.key("max_entries");
  w.number(i.max_entries);
  w.key("bytes_memlock");
  w.number(static_cast<int64_t>(m.memlock));
  w.key("frozen");
  w.boolean(m.frozen);
  if (i.btf_id != 0) {
    w.key("btf_id");
    w.number(i.btf_id);
  }
  w.end_object();
}

// The maps args[*pos] names.
int open_maps(const char* cmd, const std::vector<std::string>& args, size_t* pos, std::vector<Fd>* fds,
              int* exit_code) {
  Selector sel;
  std::string error;
  if (!parse_selector(args, pos, ObjKind::Map, true, false, &sel, &error)) {
    *exit_code = usage_error(cmd, error);
    return -EINVAL;
  }
  int err = open_selected(ObjKind::Map, sel, fds, &error);
  if (err != 0) {
    *exit_code = failure(cmd, error);
    return err;
  }
  return 0;
}

int do_show(const std::vector<std::string>& args, const Options& options) {
  size_t pos = 1;
  std::vector<Fd> fds;
  int code = kExitOk;
  const bool all = args.size() <= 1;
  if (!all && open_maps("show", args, &pos, &fds, &code) != 0) return code;
  if (!all && pos < args.size()) return usage_error("show", "unexpected argument '" + args[pos] + "'");
  const bool many = all || fds.size() != 1;
  return show_each(ObjKind::Map, fds, all, many, options, get_map_info, show_plain, show_json);
}

// ---- element formatting -----------------------------------------------------

struct BtfDeleter {
  void operator()(struct btf* b) const { btf__free(b); }
};

// What one map's elements look like and how to print them.
class ElementPrinter {
 public:
  explicit ElementPrinter(const bpf_map_info& info) : info_(info) {
    ncpus_ = is_percpu(info.type) ? libbpf_num_possible_cpus() : 1;
    // A per-CPU value holds one slot per possible CPU: without the count no
    // buffer is safe to hand the kernel, so the command must fail.
    if (ncpus_ < 1) {
      cpus_error_ = ncpus_ < 0 ? ncpus_ : -EINVAL;
      ncpus_ = 0;
    }
    stride_ = is_percpu(info.type) ? (info.value_size + 7) / 8 * 8 : info.value_size;
    if (info.btf_id != 0 && info.btf_vmlinux_value_type_id == 0) btf_.reset(btf__load_from_kernel_by_id(info.btf_id));
  }

  size_t value_buffer_size() const { return stride_ * static_cast<size_t>(ncpus_); }
  int ncpus() const { return ncpus_; }
  // 0, or -errno when the number of possible CPUs is unknown (per-CPU maps).
  int cpus_error() const { return cpus_error_; }
  size_t stride() const { return stride_; }
  bool has_btf() const { return btf_ != nullptr; }

  // One element as text: "key: ...\nvalue: ...\n".
  void plain(const uint8_t* key, const uint8_t* value, std::string& out) {
    if (key != nullptr) {
      out += "key: ";
      out += typed_text(info_.btf_key_type_id, key, info_.key_size);
      // Typed values span lines; hex ones share the key's line, as in bpftool.
      out += value == nullptr || btf_ || is_percpu(info_.type) ? "\n" : "  ";
    }
    if (value == nullptr) return;
    if (!is_percpu(info_.type)) {
      out += "value: ";
      out += typed_text(info_.btf_value_type_id, value, info_.value_size);
      out += "\n";
      return;
    }
    for (int cpu = 0; cpu < ncpus_; cpu++) {
      char head[32];
      std::snprintf(head, sizeof(head), "value (CPU %02d): ", cpu);
      out += head;
      out += typed_text(info_.btf_value_type_id, value + stride_ * static_cast<size_t>(cpu), info_.value_size);
      out += "\n";
    }
  }

  // An element whose value cannot be read: its key and the reason.
  void json_error(const uint8_t* key, const char* reason, JsonWriter& w) {
    w.begin_object();
    w.key("key");
    hex_array(key, info_.key_size, w);
    w.key("error");
    w.string(reason);
    w.end_object();
  }

  // One element as a JSON object: hex arrays plus, with BTF, "formatted".
  void json(const uint8_t* key, const uint8_t* value, JsonWriter& w) {
    w.begin_object();
    if (key != nullptr) {
      w.key("key");
      hex_array(key, info_.key_size, w);
    }
    if (value != nullptr) {
      if (is_percpu(info_.type)) {
        percpu_values(value, w, [&](const uint8_t* one) { hex_array(one, info_.value_size, w); });
      } else {
        w.key("value");
        hex_array(value, info_.value_size, w);
      }
    }
    if (btf_) {
      w.key("formatted");
      w.begin_object();
      if (key != nullptr) {
        w.key("key");
        typed_json(info_.btf_key_type_id, key, info_.key_size, w);
      }
      if (value != nullptr && is_percpu(info_.type)) {
        percpu_values(value, w,
                      [&](const uint8_t* one) { typed_json(info_.btf_value_type_id, one, info_.value_size, w); });
      } else if (value != nullptr) {
        w.key("value");
        typed_json(info_.btf_value_type_id, value, info_.value_size, w);
      }
      w.end_object();
    }
    w.end_object();
  }

 private:
  // "values": [{"cpu": N, "value": ...}, ...], each CPU's value written by
  // write_one from its bytes.
  template <typename WriteOne>
  void percpu_values(const uint8_t* value, JsonWriter& w, WriteOne write_one) {
    w.key("values");
    w.begin_array();
    for (int cpu = 0; cpu < ncpus_; cpu++) {
      w.begin_object();
      w.key("cpu");
      w.number(cpu);
      w.key("value");
      write_one(value + stride_ * static_cast<size_t>(cpu));
      w.end_object();
    }
    w.end_array();
  }

  static void hex_array(const uint8_t* p, size_t n, JsonWriter& w) {
    w.begin_array();
    char buf[8];
    for (size_t i = 0; i < n; i++) {
      std::snprintf(buf, sizeof(buf), "0x%02x", p[i]);
      w.string(buf);
    }
    w.end_array();
  }

  static void collect(void* ctx, const char* fmt, va_list args) {
    auto* s = static_cast<std::string*>(ctx);
    va_list copy;
    va_copy(copy, args);
    int n = std::vsnprintf(nullptr, 0, fmt, copy);
    va_end(copy);
    if (n <= 0) return;
    size_t old = s->size();
    s->resize(old + static_cast<size_t>(n) + 1);
    std::vsnprintf(&(*s)[old], static_cast<size_t>(n) + 1, fmt, args);
    s->resize(old + static_cast<size_t>(n));
  }

  // The bytes as their BTF type through the data dumper; hex without BTF
  // or when the dump fails (the bytes are then still shown).
  std::string typed_text(uint32_t type_id, const uint8_t* p, size_t n) {
    if (btf_ && type_id != 0) {
      std::string text;
      struct btf_dump* d = btf_dump__new(btf_.get(), collect, &text, nullptr);
      if (d != nullptr) {
        LIBBPF_OPTS(btf_dump_type_data_opts, opts);
        opts.indent_str = "    ";
        opts.emit_zeroes = true;
        opts.emit_strings = true;
        int err = btf_dump__dump_type_data(d, type_id, p, n, &opts);
        btf_dump__free(d);
        if (err >= 0) return text;
      }
    }
    return hex_bytes(p, n);
  }

  void typed_json(uint32_t type_id, const uint8_t* p, size_t n, JsonWriter& w) {
    if (type_id != 0) {
      // A trial run first: a failure must not leave half a value in w.
      JsonWriter scratch(false);
      if (btf_value_json(btf_.get(), type_id, p, n, scratch) == 0) {
        btf_value_json(btf_.get(), type_id, p, n, w);
        return;
      }
    }
    hex_array(p, n, w);
  }

  const bpf_map_info& info_;
  int ncpus_ = 1;
  int cpus_error_ = 0;
  size_t stride_ = 0;
  std::unique_ptr<struct btf, BtfDeleter> btf_;
};

// ---- dump, lookup, update, delete, queue ops --------------------------------

int cpus_failure(const char* cmd, int err) {
  return failure(cmd, std::string("cannot get the number of possible CPUs for a per-CPU map: ") + std::strerror(-err));
}

struct OpenedMap {
  Fd fd;
  MapInfo info;
};

// Opens exactly one map from args[*pos].
bool open_one(const char* cmd, const std::vector<std::string>& args, size_t* pos, OpenedMap* out, int* code) {
  std::vector<Fd> fds;
  if (open_maps(cmd, args, pos, &fds, code) != 0) return false;
  if (fds.size() != 1) {
    *code = failure(cmd, std::to_string(fds.size()) + " maps have that name; name one by id");
    return false;
  }
  out->fd = std::move(fds[0]);
  int err = get_map_info(out->fd.get(), &out->info);
  if (err != 0) {
    *code = failure(cmd, std::string("cannot get map info: ") + std::strerror(-err));
    return false;
  }
  return true;
}

int do_dump(const std::vector<std::string>& args, const Options& options) {
  size_t pos = 1;
  OpenedMap m;
  int code = kExitOk;
  if (!open_one("dump", args, &pos, &m, &code)) return code;
  if (pos < args.size()) return usage_error("dump", "unexpected argument '" + args[pos] + "'");
  const bpf_map_info& info = m.info.info;
  if (info.key_size == 0) {
    return failure("dump", "a " + map_type_name(info.type) + " map has no keys to walk" +
                               (is_queue(info.type) ? "; use 'peek' or 'pop'" : ""));
  }
  ElementPrinter printer(info);
  if (printer.cpus_error() != 0) return cpus_failure("dump", printer.cpus_error());
  std::vector<uint8_t> key(info.key_size), next(info.key_size), value(printer.value_buffer_size());
  std::string out;
  JsonWriter w(options.pretty);
  if (options.json) w.begin_array();
  size_t count = 0;
  const void* prev = nullptr;
  for (;;) {
    int err = bpf_map_get_next_key(m.fd.get(), prev, next.data());
    if (err == -ENOENT) break;
    if (err != 0) return failure("dump", std::string("cannot walk the keys: ") + std::strerror(-err));
    key = next;
    prev = key.data();
    err = bpf_map_lookup_elem(m.fd.get(), key.data(), value.data());
    if (err == -ENOENT) continue;  // deleted meanwhile
    if (err != 0) {
      // Some maps (e.g. of sockets) cannot be read from user space: show the
      // key and why, in JSON as {"key": [...], "error": "..."}.
      if (options.json)
        printer.json_error(key.data(), std::strerror(-err), w);
      else
        out += "key: " + hex_bytes(key.data(), key.size()) + "  value: <" + std::strerror(-err) + ">\n";
      continue;
    }
    if (options.json)
      printer.json(key.data(), value.data(), w);
    else
      printer.plain(key.data(), value.data(), out);
    count++;
  }
  if (options.json) {
    w.end_array();
    out = w.text() + "\n";
  } else {
    out += "Found " + std::to_string(count) + " element" + (count == 1 ? "" : "s") + "\n";
  }
  return write_out(out);
}

const std::vector<std::string> kFlagWords = {"any", "exist", "noexist"};

int do_elem(const std::string& cmd, const std::vector<std::string>& args, const Options& options) {
  const char* c = cmd.c_str();
  size_t pos = 1;
  OpenedMap m;
  int code = kExitOk;
  if (!open_one(c, args, &pos, &m, &code)) return code;
  const bpf_map_info& info = m.info.info;
  ElementPrinter printer(info);
  if (printer.cpus_error() != 0) return cpus_failure(c, printer.cpus_error());
  const bool queue_op = cmd == "push" || cmd == "pop" || cmd == "peek";
  if (queue_op && !is_queue(info.type)) return failure(c, "'" + cmd + "' is for queue and stack maps");

  std::vector<uint8_t> key, value;
  std::vector<Fd> value_fds;  // held until the update is done
  std::string error;
  const bool wants_key = cmd == "lookup" || cmd == "update" || cmd == "delete";
  const bool wants_value = cmd == "update" || cmd == "push";
  if (wants_key) {
    if (pos >= args.size() || args[pos] != "key") return usage_error(c, "expected 'key DATA'");
    pos++;
    if (!parse_bytes(args, &pos, {"value"}, info.key_size, "key", &key, &error)) return usage_error(c, error);
  }
  uint64_t flags = BPF_ANY;
  if (wants_value) {
    if (pos >= args.size() || args[pos] != "value") return usage_error(c, "expected 'value DATA'");
    pos++;
    std::vector<uint8_t> one;
    const ObjKind fd_kind = info.type == BPF_MAP_TYPE_PROG_ARRAY ? ObjKind::Prog : ObjKind::Map;
    if (holds_fds(info.type) && pos < args.size() && (args[pos] == "id" || args[pos] == "pinned")) {
      // Program arrays and maps of maps take an fd: `value id N | pinned PATH`.
      Selector sel;
      if (!parse_selector(args, &pos, fd_kind, false, false, &sel, &error)) return usage_error(c, error);
      if (open_selected(fd_kind, sel, &value_fds, &error) != 0) return failure(c, error);
      const int fd = value_fds.back().get();
      one.resize(sizeof(fd));
      std::memcpy(one.data(), &fd, sizeof(fd));
      if (one.size() != info.value_size) return failure(c, "the map's values are not fds");
    } else if (!parse_bytes(args, &pos, kFlagWords, info.value_size, "value", &one, &error)) {
      // One CPU's value; per-CPU maps get it on every CPU.
      return usage_error(c, error);
    }
    value.assign(printer.value_buffer_size(), 0);
    for (int cpu = 0; cpu < printer.ncpus(); cpu++)
      std::memcpy(value.data() + printer.stride() * static_cast<size_t>(cpu), one.data(), one.size());
    if (pos < args.size()) {
      const std::string& f = args[pos];
      if (f != "any" && f != "exist" && f != "noexist")
        return usage_error(c, "unknown update flag '" + f + "' (any, exist, noexist)");
      flags = f == "exist" ? BPF_EXIST : f == "noexist" ? BPF_NOEXIST : BPF_ANY;
      pos++;
    }
  }
  if (pos < args.size()) return usage_error(c, "unexpected argument '" + args[pos] + "'");

  int err = 0;
  if (cmd == "update" || cmd == "push") {
    err = bpf_map_update_elem(m.fd.get(), cmd == "push" ? nullptr : key.data(), value.data(), flags);
    if (err != 0) return failure(c, std::string("cannot ") + c + " the element: " + std::strerror(-err));
    return kExitOk;
  }
  if (cmd == "delete") {
    err = bpf_map_delete_elem(m.fd.get(), key.data());
    if (err != 0) return failure(c, std::string("cannot delete the element: ") + std::strerror(-err));
    return kExitOk;
  }
  value.assign(printer.value_buffer_size(), 0);
  if (cmd == "lookup")
    err = bpf_map_lookup_elem(m.fd.get(), key.data(), value.data());
  else if (cmd == "peek")
    err = bpf_map_lookup_elem(m.fd.get(), nullptr, value.data());
  else
    err = bpf_map_lookup_and_delete_elem(m.fd.get(), nullptr, value.data());
  if (err == -ENOENT) return failure(c, cmd == "lookup" ? "key not found" : "the map is empty");
  if (err != 0) return failure(c, std::string("cannot read the element: ") + std::strerror(-err));
  std::string out;
  if (options.json) {
    JsonWriter w(options.pretty);
    printer.json(cmd == "lookup" ? key.data() : nullptr, value.data(), w);
    out = w.text() + "\n";
  } else {
    printer.plain(cmd == "lookup" ? key.data() : nullptr, value.data(), out);
  }
  return write_out(out);
}

}  // namespace

int map_main(const std::vector<std::string>& args, const Options& options) {
  if (int code = kExitOk; handle_help(args, map_usage, &code)) return code;
  const std::string& cmd = args[0];
  if (cmd == "show" || cmd == "list") return do_show(args, options);
  if (cmd == "dump") return do_dump(args, options);
  if (cmd == "lookup" || cmd == "update" || cmd == "delete" || cmd == "push" || cmd == "pop" || cmd == "peek")
    return do_elem(cmd, args, options);
  return usage_error("", "unknown command '" + cmd + "'");
}

}  // namespace bpfxx::tool
