// janus/tensor/matmul.hpp: matrix products through BLAS, with their gradients as two more BLAS calls.
#pragma once

#include <algorithm>
#include <cstddef>
#include <utility>

#include "janus/tensor/basic_tensor.hpp"
#include "janus/tensor/blas.hpp"

namespace janus {

namespace detail {

[[noreturn]] inline void throw_inner(const shape_type& a, const shape_type& b) {
  throw_shape("matmul", "inner sizes differ: " + to_string(a) + " and " + to_string(b));
}

/// The sizes of a (batched) product: `batch` products of (m,k) by (k,n);
/// an operand with batch stride 0 is shared by every product.
struct product_sizes {
  std::size_t batch, m, k, n, stride_a, stride_b;
};

template <class T>
void matrix_vector_backward(tensor_node<T>& node) {
  // y(m) = A(m,k) x(k)
  tensor_impl<T>& a = node.input(0);
  tensor_impl<T>& x = node.input(1);
  const std::size_t m = a.shape[0];
  const std::size_t k = a.shape[1];
  const T* g = node.output->gradient;
  if (node.wants(0)) ger<T>(m, k, T(1), g, x.values, zeroed_gradient_of(a));
  if (node.wants(1)) {
    const gradient_slot<T> slot = gradient_of(x);
    gemv<T>(true, m, k, T(1), a.values, g, slot.accumulate ? T(1) : T(0), slot.data);
  }
}

template <class T>
void vector_matrix_backward(tensor_node<T>& node) {
  // y(n) = x(k) B(k,n)
  tensor_impl<T>& x = node.input(0);
  tensor_impl<T>& b = node.input(1);
  const std::size_t k = b.shape[0];
  const std::size_t n = b.shape[1];
  const T* g = node.output->gradient;
  if (node.wants(0)) {
    const gradient_slot<T> slot = gradient_of(x);
    gemv<T>(false, k, n, T(1), b.values, g, slot.accumulate ? T(1) : T(0), slot.data);
  }
  if (node.wants(1)) ger<T>(k, n, T(1), x.values, g, zeroed_gradient_of(b));
}

template <class T>
void product_backward(tensor_node<T>& node, const product_sizes& s) {
  tensor_impl<T>& a = node.input(0);
  tensor_impl<T>& b = node.input(1);
  const T* g = node.output->gradient;
  if (s.m == 0 || s.n == 0 || s.k == 0) {
    if (node.wants(0)) zeroed_gradient_of(a);
    if (node.wants(1)) zeroed_gradient_of(b);
    return;
  }
  if (node.wants(0)) {  // dA = G B^T
    const gradient_slot<T> slot = gradient_of(a);
    for (std::size_t i = 0; i < s.batch; ++i) {
      const bool add = slot.accumulate || (s.stride_a == 0 && i > 0);
      gemm<T>(false, true, s.m, s.k, s.n, T(1), g + i * s.m * s.n, b.values + i * s.stride_b, add ? T(1) : T(0),
              slot.data + i * s.stride_a);
    }
  }
  if (node.wants(1)) {  // dB = A^T G
    const gradient_slot<T> slot = gradient_of(b);
    for (std::size_t i = 0; i < s.batch; ++i) {
      const bool add = slot.accumulate || (s.stride_b == 0 && i > 0);
      gemm<T>(true, false, s.k, s.n, s.m, T(1), a.values + i * s.stride_a, g + i * s.m * s.n, add ? T(1) : T(0),
              slot.data + i * s.stride_b);
    }
  }
}

}  // namespace detail

/// Matrix product: (m,k)x(k,n) -> (m,n); (m,k)x(k) -> (m); (k)x(k,n) -> (n);
/// batched (b,m,k)x(b,k,n) -> (b,m,n), where either side may also be a
/// single matrix shared by the whole batch.
template <class T>
basic_tensor<T> matmul(const basic_tensor<T>& a, const basic_tensor<T>& b) {
  const detail::tensor_impl<T>& ia = a.impl();
  const detail::tensor_impl<T>& ib = b.impl();
  const shape_type& sa = ia.shape;
  const shape_type& sb = ib.shape;
  detail::check_blas_sizes("matmul", sa, sb);
  const bool record = detail::should_record<T>(a.handle(), b.handle());
  auto& tape = detail::this_thread_tensor_tape<T>();

  if (sa.size() == 2 && sb.size() == 1) {
    if (sa[1] != sb[0]) detail::throw_inner(sa, sb);
    detail::impl_ref<T> out = detail::new_impl<T>("matmul", {sa[0]});
    detail::gemv<T>(false, sa[0], sa[1], T(1), ia.values, ib.values, T(0), out->values);
    if (record) tape.record("matmul", out, [](detail::tensor_node<T>& node) { detail::matrix_vector_backward(node); },
                            a.handle(), b.handle());
    return basic_tensor<T>(std::move(out));
  }
  if (sa.size() == 1 && sb.size() == 2) {
    if (sa[0] != sb[0]) detail::throw_inner(sa, sb);
    detail::impl_ref<T> out = detail::new_impl<T>("matmul", {sb[1]});
    detail::gemv<T>(true, sb[0], sb[1], T(1), ib.values, ia.values, T(0), out->values);
    if (record) tape.record("matmul", out, [](detail::tensor_node<T>& node) { detail::vector_matrix_backward(node); },
                            a.handle(), b.handle());
    return basic_tensor<T>(std::move(out));
  }
  const bool ranks_ok = (sa.size() == 2 || sa.size() == 3) && (sb.size() == 2 || sb.size() == 3);
  if (!ranks_ok) {
    detail::throw_shape("matmul", "unsupported ranks: " + to_string(sa) + " and " + to_string(sb) +
                                      " (expected matrices, a matrix and a vector, or batches of matrices)");
  }
  const std::size_t m = sa[sa.size() - 2];
  const std::size_t k = sa[sa.size() - 1];
  const std::size_t n = sb[sb.size() - 1];
  if (sb[sb.size() - 2] != k) detail::throw_inner(sa, sb);
  const std::size_t batch_a = sa.size() == 3 ? sa[0] : 1;
  const std::size_t batch_b = sb.size() == 3 ? sb[0] : 1;
  if (sa.size() == 3 && sb.size() == 3 && batch_a != batch_b) {
    detail::throw_shape("matmul", "batch sizes differ: " + to_string(sa) + " and " + to_string(sb));
  }
  const detail::product_sizes sizes{std::max(batch_a, batch_b), m, k, n, sa.size() == 3 ? m * k : 0,
                                    sb.size() == 3 ? k * n : 0};
  detail::impl_ref<T> out = (sa.size() == 2 && sb.size() == 2)
                                ? detail::new_impl<T>("matmul", {m, n})
                                : detail::new_impl<T>("matmul", {sizes.batch, m, n});
  if (k == 0) std::fill_n(out->values, out->count, T(0));
  if (m != 0 && n != 0 && k != 0) {
    for (std::size_t i = 0; i < sizes.batch; ++i) {
      detail::gemm<T>(false, false, m, n, k, T(1), ia.values + i * sizes.stride_a, ib.values + i * sizes.stride_b,
                      T(0), out->values + i * m * n);
    }
  }
  if (record) {
    tape.record("matmul", out, [sizes](detail::tensor_node<T>& node) { detail::product_backward(node, sizes); },
                a.handle(), b.handle());
  }
  return basic_tensor<T>(std::move(out));
}

}  // namespace janus
