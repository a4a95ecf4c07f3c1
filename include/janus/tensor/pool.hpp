// janus/tensor/pool.hpp: recycled memory blocks for tensor values and gradients.
//
// Every buffer of the tensor tape comes from here and returns here, so a
// training step that repeats the shapes of the previous one finds all its
// memory waiting and allocates nothing. One pool per thread and element type.
#pragma once

#include <array>
#include <bit>
#include <cstddef>
#include <new>
#include <vector>

#include "janus/tensor/shape.hpp"

namespace janus::detail {

template <class T>
class block_pool {
 public:
  /// Blocks are cache-line aligned, which the vector units like.
  static constexpr std::align_val_t alignment{64};
  /// Larger blocks (data sets) are allocated exactly and never kept.
  static constexpr std::size_t largest_pooled = std::size_t{1} << 24;

  block_pool() = default;
  block_pool(const block_pool&) = delete;
  block_pool& operator=(const block_pool&) = delete;
  ~block_pool() {
    destroyed() = true;
    for (std::size_t size_class = 0; size_class < free_.size(); ++size_class) {
      for (T* block : free_[size_class]) free_block(block);
    }
  }

  /// An uninitialised block of at least `count` elements (nullptr for none).
  static T* acquire(std::size_t count) {
    if (count == 0) return nullptr;
    if (count > largest_pooled || destroyed()) return allocate_block(count);
    auto& blocks = local().free_[size_class(count)];
    if (blocks.empty()) return allocate_block(std::bit_ceil(count));
    T* block = blocks.back();
    blocks.pop_back();
    return block;
  }

  /// Gives back a block obtained from acquire(count).
  static void release(T* block, std::size_t count) {
    if (block == nullptr) return;
    if (count > largest_pooled || destroyed()) return free_block(block);
    local().free_[size_class(count)].push_back(block);
  }

 private:
  static block_pool& local() {
    thread_local block_pool pool;
    return pool;
  }
  // Trivially destructible, so still readable while the thread's objects are
  // being destroyed: a tensor that outlives the pool frees its block directly.
  static bool& destroyed() {
    thread_local bool flag = false;
    return flag;
  }
  static std::size_t size_class(std::size_t count) { return std::bit_width(count - 1); }
  static T* allocate_block(std::size_t count) {
    // Tensors check their shapes before they ask (shape.hpp); this keeps the
    // byte count from wrapping whoever asks, a saved block included.
    if (count > max_elements<T>) throw std::bad_array_new_length();
    return static_cast<T*>(::operator new(count * sizeof(T), alignment));
  }
  static void free_block(T* block) { ::operator delete(block, alignment); }

  std::array<std::vector<T*>, 64> free_{};
};

/// A block from the pool owned by one object (a backward step's saved data);
/// it goes back to the pool when the owner goes.
template <class U>
class pooled_block {
 public:
  explicit pooled_block(std::size_t count) : count_(count), data_(block_pool<U>::acquire(count)) {}
  pooled_block(pooled_block&& other) noexcept : count_(other.count_), data_(other.data_) { other.data_ = nullptr; }
  pooled_block(const pooled_block&) = delete;
  pooled_block& operator=(const pooled_block&) = delete;
  pooled_block& operator=(pooled_block&&) = delete;
  ~pooled_block() { block_pool<U>::release(data_, count_); }
  U* data() const { return data_; }
  std::size_t size() const { return count_; }

 private:
  std::size_t count_;
  U* data_;
};

}  // namespace janus::detail
