// janus/tape/growing_array.hpp: storage for the tape, an array of trivially
// copyable values that grows geometrically and never shrinks.
//
// The tape keeps its own counts (several arrays share one), so this holds
// only the memory. Because it never shrinks, a computation recorded a second
// time with the same shape finds all the room it needs and allocates nothing.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <memory>
#include <type_traits>

namespace janus::tape::detail {

template <class T>
  requires std::is_trivially_copyable_v<T>
class growing_array {
 public:
  T* data() noexcept { return data_.get(); }
  const T* data() const noexcept { return data_.get(); }
  std::size_t capacity() const noexcept { return capacity_; }

  /// Makes room for at least `needed` elements, keeping the first `kept`.
  void grow(std::size_t needed, std::size_t kept) {
    if (needed <= capacity_) return;
    const std::size_t new_capacity = std::max({needed, capacity_ * 2, std::size_t{64}});
    auto fresh = std::make_unique_for_overwrite<T[]>(new_capacity);
    if (kept != 0) std::memcpy(fresh.get(), data_.get(), kept * sizeof(T));
    data_ = std::move(fresh);
    capacity_ = new_capacity;
  }

 private:
  std::unique_ptr<T[]> data_;
  std::size_t capacity_ = 0;
};

}  // namespace janus::tape::detail
