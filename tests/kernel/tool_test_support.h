// Shared by the tests that run the bpfxx command as a separate process:
// finding and running the tool, and a small strict JSON reader to check
// (and look into) what it prints.
#pragma once

#include <gtest/gtest.h>

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cctype>
#include <climits>
#include <cstddef>
#include <cstdlib>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace bpfxx::test {

// ---- running the tool -------------------------------------------------------

// <build>/tests/bpfxx_kernel_tests -> <build>/tools/bpfxx/bpfxx
inline std::string tool_path() {
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

inline std::string slurp(int fd) {
  std::string s;
  char buf[4096];
  lseek(fd, 0, SEEK_SET);
  for (ssize_t n; (n = read(fd, buf, sizeof(buf))) > 0;) s.append(buf, static_cast<std::size_t>(n));
  return s;
}

// Runs the tool with args; stdout and stderr go to unlinked temporary files
// (no pipes, so neither can fill up and block the child).
inline ToolRun run_tool(const std::vector<std::string>& args) {
  ToolRun r;
  const std::string tool = tool_path();
  int out_fd = open("/tmp", O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
  int err_fd = open("/tmp", O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
  if (out_fd < 0 || err_fd < 0) {
    if (out_fd >= 0) close(out_fd);
    if (err_fd >= 0) close(err_fd);
    ADD_FAILURE() << "cannot create temporary files";
    return r;
  }
  std::vector<char*> argv{const_cast<char*>(tool.c_str())};
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

// ---- a minimal JSON reader ---------------------------------------------------

struct Json;
using JsonObject = std::map<std::string, Json>;
using JsonArray = std::vector<Json>;
struct Json {
  std::variant<std::nullptr_t, bool, double, std::string, std::shared_ptr<JsonArray>, std::shared_ptr<JsonObject>> v;
  const JsonObject* object() const {
    auto p = std::get_if<std::shared_ptr<JsonObject>>(&v);
    return p != nullptr ? p->get() : nullptr;
  }
  const JsonArray* array() const {
    auto p = std::get_if<std::shared_ptr<JsonArray>>(&v);
    return p != nullptr ? p->get() : nullptr;
  }
  const std::string* string() const { return std::get_if<std::string>(&v); }
  const double* number() const { return std::get_if<double>(&v); }
  const bool* boolean() const { return std::get_if<bool>(&v); }
  bool is_null() const { return std::holds_alternative<std::nullptr_t>(v); }
  // Member lookup that yields null for non-objects and missing keys.
  const Json& operator[](const std::string& k) const {
    static const Json kNull;
    const JsonObject* o = object();
    if (o == nullptr) return kNull;
    auto it = o->find(k);
    return it != o->end() ? it->second : kNull;
  }
  const Json& operator[](std::size_t i) const {
    static const Json kNull;
    const JsonArray* a = array();
    return a != nullptr && i < a->size() ? (*a)[i] : kNull;
  }
  double num(double fallback = -1) const { return number() != nullptr ? *number() : fallback; }
  std::string str() const { return string() != nullptr ? *string() : "<not a string>"; }
};

class JsonParser {
 public:
  explicit JsonParser(std::string text) : s_(std::move(text)) {}

  // The document; ok() is false after any syntax error.
  Json parse() {
    Json j = value();
    ws();
    if (pos_ != s_.size()) fail();
    return j;
  }
  // The same, as "did it parse?".
  bool parse(Json* out) {
    *out = parse();
    return ok_;
  }
  bool ok() const { return ok_; }

 private:
  void fail() {
    ok_ = false;
    pos_ = s_.size();
  }
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
        // A key twice is legal JSON but ambiguous: the tool must not write it.
        if (obj->count(k) != 0) { fail(); return {}; }
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

}  // namespace bpfxx::test
