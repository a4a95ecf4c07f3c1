// janus/static/indices.hpp: `janus::indices(begin, end)`, the half-open range
// of indices that `janus::sum` runs over, and what janus::sum asks of a range.
//
// A small range of its own rather than std::views::iota: <ranges> alone
// costs every program that includes janus.hpp about a fifth of a second.
#pragma once

#include <array>  // std::begin and std::end
#include <cstddef>
#include <utility>

namespace janus {

/// The indices `begin`, `begin + 1`, ..., `end - 1`, in a range-for loop or
/// `janus::sum`.
class index_range {
 public:
  class iterator {
   public:
    using value_type = std::size_t;
    using difference_type = std::ptrdiff_t;

    constexpr iterator() = default;
    constexpr explicit iterator(std::size_t index) : index_(index) {}
    constexpr std::size_t operator*() const { return index_; }
    constexpr iterator& operator++() {
      ++index_;
      return *this;
    }
    constexpr iterator operator++(int) {
      iterator before = *this;
      ++index_;
      return before;
    }
    friend constexpr bool operator==(iterator, iterator) = default;

   private:
    std::size_t index_ = 0;
  };

  constexpr index_range(std::size_t begin, std::size_t end) : begin_(begin), end_(end < begin ? begin : end) {}
  constexpr iterator begin() const { return iterator(begin_); }
  constexpr iterator end() const { return iterator(end_); }
  constexpr std::size_t size() const { return end_ - begin_; }
  constexpr bool empty() const { return begin_ == end_; }

 private:
  std::size_t begin_;
  std::size_t end_;
};

/// The indices `begin`, `begin + 1`, ..., `end - 1` (none when end <= begin),
/// for `janus::sum(janus::indices(0, n), [&](std::size_t i) { ... })`.
constexpr index_range indices(std::size_t begin, std::size_t end) { return {begin, end}; }

namespace detail {

/// What a range-for loop can walk: an index range, a container, an array.
template <class Range>
concept iterable = requires(Range& range) {
  std::begin(range) != std::end(range);
  *std::begin(range);
};

/// What walking `Range` gives.
template <class Range>
using element_of = decltype(*std::begin(std::declval<Range&>()));

}  // namespace detail

}  // namespace janus
