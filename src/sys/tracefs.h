// The kernel's tracing file system and the perf PMUs of dynamic probes:
// where tracefs is (mounting it when nothing provides it), tracepoint ids,
// PMU types and config bits, and the legacy kprobe_events/uprobe_events
// control files.
#pragma once

#include <bpfxx/result.hpp>

#include <string>
#include <string_view>

namespace bpfxx::sys {

// The tracefs root ("/sys/kernel/tracing" or "/sys/kernel/debug/tracing").
// When neither is mounted, tracefs is mounted at /sys/kernel/tracing (and
// left mounted, as a system would have it). Found once per process.
Result<std::string> tracefs_root();

// The id of tracepoint <category>/<name> (events/<category>/<name>/id).
Result<int> tracepoint_id(std::string_view category, std::string_view name);

// The perf event type of a dynamic PMU ("kprobe", "uprobe") from
// /sys/bus/event_source/devices/<pmu>/type; ENOENT when the kernel has none.
Result<int> pmu_type(std::string_view pmu);

// The bit of perf_event_attr.config that turns a probe of that PMU into a
// return probe (format/retprobe reads "config:<bit>").
Result<int> pmu_retprobe_bit(std::string_view pmu);

// Appends one command line to a tracefs control file ("kprobe_events",
// "uprobe_events"), as `echo line >> file` would.
Result<void> tracefs_append(std::string_view file, std::string_view line);

// Whether tracefs_root()/<file> exists (a kernel feature's control file).
bool tracefs_has(std::string_view file);

}  // namespace bpfxx::sys
