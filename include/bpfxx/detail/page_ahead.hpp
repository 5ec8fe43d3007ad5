// Prefetching across page boundaries while walking a ring's records.
#pragma once

#include <cstdint>

namespace bpfxx::detail {

// Hardware prefetchers follow a stream of loads only within one page, so a
// walk over a backlog larger than the cache stalls at every new page: a
// TLB walk, then the page's first line. When a walk from `prev` to `pos`
// enters a new page, this asks for a line two pages ahead (of the ring of
// mask + 1 bytes at data), so that page's translation and first line are
// ready when the walk gets there. The granule is the smallest page size;
// on larger pages the hint just comes more often than needed.
inline void prefetch_pages_ahead(const uint8_t* data, uint64_t mask, uint64_t prev, uint64_t pos) noexcept {
  constexpr uint64_t kPage = 4096;
  constexpr uint64_t kAhead = 2 * kPage;
  if (((prev ^ pos) & ~(kPage - 1)) != 0) __builtin_prefetch(data + (((pos & ~(kPage - 1)) + kAhead) & mask));
}

}  // namespace bpfxx::detail
