// janus/forward/jvp.hpp: janus::jvp, a directional derivative in forward mode.
#pragma once

#include <array>
#include <cstddef>
#include <stdexcept>
#include <type_traits>
#include <utility>
#include <vector>

#include "janus/forward/dual.hpp"
#include "janus/forward/functions.hpp"

namespace janus {

namespace detail {
/// The tangent of what f returned: 0 for a result that does not depend on its arguments.
template <class T, class R>
constexpr T tangent_of(const R& result) {
  if constexpr (forward_number<R>) return static_cast<T>(result.tangent());
  else return T(0);
}
}  // namespace detail

/// `janus::jvp(f, std::array{x0, x1, ...}, std::array{v0, v1, ...})`: the
/// derivative of f at x in the direction v, f'(x) v, with f called once on
/// dual numbers f(dual{x0, v0}, dual{x1, v1}, ...). A constant expression
/// where f allows.
template <class F, class T, std::size_t N>
  requires std::is_floating_point_v<T>
constexpr T jvp(const F& f, const std::array<T, N>& x, const std::array<T, N>& v) {
  static_assert(N > 0, "janus::jvp(f, x, v) needs at least one argument");
  return [&]<std::size_t... I>(std::index_sequence<I...>) {
    return detail::tangent_of<T>(f(dual<T>{x[I], v[I]}...));
  }(std::make_index_sequence<N>{});
}

/// `janus::jvp(f, xs, vs)` with f taking one array: f receives a
/// std::vector<janus::dual<T>> of x's values and v's tangents.
template <class F, class T>
  requires std::is_floating_point_v<T>
T jvp(const F& f, const std::vector<T>& x, const std::vector<T>& v) {
  if (x.size() != v.size()) throw std::invalid_argument("janus::jvp: the point and the direction differ in size");
  std::vector<dual<T>> arguments;
  arguments.reserve(x.size());
  for (std::size_t i = 0; i < x.size(); ++i) arguments.emplace_back(x[i], v[i]);
  return detail::tangent_of<T>(f(static_cast<const std::vector<dual<T>>&>(arguments)));
}

}  // namespace janus
