#include "link/usdt.h"

#include "base/log.h"
#include "elf/usdt_notes.h"
#include "link/uprobe.h"
#include "link/usdt_args.h"
#include "object/object.h"
#include "object/program.h"
#include "object/section_table.h"
#include "sys/features.h"
#include "sys/files.h"
#include "sys/kernel.h"
#include "sys/mapped_file.h"

#include <bpf/bpf.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <climits>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <mutex>
#include <span>
#include <unordered_map>
#include <set>
#include <vector>

namespace bpfxx::link {
namespace {

constexpr const char* kSpecsMap = "__bpf_usdt_specs";
constexpr const char* kIpMap = "__bpf_usdt_ip_to_spec_id";
constexpr uint16_t kEtExec = 2;

// Slots of disconnected links, per specs map (kernel map id): their probes
// still read them after the link object and maybe the manager are gone, so
// no later manager of that map may hand them out again.
struct KeptSlots {
  std::mutex mu;
  std::map<uint32_t, std::set<int>> by_map;
};
KeptSlots& kept_slots() {
  static KeptSlots kept;
  return kept;
}

// The spec slots of one __bpf_usdt_specs map: which are free. Holds its
// own fds of the two maps, so links may outlive the object.
class UsdtManager {
 public:
  UsdtManager(int specs_fd, int ip_fd, uint32_t capacity, uint32_t map_id)
      : specs_fd_(specs_fd), ip_fd_(ip_fd), capacity_(capacity), map_id_(map_id) {}
  ~UsdtManager() {
    sys::kernel().close(specs_fd_);
    sys::kernel().close(ip_fd_);
  }
  UsdtManager(const UsdtManager&) = delete;
  UsdtManager& operator=(const UsdtManager&) = delete;

  int specs_fd() const noexcept { return specs_fd_; }
  int ip_fd() const noexcept { return ip_fd_; }

  // A free slot, or -1 when all are taken.
  int take() {
    std::lock_guard<std::mutex> lock(mu_);
    if (!free_.empty()) {
      const int id = free_.back();
      free_.pop_back();
      return id;
    }
    KeptSlots& kept = kept_slots();
    std::lock_guard<std::mutex> kept_lock(kept.mu);
    const std::set<int>& never = kept.by_map[map_id_];
    while (next_ < capacity_ && never.count(static_cast<int>(next_)) != 0) next_++;
    if (next_ >= capacity_) return -1;
    return static_cast<int>(next_++);
  }
  // The slots of a disconnected link: taken for good.
  void keep(const std::vector<int>& ids) {
    KeptSlots& kept = kept_slots();
    std::lock_guard<std::mutex> lock(kept.mu);
    kept.by_map[map_id_].insert(ids.begin(), ids.end());
  }
  void give_back(const std::vector<int>& ids) {
    std::lock_guard<std::mutex> lock(mu_);
    free_.insert(free_.end(), ids.begin(), ids.end());
  }
  uint32_t capacity() const noexcept { return capacity_; }

 private:
  int specs_fd_;
  int ip_fd_;
  uint32_t capacity_;
  uint32_t map_id_;
  std::mutex mu_;
  uint32_t next_ = 0;
  std::vector<int> free_;
};

// One manager per specs map (by kernel map id), alive while a link uses it.
Result<std::shared_ptr<UsdtManager>> manager_for(const bpf_map& specs, const bpf_map& ips) {
  static std::mutex mu;
  static std::map<uint32_t, std::weak_ptr<UsdtManager>> managers;
  bpf_map_info info;
  std::memset(&info, 0, sizeof info);
  uint32_t len = sizeof info;
  if (const int rc = bpf_map_get_info_by_fd(specs.fd, &info, &len); rc < 0) {
    return fail(-rc, std::string("cannot query map '") + kSpecsMap + "'");
  }
  std::lock_guard<std::mutex> lock(mu);
  for (auto it = managers.begin(); it != managers.end();) {
    it = it->second.expired() ? managers.erase(it) : std::next(it);
  }
  if (auto found = managers.find(info.id); found != managers.end()) {
    if (auto m = found->second.lock()) return m;
  }
  const int sfd = sys::kernel().dup_cloexec(specs.fd, 3);
  if (sfd < 0) return fail(-sfd, "dup of the USDT spec map's fd");
  const int ifd = sys::kernel().dup_cloexec(ips.fd, 3);
  if (ifd < 0) {
    sys::kernel().close(sfd);
    return fail(-ifd, "dup of the USDT address map's fd");
  }
  auto m = std::make_shared<UsdtManager>(sfd, ifd, info.max_entries, info.id);
  managers[info.id] = m;
  return m;
}

class UsdtLink : public bpf_link {
 public:
  UsdtLink(std::shared_ptr<UsdtManager> man, std::string what) : man_(std::move(man)), what_(std::move(what)) {}
  ~UsdtLink() override {
    if (disconnected()) {
      // The probes stay: their links keep their fds, and their slots stay
      // taken even after this manager goes.
      for (auto& l : probes_) l->disconnect();
      man_->keep(spec_ids_);
      return;
    }
    static_cast<void>(release());
  }

  int fd() const noexcept override { return probes_.size() == 1 && multi_ ? probes_[0]->fd() : -1; }
  Result<void> detach() override { return release(); }
  std::string describe() const override { return what_; }

  void add_probe(LinkPtr l) { probes_.push_back(std::move(l)); }
  void add_spec(int id) { spec_ids_.push_back(id); }
  void add_ip(int64_t ip) { ips_.push_back(ip); }
  void set_multi() { multi_ = true; }

 private:
  Result<void> release() {
    Result<void> out;
    for (auto& l : probes_) {
      if (auto r = l->destroy(); !r && out) out = r;
    }
    probes_.clear();
    for (int64_t ip : ips_) {
      // A failure leaves a stale address: the next attach at it reports it.
      if (const int rc = bpf_map_delete_elem(man_->ip_fd(), &ip); rc < 0) {
        BPFXX_WARN("%s: removing address 0x%llx from %s: %s\n", what_.c_str(), static_cast<unsigned long long>(ip),
                   kIpMap, std::strerror(-rc));
      }
    }
    ips_.clear();
    man_->give_back(spec_ids_);
    spec_ids_.clear();
    return out;
  }

  std::shared_ptr<UsdtManager> man_;
  std::string what_;
  std::vector<LinkPtr> probes_;
  std::vector<int> spec_ids_;
  std::vector<int64_t> ips_;
  bool multi_ = false;
};

std::string real_path(const std::string& path) {
  char buf[PATH_MAX];
  if (::realpath(path.c_str(), buf) == nullptr) return path;
  return buf;
}

}  // namespace

Result<uint64_t> usdt_runtime_address(std::string_view proc_maps, std::string_view path, uint64_t file_offset) {
  size_t pos = 0;
  while (pos < proc_maps.size()) {
    size_t eol = proc_maps.find('\n', pos);
    if (eol == std::string_view::npos) eol = proc_maps.size();
    const std::string line(proc_maps.substr(pos, eol - pos));
    pos = eol + 1;
    unsigned long long start = 0, end = 0, off = 0;
    char perms[8] = {};
    int name_at = 0;
    if (std::sscanf(line.c_str(), "%llx-%llx %7s %llx %*s %*s %n", &start, &end, perms, &off, &name_at) < 4 ||
        name_at <= 0 || end < start) {
      continue;
    }
    std::string_view name = std::string_view(line).substr(static_cast<size_t>(name_at));
    while (!name.empty() && (name.back() == ' ' || name.back() == '\r')) name.remove_suffix(1);
    if (name != path) continue;
    // Only executable mappings hold probes; with some linkers a read-only
    // segment also covers the first page of the code.
    if (perms[2] != 'x') continue;
    if (file_offset >= off && file_offset - off < end - start) return start + (file_offset - off);
  }
  return fail(ESRCH, std::string(path) + " is not mapped at file offset " + std::to_string(file_offset) +
                         " in the traced process");
}

Result<LinkPtr> attach_usdt(const bpf_program& prog, pid_t pid, const char* binary_path, const char* provider,
                            const char* name, uint64_t usdt_cookie) {
  const std::string given = binary_path != nullptr ? binary_path : "";
  const std::string probe = std::string(provider != nullptr ? provider : "") + ":" + (name != nullptr ? name : "");
  std::string what = "USDT '" + given + ":" + probe + "'";
  auto prog_fd = loaded_prog_fd(prog, what);
  if (!prog_fd) return prog_fd.failure();
  if (given.empty() || provider == nullptr || name == nullptr || provider[0] == '\0' || name[0] == '\0') {
    return prog_failure(prog, EINVAL, "cannot attach " + what + ": binary path, provider and name must be given");
  }
  const bpf_map* specs = prog.obj != nullptr ? prog.obj->find_map(kSpecsMap) : nullptr;
  const bpf_map* ips = prog.obj != nullptr ? prog.obj->find_map(kIpMap) : nullptr;
  if (specs == nullptr || ips == nullptr || specs->fd < 0 || ips->fd < 0) {
    return prog_failure(prog, ESRCH,
                        "cannot attach " + what + ": the object has no " + kSpecsMap + "/" + kIpMap +
                            " maps (include <bpf/usdt.bpf.h> in the BPF program)");
  }
  if (specs->key_size != sizeof(int) || ips->key_size != sizeof(long) || ips->value_size != sizeof(uint32_t)) {
    return prog_failure(prog, EINVAL,
                        "cannot attach " + what + ": map " + kSpecsMap + " or " + kIpMap +
                            " has a layout other than <bpf/usdt.bpf.h>'s");
  }
  // The object's header decides the spec layout: both are accepted.
  if (specs->value_size != kUsdtSpecSizeCompact && specs->value_size != kUsdtSpecSizeWide) {
    return prog_failure(prog, EINVAL,
                        "cannot attach " + what + ": map " + kSpecsMap + " has value size " +
                            std::to_string(specs->value_size) + ", which matches no known struct __bpf_usdt_spec (" +
                            std::to_string(kUsdtSpecSizeCompact) + " or " + std::to_string(kUsdtSpecSizeWide) +
                            " bytes)");
  }
  if (pid < 0) pid = -1;
  if (pid == 0) pid = ::getpid();

  auto path = resolve_binary_path(given);
  if (!path) return prog_failure(prog, path.error(), "cannot attach " + what + ": " + path.message());
  what = "USDT '" + *path + ":" + probe + "'";
  auto file = sys::MappedFile::open(path->c_str());
  if (!file) return prog_failure(prog, file.error(), "cannot attach " + what + ": " + file.message());
  auto elf = elf::Reader::open(file->bytes(), *path);
  if (!elf) return prog_failure(prog, elf.error(), "cannot attach " + what + ": " + elf.message());
  auto sites = elf::usdt_locations(*elf, provider, name);
  if (!sites) return prog_failure(prog, sites.error(), "cannot attach " + what + ": " + sites.message());

  const bool cookies = sys::has_feature(sys::Feature::BpfCookie);
  const bool multi = prog.expected_attach_type == BPF_TRACE_UPROBE_MULTI;
  std::string maps_text;
  if (!cookies && elf->type() != kEtExec) {
    // Without cookies the BPF side finds the spec by the probed address,
    // which for a shared library or PIE depends on the process.
    if (pid < 0) {
      return prog_failure(prog, EOPNOTSUPP,
                          "cannot attach " + what + ": without BPF cookies (kernel < 5.15) a USDT in a shared "
                          "library or PIE can only be attached for one process (give a pid)");
    }
    auto m = sys::read_file(("/proc/" + std::to_string(pid) + "/maps").c_str(), 64u << 20);
    if (!m) return prog_failure(prog, m.error(), "cannot attach " + what + ": " + m.message());
    maps_text = std::move(*m);
  }

  auto man = manager_for(*specs, *ips);
  if (!man) return prog_failure(prog, man.error(), "cannot attach " + what + ": " + man.message());
  auto link = std::make_unique<UsdtLink>(*man, what);
  const std::string canonical = real_path(*path);

  std::unordered_map<std::string, int> slot_of_args;
  std::vector<unsigned long> offsets, ref_ctrs;
  std::vector<__u64> spec_cookies;
  for (const elf::UsdtLocation& site : *sites) {
    int id;
    if (auto hit = slot_of_args.find(site.args); hit != slot_of_args.end()) {
      id = hit->second;
    } else {
      auto parsed = parse_usdt_args(site.args, usdt_cookie);
      if (!parsed) return prog_failure(prog, parsed.error(), "cannot attach " + what + ": " + parsed.message());
      auto spec = serialize_usdt_spec(*parsed, specs->value_size);
      if (!spec) return prog_failure(prog, spec.error(), "cannot attach " + what + ": " + spec.message());
      id = (*man)->take();
      if (id < 0) {
        return prog_failure(prog, E2BIG,
                            "cannot attach " + what + ": all " + std::to_string((*man)->capacity()) + " slots of " +
                                kSpecsMap + " are in use (raise BPF_USDT_MAX_SPEC_CNT)");
      }
      link->add_spec(id);
      if (const int rc = bpf_map_update_elem((*man)->specs_fd(), &id, spec->data(), BPF_ANY); rc < 0) {
        return prog_failure(prog, -rc, "cannot attach " + what + ": storing spec #" + std::to_string(id) + ": " +
                                           std::strerror(-rc));
      }
      slot_of_args.emplace(site.args, id);
    }
    if (!cookies) {
      int64_t ip = static_cast<int64_t>(site.vaddr);
      if (elf->type() != kEtExec) {
        auto abs = usdt_runtime_address(maps_text, canonical, site.file_offset);
        if (!abs) return prog_failure(prog, abs.error(), "cannot attach " + what + ": " + abs.message());
        ip = static_cast<int64_t>(*abs);
      }
      const uint32_t value = static_cast<uint32_t>(id);
      if (const int rc = bpf_map_update_elem((*man)->ip_fd(), &ip, &value, BPF_NOEXIST); rc < 0) {
        return prog_failure(prog, -rc,
                            "cannot attach " + what + ": " +
                                (rc == -EEXIST ? std::string("another USDT link already probes the same address")
                                               : "recording the probe address: " + std::string(std::strerror(-rc))));
      }
      link->add_ip(ip);
    }
    if (multi) {
      offsets.push_back(static_cast<unsigned long>(site.file_offset));
      ref_ctrs.push_back(static_cast<unsigned long>(site.sema_offset));
      spec_cookies.push_back(static_cast<__u64>(id));
      continue;
    }
    UprobeOptions uo;
    uo.ref_ctr_offset = site.sema_offset;
    uo.cookie = cookies ? static_cast<uint64_t>(id) : 0;
    auto probe_link = attach_uprobe(prog, pid, path->c_str(), site.file_offset, uo);
    if (!probe_link) {
      return prog_failure(prog, probe_link.error(), "cannot attach " + what + ": " + probe_link.message());
    }
    link->add_probe(std::move(*probe_link));
  }
  if (multi) {
    UprobeMultiOptions mo;
    mo.offsets = offsets.data();
    mo.ref_ctr_offsets = ref_ctrs.data();
    mo.cookies = cookies ? spec_cookies.data() : nullptr;
    mo.cnt = offsets.size();
    auto ml = attach_uprobe_multi(prog, pid, path->c_str(), nullptr, mo);
    if (!ml) return prog_failure(prog, ml.error(), "cannot attach " + what + ": " + ml.message());
    link->add_probe(std::move(*ml));
    link->set_multi();
  }
  BPFXX_DEBUG("prog '%s': attached %s at %zu site(s)%s\n", prog.name.c_str(), what.c_str(), sites->size(),
              multi ? " with one uprobe.multi link" : "");
  return LinkPtr(link.release());
}

Result<LinkPtr> auto_attach_usdt(const bpf_program& prog) {
  // usdt[.s]/<path>:<provider>:<name>; the path may itself hold ':'.
  const std::string_view extras = object::section_extras(prog.sec_name);
  if (extras.empty()) return LinkPtr{};
  const size_t last = extras.rfind(':');
  const size_t mid = last == std::string_view::npos || last == 0 ? std::string_view::npos : extras.rfind(':', last - 1);
  if (mid == std::string_view::npos || mid == 0 || last == mid + 1 || last + 1 == extras.size()) {
    return prog_failure(prog, EINVAL,
                        "section '" + prog.sec_name + "' is not of the form usdt/<path>:<provider>:<name>");
  }
  const std::string path(extras.substr(0, mid));
  const std::string provider(extras.substr(mid + 1, last - mid - 1));
  const std::string name(extras.substr(last + 1));
  return attach_usdt(prog, -1, path.c_str(), provider.c_str(), name.c_str(), 0);
}

}  // namespace bpfxx::link
