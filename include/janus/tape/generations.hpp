// janus/tape/generations.hpp: the numbers that tell one recording of a
// scalar tape from every other, on this thread and on all the others.
//
// A tape starts a new generation whenever it forgets everything (a reset,
// or a rewind to its start). A leaf takes the tape's current generation, and
// the result of an operation its operands' one, or 0 ("mixed") when they
// differ. A value whose generation is not its tape's current one is stale,
// belongs to another thread, or was computed from such a value: one
// comparison tells, where an index alone would silently name another value.
// Generations are unique across tapes: each tape takes blocks of them from
// one shared counter, so handing one out costs no atomic operation, and it
// remembers its recent blocks to say which of the mistakes it was.
#pragma once

#include <algorithm>
#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>

namespace janus::tape {

/// Which recording of which tape a value belongs to; 0 for constants, and
/// for a recorded value computed from values of different recordings.
using generation_type = std::uint32_t;

namespace detail {

/// The generation of a statement whose two recorded operands have these.
[[gnu::always_inline]] inline generation_type joined(generation_type first, generation_type second) {
  return first == second ? first : 0;
}

class generation_counter {
 public:
  generation_counter() noexcept { advance(); }
  generation_counter(const generation_counter&) = delete;
  generation_counter& operator=(const generation_counter&) = delete;

  generation_type current() const noexcept { return static_cast<generation_type>(current_); }

  /// Moves on to a generation no tape has had.
  void advance() noexcept {
    if (left_in_block_ == 0) take_block();
    current_ = next_++;
    --left_in_block_;
  }

  /// Whether `generation` is one this counter handed out before the current
  /// (as far back as the blocks it remembers: millions of generations).
  bool earlier(generation_type generation) const noexcept {
    if (generation == 0 || generation == current_) return false;
    const std::size_t remembered = std::min(blocks_taken_, recent_blocks_.size());
    return std::any_of(recent_blocks_.begin(), recent_blocks_.begin() + static_cast<std::ptrdiff_t>(remembered),
                       [&](generation_type first) { return generation - first < block_size; });
  }

 private:
  // Large enough that taking a block is rare; the shared counter wraps after
  // 2^32 / block_size blocks, and then only an ancient stale var could
  // share a generation with a live one.
  static constexpr generation_type block_size = generation_type{1} << 16;
  static inline std::atomic<generation_type> next_block_{0};

  void take_block() noexcept {
    const generation_type first = next_block_.fetch_add(block_size, std::memory_order_relaxed);
    // 0 marks constants and is never handed out.
    next_ = first == 0 ? 1 : first;
    left_in_block_ = first == 0 ? block_size - 1 : block_size;
    recent_blocks_[blocks_taken_++ % recent_blocks_.size()] = first;
  }

  // Wider than a generation on purpose: stores into the tape's arrays of
  // 32-bit indices could alias a 32-bit member, and the compiler would then
  // reload it after each of them.
  std::uint64_t current_ = 0;
  generation_type next_ = 0;
  generation_type left_in_block_ = 0;
  // The first generation of the blocks taken last, for `earlier` only: a
  // fixed array, so that moving on never allocates (it runs in destructors).
  std::array<generation_type, 64> recent_blocks_{};
  std::size_t blocks_taken_ = 0;
};

}  // namespace detail

}  // namespace janus::tape
