// The bpfxx command, run as a separate process: `feature probe` as text and
// JSON, and its usage errors.
#include "sys/features.h"
#include "test_support.h"
#include "tool_test_support.h"

#include <bpf/libbpf.h>
#include <gtest/gtest.h>

#include <sys/utsname.h>
#include <unistd.h>

#include <cstddef>
#include <string>
#include <vector>

namespace {

using namespace bpfxx::test;

TEST(JsonParserSelfTest, AcceptsValidAndRejectsBroken) {
  JsonParser good(R"({"a": [1, 2.5, "x\"y\u00e9"], "b": {"c": true, "d": null}})");
  good.parse();
  EXPECT_TRUE(good.ok());
  for (const char* bad : {"{", R"({"a" 1})", R"({"a": tru})", "[1,]", "{\"a\":\"\x01\"}", "{} x", R"({"a": 1, "a": 2})"}) {
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
