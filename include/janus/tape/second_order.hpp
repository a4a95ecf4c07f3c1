// janus/tape/second_order.hpp: second derivatives and Jacobians on the
// scalar tape, for sizes known at run time: janus::tape::hvp,
// janus::tape::hessian and janus::tape::jacobian.
//
// A Hessian-vector product is reverse over forward: f runs on dual numbers
// whose values and tangents are janus::vars, so the tape records f and its
// directional derivative f'(x) v (each rule's tangent is its pullback, as
// for any dual); one backward sweep from that tangent gives its gradient,
// H v. The tape itself is the one of janus::var, on doubles, unchanged.
// Everything recorded for a product is forgotten before the next one, so the
// memory of a Hessian is that of one product: linear in the size of f.
#pragma once

#include <array>
#include <cstddef>
#include <ranges>
#include <stdexcept>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "janus/forward/dual.hpp"
#include "janus/forward/functions.hpp"
#include "janus/tape/functions.hpp"
#include "janus/tape/recording.hpp"
#include "janus/tape/scalar_tape.hpp"
#include "janus/tape/var.hpp"

namespace janus::tape {

namespace detail {

[[noreturn, gnu::cold]] inline void throw_direction_size(std::size_t point, std::size_t direction) {
  throw std::invalid_argument("janus::tape::hvp: the point has " + std::to_string(point) +
                              " elements and the direction " + std::to_string(direction));
}

/// The gradient of `tangent` with respect to `leaves`, swept from `first`
/// (where the leaves begin): 0 where the tangent depends on nothing recorded.
template <class T, class Leaves, class Out>
void gradient_of_tangent(const basic_var<T>& tangent, const Leaves& leaves, index_type first, Out& out) {
  if (!tangent.requires_grad()) {
    for (auto& entry : out) entry = T(0);
    return;
  }
  auto& tape = this_thread_tape<T>();
  tape.check_value("janus::tape::hvp", tangent.generation());
  tape.backward(tangent.index(), first);
  for (std::size_t i = 0; i < std::ranges::size(leaves); ++i) out[i] = leaves[i].grad();
}

template <class T, class R>
basic_var<T> tangent_of_result(const R& result) {
  if constexpr (forward_number<R>) {
    return result.tangent();
  } else {
    static_assert(std::is_arithmetic_v<R>,
                  "janus::tape::hvp(f, ...) requires f to return the number it computes from its arguments");
    return basic_var<T>::constant(T(0));  // f does not depend on its arguments
  }
}

/// H v for f taking N scalars.
template <class F, class T, std::size_t N>
std::array<T, N> hvp_of_scalars(const F& f, const std::array<T, N>& x, const std::array<T, N>& v) {
  const janus::detail::forced_recording recording;
  basic_scope<T> scope;
  const index_type first = mark<T>().statements;
  std::array<basic_var<T>, N> leaves{};
  for (std::size_t i = 0; i < N; ++i) leaves[i] = basic_var<T>(x[i]);
  const auto result = [&]<std::size_t... I>(std::index_sequence<I...>) {
    return f(dual<basic_var<T>>{leaves[I], basic_var<T>::constant(v[I])}...);
  }(std::make_index_sequence<N>{});
  std::array<T, N> product{};
  gradient_of_tangent(tangent_of_result<T>(result), leaves, first, product);
  return product;
}

}  // namespace detail

/// `janus::tape::hvp(f, xs, vs)`: the Hessian of f at xs times vs, for f
/// taking one range (`[](const auto& x) { ... x[i] ... }`) and xs, vs
/// std::vector<double> of one size. f receives a std::vector of
/// janus::dual<janus::var>, values xs and tangents vs.
template <class F, class T>
  requires std::is_floating_point_v<T>
std::vector<T> hvp(const F& f, const std::vector<T>& xs, const std::vector<T>& vs) {
  if (xs.size() != vs.size()) detail::throw_direction_size(xs.size(), vs.size());
  const janus::detail::forced_recording recording;
  basic_scope<T> scope;
  const index_type first = mark<T>().statements;
  std::vector<basic_var<T>> leaves(xs.size());
  for (std::size_t i = 0; i < xs.size(); ++i) leaves[i] = basic_var<T>(xs[i]);
  std::vector<dual<basic_var<T>>> arguments;
  arguments.reserve(xs.size());
  for (std::size_t i = 0; i < xs.size(); ++i) arguments.emplace_back(leaves[i], basic_var<T>::constant(vs[i]));
  const auto result = f(static_cast<const std::vector<dual<basic_var<T>>>&>(arguments));
  std::vector<T> product(xs.size());
  detail::gradient_of_tangent(detail::tangent_of_result<T>(result), leaves, first, product);
  return product;
}

/// `janus::tape::hvp(f, std::array{...}, std::array{...})` for f taking N scalars.
template <class F, class T, std::size_t N>
  requires std::is_floating_point_v<T>
std::array<T, N> hvp(const F& f, const std::array<T, N>& x, const std::array<T, N>& v) {
  return detail::hvp_of_scalars(f, x, v);
}

/// What `janus::tape::hessian(f)` is: called like janus::hessian(f), with
/// scalars (a std::array of rows back) or with one std::vector (a
/// std::vector of rows back, f taking one range).
template <class F>
struct hessian_function {
  F f;

  template <class T, class... Ts>
    requires(std::is_floating_point_v<T> && (std::is_same_v<T, Ts> && ...))
  std::array<std::array<T, 1 + sizeof...(Ts)>, 1 + sizeof...(Ts)> operator()(T first, Ts... rest) const {
    constexpr std::size_t n = 1 + sizeof...(Ts);
    const std::array<T, n> x{first, rest...};
    std::array<std::array<T, n>, n> rows{};
    for (std::size_t i = 0; i < n; ++i) {
      std::array<T, n> unit{};
      unit[i] = T(1);
      rows[i] = detail::hvp_of_scalars(f, x, unit);
    }
    symmetrise(rows, n);
    return rows;
  }

  template <class T>
    requires std::is_floating_point_v<T>
  std::vector<std::vector<T>> operator()(const std::vector<T>& xs) const {
    const std::size_t n = xs.size();
    std::vector<std::vector<T>> rows(n);
    std::vector<T> unit(n, T(0));
    for (std::size_t i = 0; i < n; ++i) {
      unit[i] = T(1);
      rows[i] = tape::hvp(f, xs, unit);
      unit[i] = T(0);
    }
    symmetrise(rows, n);
    return rows;
  }

 private:
  /// H[i][j] and H[j][i] agree to rounding; their mean makes H exactly symmetric.
  template <class Rows>
  static void symmetrise(Rows& rows, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i) {
      for (std::size_t j = i + 1; j < n; ++j) {
        const auto mean = (rows[i][j] + rows[j][i]) / 2;
        rows[i][j] = mean;
        rows[j][i] = mean;
      }
    }
  }
};

/// `janus::tape::hessian(f)(1.0, 2.0, 3.0)`: the same shape as janus::hessian;
/// `janus::tape::hessian(f)(xs)` for f of one range: N products H e_i.
template <class F>
hessian_function<F> hessian(F f) {
  return {std::move(f)};
}

/// What `janus::tape::jacobian(f)` is.
template <class F>
struct jacobian_function {
  F f;
  /// f takes one range of vars (a std::vector<janus::var>) and returns a
  /// range of vars, of any size: the Jacobian as rows, one per output, each
  /// the gradient of that output (one backward sweep each).
  template <class T>
    requires std::is_floating_point_v<T>
  std::vector<std::vector<T>> operator()(const std::vector<T>& xs) const {
    const janus::detail::forced_recording recording;
    basic_scope<T> scope;
    const index_type first = mark<T>().statements;
    std::vector<basic_var<T>> leaves(xs.size());
    for (std::size_t i = 0; i < xs.size(); ++i) leaves[i] = basic_var<T>(xs[i]);
    const auto outputs = f(static_cast<const std::vector<basic_var<T>>&>(leaves));
    std::vector<std::vector<T>> rows;
    rows.reserve(std::ranges::size(outputs));
    auto& tape = this_thread_tape<T>();
    // An output may be a statement not yet recorded (`std::vector{x[0] * x[1]}`
    // holds statements): becoming a var records it.
    for (const auto& item : outputs) {
      const basic_var<T> output = item;
      std::vector<T> row(xs.size(), T(0));
      if (output.requires_grad()) {
        for (const basic_var<T>& leaf : leaves) leaf.zero_grad();
        tape.check_value("janus::tape::jacobian", output.generation());
        tape.backward(output.index(), first);
        for (std::size_t i = 0; i < xs.size(); ++i) row[i] = leaves[i].grad();
      }
      rows.push_back(std::move(row));
    }
    return rows;
  }
};

/// `janus::tape::jacobian(f)(xs)`: the Jacobian of a vector function of
/// run-time size on the tape, row i the gradient of output i.
template <class F>
jacobian_function<F> jacobian(F f) {
  return {std::move(f)};
}

}  // namespace janus::tape
