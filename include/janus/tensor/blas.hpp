// janus/tensor/blas.hpp: the CBLAS calls of the tensor engine, for float and double alike.
//
// Every matrix product of the engine goes through these (row-major). BLAS
// threading is left as the environment sets it.
#pragma once

#include <cblas.h>

#include <algorithm>
#include <cstddef>
#include <limits>
#include <string>
#include <string_view>
#include <type_traits>

#include "janus/tensor/shape.hpp"

namespace janus::detail {

inline blasint blas_int(std::size_t n) { return static_cast<blasint>(n); }

/// shape_error, naming `op` and both shapes, unless the matrix axes (the last
/// two, or a vector's one) of both operands fit the integers BLAS takes:
/// every size and row stride passed to BLAS is one of them.
inline void check_blas_sizes(std::string_view op, const shape_type& a, const shape_type& b) {
  constexpr auto largest = static_cast<std::size_t>(std::numeric_limits<blasint>::max());
  const auto fits = [&](const shape_type& shape) {
    const std::size_t matrix_axes = std::min<std::size_t>(shape.size(), 2);
    return std::all_of(shape.end() - static_cast<std::ptrdiff_t>(matrix_axes), shape.end(),
                       [&](std::size_t size) { return size <= largest; });
  };
  if (!fits(a) || !fits(b)) {
    throw_shape(op, "a matrix size of " + to_string(a) + " or " + to_string(b) + " exceeds " +
                        std::to_string(largest) + ", the largest BLAS can index");
  }
}

/// C(m,n) = alpha * op(A) op(B) + beta * C, op(A) is (m,k), op(B) is (k,n).
template <class T>
void gemm(bool transpose_a, bool transpose_b, std::size_t m, std::size_t n, std::size_t k, T alpha, const T* a,
          const T* b, T beta, T* c) {
  const auto ta = transpose_a ? CblasTrans : CblasNoTrans;
  const auto tb = transpose_b ? CblasTrans : CblasNoTrans;
  const blasint lda = blas_int(transpose_a ? m : k);
  const blasint ldb = blas_int(transpose_b ? k : n);
  if constexpr (std::is_same_v<T, float>) {
    cblas_sgemm(CblasRowMajor, ta, tb, blas_int(m), blas_int(n), blas_int(k), alpha, a, lda, b, ldb, beta, c,
                blas_int(n));
  } else {
    static_assert(std::is_same_v<T, double>, "janus tensors hold float or double");
    cblas_dgemm(CblasRowMajor, ta, tb, blas_int(m), blas_int(n), blas_int(k), alpha, a, lda, b, ldb, beta, c,
                blas_int(n));
  }
}

/// y = alpha * op(A) x + beta * y, with A stored (rows, cols).
template <class T>
void gemv(bool transpose_a, std::size_t rows, std::size_t cols, T alpha, const T* a, const T* x, T beta, T* y) {
  const auto ta = transpose_a ? CblasTrans : CblasNoTrans;
  if constexpr (std::is_same_v<T, float>) {
    cblas_sgemv(CblasRowMajor, ta, blas_int(rows), blas_int(cols), alpha, a, blas_int(cols), x, 1, beta, y, 1);
  } else {
    cblas_dgemv(CblasRowMajor, ta, blas_int(rows), blas_int(cols), alpha, a, blas_int(cols), x, 1, beta, y, 1);
  }
}

/// A(rows, cols) += alpha * x y^T.
template <class T>
void ger(std::size_t rows, std::size_t cols, T alpha, const T* x, const T* y, T* a) {
  if constexpr (std::is_same_v<T, float>) {
    cblas_sger(CblasRowMajor, blas_int(rows), blas_int(cols), alpha, x, 1, y, 1, a, blas_int(cols));
  } else {
    cblas_dger(CblasRowMajor, blas_int(rows), blas_int(cols), alpha, x, 1, y, 1, a, blas_int(cols));
  }
}

}  // namespace janus::detail
