// The bpfxx command, run as a separate process: `feature probe` as text and
// JSON, and its usage errors.
#include "sys/features.h"
#include "test_support.h"

#include <bpf/libbpf.h>
#include <gtest/gtest.h>

#include <fcntl.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cctype>
#include <climits>
#include <cstdlib>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace {

// ---- running the tool -------------------------------------------------------

// <build>/tests/bpfxx_kernel_tests -> <build>/tools/bpfxx/bpfxx
std::string tool_path() {
  char self[PATH_MAX];
  ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
  if (n <= 0) return {};
  std::string path(self, static_cast<std::size_t>(n));
  std::size_t slash = path.rfind('/');
  if (slash == std::string::npos) return {};
  std::string tests_dir = path.substr(0, slash);
  slash = tests_dir.rfind('/');
  if (slash == std::string::npos) return {};
  return tests_dir.substr(0, slash) + "/tools/bpfxx/bpfxx";
}

struct ToolRun {
  int status = -1;  // exit code, or -1 if it did not exit normally
  std::string out;
  std::string err;
};

std::string slurp(int fd) {
  std::string s;
  char buf[4096];
  lseek(fd, 0, SEEK_SET);
  for (;;) {
    ssize_t n = read(fd, buf, sizeof(buf));
    if (n <= 0) break;
    s.append(buf, static_cast<std::size_t>(n));
  }
  return s;
}

// Runs the tool with args; stdout and stderr go to unlinked temporary files
// (no pipes, so neither can fill up and block the child).
ToolRun run_tool(const std::vector<std::string>& args) {
  ToolRun r;
  std::string tool = tool_path();
  int out_fd = open("/tmp", O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
  int err_fd = open("/tmp", O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
  if (out_fd < 0 || err_fd < 0) {
    if (out_fd >= 0) close(out_fd);
    if (err_fd >= 0) close(err_fd);
    ADD_FAILURE() << "cannot create temporary files";
    return r;
  }
  std::vector<char*> argv;
  argv.push_back(const_cast<char*>(tool.c_str()));
  for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);

  pid_t pid = fork();
  if (pid == 0) {
    dup2(out_fd, 1);
    dup2(err_fd, 2);
    execv(tool.c_str(), argv.data());
    _exit(127);
  }
  int wstatus = 0;
  if (pid > 0 && waitpid(pid, &wstatus, 0) == pid && WIFEXITED(wstatus)) r.status = WEXITSTATUS(wstatus);
  r.out = slurp(out_fd);
  r.err = slurp(err_fd);
  close(out_fd);
  close(err_fd);
  return r;
}

// ---- a minimal JSON reader: enough to check the tool's output is valid -------

struct Json;
using JsonObject = std::map<std::string, Json>;
using JsonArray = std::vector<Json>;
struct Json {
  std::variant<std::nullptr_t, bool, double, std::string, std::shared_ptr<JsonArray>, std::shared_ptr<JsonObject>> v;
  const JsonObject* object() const {
    auto p = std::get_if<std::shared_ptr<JsonObject>>(&v);
    return p != nullptr ? p->get() : nullptr;
  }
  const bool* boolean() const { return std::get_if<bool>(&v); }
  const std::string* string() const { return std::get_if<std::string>(&v); }
  bool is_null() const { return std::holds_alternative<std::nullptr_t>(v); }
};

class JsonParser {
 public:
  explicit JsonParser(std::string text) : s_(std::move(text)) {}

  // The document, or nullopt-like failure (ok() false) on any syntax error.
  Json parse() {
    Json j = value();
    ws();
    if (pos_ != s_.size()) fail();
    return j;
  }
  bool ok() const { return ok_; }

 private:
  void fail() { ok_ = false; pos_ = s_.size(); }
  void ws() {
    while (pos_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[pos_]))) pos_++;
  }
  bool eat(char c) {
    ws();
    if (pos_ < s_.size() && s_[pos_] == c) {
      pos_++;
      return true;
    }
    return false;
  }
  bool literal(const char* word) {
    std::string w(word);
    if (s_.compare(pos_, w.size(), w) != 0) return false;
    pos_ += w.size();
    return true;
  }
  std::string str() {
    std::string out;
    if (!eat('"')) {
      fail();
      return out;
    }
    while (pos_ < s_.size()) {
      char c = s_[pos_++];
      if (c == '"') return out;
      if (static_cast<unsigned char>(c) < 0x20) break;  // raw control character
      if (c != '\\') {
        out.push_back(c);
        continue;
      }
      if (pos_ >= s_.size()) break;
      char e = s_[pos_++];
      switch (e) {
        case '"': case '\\': case '/': out.push_back(e); break;
        case 'b': out.push_back('\b'); break;
        case 'f': out.push_back('\f'); break;
        case 'n': out.push_back('\n'); break;
        case 'r': out.push_back('\r'); break;
        case 't': out.push_back('\t'); break;
        case 'u':
          if (pos_ + 4 > s_.size()) { fail(); return out; }
          for (int i = 0; i < 4; i++) {
            if (!std::isxdigit(static_cast<unsigned char>(s_[pos_ + i]))) { fail(); return out; }
          }
          out.push_back('?');
          pos_ += 4;
          break;
        default: fail(); return out;
      }
    }
    fail();
    return out;
  }
  Json value() {
    ws();
    if (pos_ >= s_.size()) { fail(); return {}; }
    char c = s_[pos_];
    if (c == '{') {
      pos_++;
      auto obj = std::make_shared<JsonObject>();
      if (eat('}')) return Json{obj};
      do {
        ws();
        std::string k = str();
        if (!eat(':')) { fail(); return {}; }
        (*obj)[k] = value();
      } while (ok_ && eat(','));
      if (!eat('}')) fail();
      return Json{obj};
    }
    if (c == '[') {
      pos_++;
      auto arr = std::make_shared<JsonArray>();
      if (eat(']')) return Json{arr};
      do {
        arr->push_back(value());
      } while (ok_ && eat(','));
      if (!eat(']')) fail();
      return Json{arr};
    }
    if (c == '"') return Json{str()};
    if (literal("true")) return Json{true};
    if (literal("false")) return Json{false};
    if (literal("null")) return Json{nullptr};
    char* end = nullptr;
    double d = std::strtod(s_.c_str() + pos_, &end);
    if (end == s_.c_str() + pos_) { fail(); return {}; }
    pos_ = static_cast<std::size_t>(end - s_.c_str());
    return Json{d};
  }

  const std::string s_;
  std::size_t pos_ = 0;
  bool ok_ = true;
};

TEST(JsonParserSelfTest, AcceptsValidAndRejectsBroken) {
  JsonParser good(R"({"a": [1, 2.5, "x\"y\u00e9"], "b": {"c": true, "d": null}})");
  good.parse();
  EXPECT_TRUE(good.ok());
  for (const char* bad : {"{", R"({"a" 1})", R"({"a": tru})", "[1,]", "{\"a\":\"\x01\"}", "{} x"}) {
    JsonParser p(bad);
    p.parse();
    EXPECT_FALSE(p.ok()) << bad;
  }
}

// ---- the tool ---------------------------------------------------------------

class BpfxxTool : public testing::Test {
 protected:
  void SetUp() override {
    if (access(tool_path().c_str(), X_OK) != 0) FAIL() << "bpfxx not found at " << tool_path();
  }
};

std::string kernel_release() {
  struct utsname uts;
  return uname(&uts) == 0 ? uts.release : "";
}

TEST_F(BpfxxTool, FeatureProbeText) {
  BPFXX_REQUIRE_ROOT();
  ToolRun r = run_tool({"feature", "probe"});
  ASSERT_EQ(r.status, 0) << r.err;
  for (const char* want : {"Program types", "Map types", "Kernel features", "socket_filter", "sk_storage",
                           "arena", "global_data", "stream_read", "assoc_struct_ops"}) {
    EXPECT_NE(r.out.find(want), std::string::npos) << "missing '" << want << "' in:\n" << r.out;
  }
  EXPECT_NE(r.out.find(kernel_release()), std::string::npos);
#if defined(__x86_64__)
  EXPECT_NE(r.out.find("__x64_"), std::string::npos);
#endif
}

void check_probe_json(const ToolRun& r) {
  ASSERT_EQ(r.status, 0) << r.err;
  JsonParser parser(r.out);
  Json doc = parser.parse();
  ASSERT_TRUE(parser.ok()) << "not valid JSON:\n" << r.out;
  const JsonObject* top = doc.object();
  ASSERT_NE(top, nullptr) << "not a JSON object";
  for (const char* key : {"kernel", "syscall_prefix", "program_types", "map_types", "features"}) {
    EXPECT_EQ(top->count(key), 1u) << "no key " << key;
  }
  const JsonObject* kernel = top->at("kernel").object();
  ASSERT_NE(kernel, nullptr);
  ASSERT_TRUE(kernel->count("release"));
  ASSERT_NE(kernel->at("release").string(), nullptr);
  EXPECT_EQ(*kernel->at("release").string(), kernel_release());

  // The tool must say what the library's own probes say in this process.
  auto expect_value = [&](const char* section, const char* name, bool want) {
    const JsonObject* obj = top->at(section).object();
    ASSERT_NE(obj, nullptr) << section;
    ASSERT_EQ(obj->count(name), 1u) << section << "." << name;
    const bool* b = obj->at(name).boolean();
    ASSERT_NE(b, nullptr) << section << "." << name << " is not a boolean";
    EXPECT_EQ(*b, want) << section << "." << name;
  };
  expect_value("program_types", "socket_filter", true);
  expect_value("program_types", "xdp", true);
  expect_value("program_types", "netfilter", libbpf_probe_bpf_prog_type(BPF_PROG_TYPE_NETFILTER, nullptr) == 1);
  expect_value("map_types", "hash", true);
  expect_value("map_types", "arena", libbpf_probe_bpf_map_type(BPF_MAP_TYPE_ARENA, nullptr) == 1);
  expect_value("features", "global_data", true);
  for (std::size_t i = 0; i < bpfxx::sys::kFeatureCount; i++) {
    const auto f = static_cast<bpfxx::sys::Feature>(i);
    expect_value("features", bpfxx::sys::feature_name(f), bpfxx::sys::has_feature(f));
  }
#if defined(__x86_64__)
  ASSERT_NE(top->at("syscall_prefix").string(), nullptr);
  EXPECT_EQ(*top->at("syscall_prefix").string(), "__x64_");
#endif
}

TEST_F(BpfxxTool, FeatureProbeJson) {
  BPFXX_REQUIRE_ROOT();
  ToolRun r = run_tool({"feature", "probe", "-j"});
  check_probe_json(r);
  EXPECT_EQ(r.out.find("\n  "), std::string::npos) << "-j output should be compact";
}

TEST_F(BpfxxTool, FeatureProbeKernelPrettyJsonWithGlobalOptionFirst) {
  BPFXX_REQUIRE_ROOT();
  ToolRun r = run_tool({"-p", "feature", "probe", "kernel"});
  check_probe_json(r);
  EXPECT_NE(r.out.find("\n  \"kernel\": {"), std::string::npos) << "-p output should be indented";
}

TEST_F(BpfxxTool, UnknownObjectIsAUsageError) {
  ToolRun r = run_tool({"frobnicate"});
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("unknown object 'frobnicate'"), std::string::npos) << r.err;
  EXPECT_TRUE(r.out.empty());
}

TEST_F(BpfxxTool, UnknownCommandsAndOptionsAreUsageErrors) {
  ToolRun r = run_tool({"feature", "list"});
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("unknown command 'list'"), std::string::npos) << r.err;

  r = run_tool({"feature", "probe", "dev", "eth0"});
  EXPECT_EQ(r.status, 2);

  r = run_tool({"--frobnicate", "feature", "probe"});
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("unknown option '--frobnicate'"), std::string::npos) << r.err;

  r = run_tool({});
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("Usage:"), std::string::npos);
}

TEST_F(BpfxxTool, HelpAndVersion) {
  ToolRun r = run_tool({"--help"});
  EXPECT_EQ(r.status, 0);
  EXPECT_NE(r.out.find("Usage: bpfxx"), std::string::npos);
  EXPECT_NE(r.out.find("feature probe"), std::string::npos);

  r = run_tool({"-V"});
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(r.out.rfind("bpfxx v", 0), 0u) << r.out;
}

}  // namespace
