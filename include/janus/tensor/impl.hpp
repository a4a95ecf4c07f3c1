// janus/tensor/impl.hpp: the object a tensor handle points to, and its recycling.
//
// Handles count references without atomics: a tensor belongs to one thread at
// a time, like the tape that records it. Released objects go back to a
// per-thread free list with their shape's capacity, so recreating a tensor of
// a known rank allocates nothing.
#pragma once

#include <algorithm>
#include <cstddef>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "janus/tensor/pool.hpp"
#include "janus/tensor/shape.hpp"

namespace janus::detail {

template <class T>
struct tensor_node;

template <class T>
struct tensor_impl {
  std::size_t references = 0;
  shape_type shape;
  std::size_t count = 0;            // elements, the product of shape
  T* values = nullptr;              // row-major, `count` elements
  bool owns_values = true;          // false for a view into `base`'s block
  tensor_impl* base = nullptr;      // a view keeps its storage's owner alive
  T* gradient = nullptr;            // `count` elements once a gradient exists
  bool requires_grad = false;
  bool leaf = true;                 // made by the user, not by a recorded operation
  tensor_node<T>* producer = nullptr;  // the recorded operation, while its graph lives
  std::string label;
};

template <class T>
class impl_pool {
 public:
  /// Shapes keep room for this rank, so recycled objects rarely reallocate.
  static constexpr std::size_t reserved_rank = 6;

  impl_pool() = default;
  impl_pool(const impl_pool&) = delete;
  impl_pool& operator=(const impl_pool&) = delete;
  ~impl_pool() {
    destroyed() = true;
    for (tensor_impl<T>* impl : free_) delete impl;
  }

  static tensor_impl<T>* acquire() {
    if (!destroyed()) {
      auto& free = local().free_;
      if (!free.empty()) {
        tensor_impl<T>* impl = free.back();
        free.pop_back();
        return impl;
      }
    }
    auto* impl = new tensor_impl<T>();
    impl->shape.reserve(reserved_rank);
    return impl;
  }

  static void release(tensor_impl<T>* impl) {
    while (impl != nullptr) {
      if (impl->owns_values) block_pool<T>::release(impl->values, impl->count);
      block_pool<T>::release(impl->gradient, impl->count);
      tensor_impl<T>* base = impl->base;
      impl->shape.clear();
      impl->count = 0;
      impl->values = nullptr;
      impl->owns_values = true;
      impl->base = nullptr;
      impl->gradient = nullptr;
      impl->requires_grad = false;
      impl->leaf = true;
      impl->producer = nullptr;
      impl->label.clear();
      if (destroyed()) {
        delete impl;
      } else {
        local().free_.push_back(impl);
      }
      // A chain of views is released without recursion.
      impl = (base != nullptr && --base->references == 0) ? base : nullptr;
    }
  }

 private:
  static impl_pool& local() {
    thread_local impl_pool pool;
    return pool;
  }
  static bool& destroyed() {
    thread_local bool flag = false;
    return flag;
  }

  std::vector<tensor_impl<T>*> free_;
};

/// An owning, reference-counted pointer to a tensor_impl.
template <class T>
class impl_ref {
 public:
  impl_ref() = default;
  explicit impl_ref(tensor_impl<T>* impl) : impl_(impl) {
    if (impl_ != nullptr) ++impl_->references;
  }
  impl_ref(const impl_ref& other) : impl_ref(other.impl_) {}
  impl_ref(impl_ref&& other) noexcept : impl_(std::exchange(other.impl_, nullptr)) {}
  impl_ref& operator=(impl_ref other) noexcept {
    std::swap(impl_, other.impl_);
    return *this;
  }
  ~impl_ref() { reset(); }

  void reset() {
    if (impl_ != nullptr && --impl_->references == 0) impl_pool<T>::release(impl_);
    impl_ = nullptr;
  }
  tensor_impl<T>* get() const { return impl_; }
  tensor_impl<T>* operator->() const { return impl_; }
  tensor_impl<T>& operator*() const { return *impl_; }
  explicit operator bool() const { return impl_ != nullptr; }

 private:
  tensor_impl<T>* impl_ = nullptr;
};

/// A fresh tensor object whose shape the caller writes before allocate_values().
template <class T>
impl_ref<T> new_unshaped_impl() {
  return impl_ref<T>(impl_pool<T>::acquire());
}

/// Gives an object its uninitialised values, sized by its shape; shape_error,
/// naming `op`, when the shape is too large (shape.hpp).
template <class T>
void allocate_values(std::string_view op, tensor_impl<T>& impl) {
  impl.count = checked_numel<T>(op, impl.shape);
  impl.values = block_pool<T>::acquire(impl.count);
}

/// A fresh tensor object with the given shape and uninitialised values;
/// shape_error, naming `op`, when the shape is too large (shape.hpp).
template <class T>
impl_ref<T> new_impl(std::string_view op, const shape_type& shape) {
  impl_ref<T> impl(impl_pool<T>::acquire());
  impl->shape.assign(shape.begin(), shape.end());
  allocate_values(op, *impl);
  return impl;
}

template <class T>
impl_ref<T> new_impl(std::string_view op, std::initializer_list<std::size_t> shape) {
  impl_ref<T> impl(impl_pool<T>::acquire());
  impl->shape.assign(shape.begin(), shape.end());
  allocate_values(op, *impl);
  return impl;
}

/// A tensor object whose values are `base`'s, seen with another shape.
template <class T>
impl_ref<T> new_view(const impl_ref<T>& base, T* values, std::size_t count) {
  impl_ref<T> impl(impl_pool<T>::acquire());
  impl->count = count;
  impl->values = values;
  impl->owns_values = false;
  tensor_impl<T>* owner = base->owns_values ? base.get() : base->base;
  ++owner->references;
  impl->base = owner;
  return impl;
}

/// True when gradients flow into this tensor: a leaf that requires them, or
/// the result of an operation whose graph is still recorded. An intermediate
/// result kept after its graph was released acts as a constant.
template <class T>
bool tracks_gradient(const tensor_impl<T>& impl) {
  return impl.requires_grad && (impl.leaf || impl.producer != nullptr);
}

/// Where a backward step writes an input's gradient. `accumulate` is false
/// when the block is new: the first contribution is stored, not added to zero.
template <class T>
struct gradient_slot {
  T* data;
  bool accumulate;
};

template <class T>
gradient_slot<T> gradient_of(tensor_impl<T>& impl) {
  if (impl.gradient != nullptr) return {impl.gradient, true};
  impl.gradient = block_pool<T>::acquire(impl.count);
  return {impl.gradient, false};
}

/// The gradient block, zeroed if new: for steps that scatter or sum into it.
template <class T>
T* zeroed_gradient_of(tensor_impl<T>& impl) {
  const gradient_slot<T> slot = gradient_of(impl);
  if (!slot.accumulate) std::fill_n(slot.data, impl.count, T(0));
  return slot.data;
}

}  // namespace janus::detail
