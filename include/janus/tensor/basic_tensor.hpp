// janus/tensor/basic_tensor.hpp: janus::basic_tensor, a shared handle to an n-dimensional array on the tape.
#pragma once

#include <algorithm>
#include <cstddef>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "janus/error.hpp"
#include "janus/tensor/impl.hpp"
#include "janus/tensor/shape.hpp"
#include "janus/tensor/tape.hpp"

namespace janus {

/// A row-major array of T with a shape, an optional gradient and a place in
/// the recorded graph. Copies share storage and gradient, like torch.Tensor.
/// Operations on tensors that require gradients are recorded on this
/// thread's tape (unless a `no_grad` guard is alive); backward() sweeps it.
template <class T>
class basic_tensor {
 public:
  using value_type = T;

  /// An empty handle; most operations reject it.
  basic_tensor() = default;

  /// A tensor holding `values` (row-major); shape_error if their count differs from the shape's.
  basic_tensor(shape_type shape, std::vector<T> values, bool requires_grad = false) {
    const std::size_t count = detail::checked_numel<T>("tensor", shape);
    if (count != values.size()) {
      detail::throw_shape("tensor", "shape " + to_string(shape) + " holds " + std::to_string(count) +
                                        " elements, but " + std::to_string(values.size()) + " values were given");
    }
    impl_ = detail::new_impl<T>("tensor", shape);
    std::copy(values.begin(), values.end(), impl_->values);
    requires_grad_(requires_grad);
  }

  /// Wraps an engine object; used by the operations.
  explicit basic_tensor(detail::impl_ref<T> impl) : impl_(std::move(impl)) {}

  static basic_tensor full(const shape_type& shape, T value, bool requires_grad = false) {
    basic_tensor t(detail::new_impl<T>("tensor", shape));
    std::fill_n(t.impl_->values, t.impl_->count, value);
    t.requires_grad_(requires_grad);
    return t;
  }
  static basic_tensor zeros(const shape_type& shape, bool requires_grad = false) {
    return full(shape, T(0), requires_grad);
  }
  static basic_tensor ones(const shape_type& shape, bool requires_grad = false) {
    return full(shape, T(1), requires_grad);
  }
  /// 0, 1, ..., n-1 as a tensor of shape (n).
  static basic_tensor arange(std::size_t n) {
    basic_tensor t(detail::new_impl<T>("arange", {n}));
    for (std::size_t i = 0; i < t.impl_->count; ++i) t.impl_->values[i] = static_cast<T>(i);
    return t;
  }
  /// Values drawn uniformly from [low, high) with a seeded generator.
  template <class Gen>
  static basic_tensor uniform(const shape_type& shape, T low, T high, Gen& gen, bool requires_grad = false) {
    if (!(low < high)) detail::throw_shape("uniform", "low must be below high");
    basic_tensor t(detail::new_impl<T>("tensor", shape));
    std::uniform_real_distribution<T> distribution(low, high);
    std::generate_n(t.impl_->values, t.impl_->count, [&] { return distribution(gen); });
    t.requires_grad_(requires_grad);
    return t;
  }
  /// Values drawn from a normal distribution with a seeded generator.
  template <class Gen>
  static basic_tensor normal(const shape_type& shape, T mean, T stddev, Gen& gen, bool requires_grad = false) {
    if (!(stddev > T(0))) detail::throw_shape("normal", "stddev must be positive");
    basic_tensor t(detail::new_impl<T>("tensor", shape));
    std::normal_distribution<T> distribution(mean, stddev);
    std::generate_n(t.impl_->values, t.impl_->count, [&] { return distribution(gen); });
    t.requires_grad_(requires_grad);
    return t;
  }

  bool defined() const { return static_cast<bool>(impl_); }
  const shape_type& shape() const { return defined() ? impl_->shape : empty_shape(); }
  std::size_t dim() const { return shape().size(); }
  std::size_t numel() const { return defined() ? impl_->count : 0; }
  /// Contiguous row-major values; writing them changes every handle sharing them.
  T* data() { return defined() ? impl_->values : nullptr; }
  const T* data() const { return defined() ? impl_->values : nullptr; }
  std::vector<T> to_vector() const { return std::vector<T>(data(), data() + numel()); }

  /// The single element; shape_error unless the tensor holds exactly one.
  T item() const {
    if (numel() != 1) {
      detail::throw_shape("item", "tensor of shape " + to_string(shape()) + " holds " + std::to_string(numel()) +
                                      " elements, not one");
    }
    return impl_->values[0];
  }

  bool requires_grad() const { return defined() && impl_->requires_grad; }
  /// Marks a leaf as a parameter (its gradient starts at zero) or stops tracking it.
  basic_tensor& requires_grad_(bool on = true) {
    require_defined("requires_grad_");
    if (!impl_->leaf) throw graph_error("requires_grad_: only a leaf tensor (not the result of an operation) can change it");
    impl_->requires_grad = on;
    if (on && impl_->gradient == nullptr) detail::zeroed_gradient_of(*impl_);
    return *this;
  }

  /// A copy of the accumulated gradient, same shape; zeros before any backward().
  basic_tensor grad() const {
    require_defined("grad");
    basic_tensor g(detail::new_impl<T>("grad", impl_->shape));
    if (impl_->gradient != nullptr) {
      std::copy_n(impl_->gradient, impl_->count, g.impl_->values);
    } else {
      std::fill_n(g.impl_->values, impl_->count, T(0));
    }
    return g;
  }
  /// The gradient storage itself, for optimisers; nullptr unless the tensor
  /// requires a gradient. Const like every handle accessor: handles share it.
  T* grad_data() const { return defined() && impl_->requires_grad ? detail::zeroed_gradient_of(*impl_) : nullptr; }
  void zero_grad() const {
    if (defined() && impl_->gradient != nullptr) std::fill_n(impl_->gradient, impl_->count, T(0));
  }

  /// Gradient of this one-element tensor with respect to every leaf that
  /// requires one; then the thread's recorded graph is released.
  void backward() const {
    require_defined("backward");
    if (impl_->count != 1) {
      detail::throw_shape("backward", "tensor of shape " + to_string(impl_->shape) + " holds " +
                                          std::to_string(impl_->count) +
                                          " elements; backward() without a seed needs exactly one");
    }
    static constexpr T one = T(1);
    run_backward(&one);
  }
  /// Backward with the output's adjoint given: `seed` has this tensor's shape.
  void backward(const basic_tensor& seed) const {
    require_defined("backward");
    if (seed.shape() != impl_->shape) {
      detail::throw_shape("backward", "seed shape " + to_string(seed.shape()) + " differs from the tensor's " +
                                          to_string(impl_->shape));
    }
    run_backward(seed.data());
  }

  /// The same values (shared), cut from the graph: no gradient flows through it.
  basic_tensor detach() const {
    require_defined("detach");
    detail::impl_ref<T> view = detail::new_view(impl_, impl_->values, impl_->count);
    view->shape = impl_->shape;
    return basic_tensor(std::move(view));
  }

  /// A name for to_dot.
  basic_tensor& label(std::string text) {
    require_defined("label");
    impl_->label = std::move(text);
    return *this;
  }
  const std::string& label() const { return defined() ? impl_->label : empty_label(); }

  /// The engine object; for the operations.
  const detail::impl_ref<T>& handle() const { return impl_; }
  detail::tensor_impl<T>& impl() const {
    require_defined("tensor");
    return *impl_;
  }

 private:
  static const shape_type& empty_shape() {
    static const shape_type shape{0};
    return shape;
  }
  static const std::string& empty_label() {
    static const std::string text;
    return text;
  }
  void require_defined(const char* op) const {
    if (!impl_) detail::throw_shape(op, "the tensor is empty (default-constructed)");
  }
  void run_backward(const T* seed) const {
    if (!impl_->requires_grad) {
      throw graph_error("backward: the tensor does not require a gradient (no input of it requires one)");
    }
    if (impl_->leaf) {
      T* gradient = detail::zeroed_gradient_of(*impl_);
      for (std::size_t i = 0; i < impl_->count; ++i) gradient[i] += seed[i];
      return;
    }
    if (impl_->producer == nullptr) {
      throw graph_error("backward: the graph of this tensor was already released (by an earlier backward() or "
                        "release_graph()); record the computation again");
    }
    detail::this_thread_tensor_tape<T>().backward(*impl_, seed);
  }

  detail::impl_ref<T> impl_;
};

using Tensor = basic_tensor<float>;

}  // namespace janus
