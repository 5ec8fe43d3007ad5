// Reading a program's BPF stream (BPF_STDOUT / BPF_STDERR) to the end, for
// `bpfxx prog stream`. Kept apart from the command so tests can drive it
// through a fake kernel.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string_view>

namespace bpfxx::tool {

// Receives each chunk read; returning false stops the read (e.g. the
// output could not be written).
using StreamSink = std::function<bool(std::string_view chunk)>;

// Reads the stream with bpf_prog_stream_read() into a buffer of chunk_size
// bytes until the kernel returns 0 (the stream is empty), handing every
// chunk to sink. Returns the number of bytes read, or -errno on the first
// failure (bytes read before it were already handed to sink); -ECANCELED
// when sink stopped the read.
long drain_prog_stream(int prog_fd, uint32_t stream_id, size_t chunk_size, const StreamSink& sink);

}  // namespace bpfxx::tool
