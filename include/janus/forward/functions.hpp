// janus/forward/functions.hpp: every named function of the rule table on
// dual numbers and multiduals (`sin(d)`, `pow(d, 3)`, `atan2(d, 1.0)`), each one call of
// janus::apply with its rule. The rules' own `using std::sin; sin(x)` find
// these by argument-dependent lookup, so the table runs on duals, and on
// duals of duals, as it is.
#pragma once

#include <type_traits>

#include "janus/forward/dual.hpp"
#include "janus/rules.hpp"

namespace janus {

template <forward_number X> constexpr X square(const X& x) { return apply(rules::square{}, x); }
template <forward_number X> constexpr X sqrt(const X& x) { return apply(rules::sqrt{}, x); }
template <forward_number X> constexpr X cbrt(const X& x) { return apply(rules::cbrt{}, x); }
template <forward_number X> constexpr X exp(const X& x) { return apply(rules::exp{}, x); }
template <forward_number X> constexpr X expm1(const X& x) { return apply(rules::expm1{}, x); }
template <forward_number X> constexpr X log(const X& x) { return apply(rules::log{}, x); }
template <forward_number X> constexpr X log1p(const X& x) { return apply(rules::log1p{}, x); }
template <forward_number X> constexpr X log2(const X& x) { return apply(rules::log2{}, x); }
template <forward_number X> constexpr X log10(const X& x) { return apply(rules::log10{}, x); }
template <forward_number X> constexpr X sin(const X& x) { return apply(rules::sin{}, x); }
template <forward_number X> constexpr X cos(const X& x) { return apply(rules::cos{}, x); }
template <forward_number X> constexpr X tan(const X& x) { return apply(rules::tan{}, x); }
template <forward_number X> constexpr X asin(const X& x) { return apply(rules::asin{}, x); }
template <forward_number X> constexpr X acos(const X& x) { return apply(rules::acos{}, x); }
template <forward_number X> constexpr X atan(const X& x) { return apply(rules::atan{}, x); }
template <forward_number X> constexpr X sinh(const X& x) { return apply(rules::sinh{}, x); }
template <forward_number X> constexpr X cosh(const X& x) { return apply(rules::cosh{}, x); }
template <forward_number X> constexpr X tanh(const X& x) { return apply(rules::tanh{}, x); }
template <forward_number X> constexpr X sigmoid(const X& x) { return apply(rules::sigmoid{}, x); }
template <forward_number X> constexpr X softplus(const X& x) { return apply(rules::softplus{}, x); }
template <forward_number X> constexpr X relu(const X& x) { return apply(rules::relu{}, x); }
template <forward_number X> constexpr X abs(const X& x) { return apply(rules::abs{}, x); }
template <forward_number X> constexpr X erf(const X& x) { return apply(rules::erf{}, x); }
template <forward_number X> constexpr X erfc(const X& x) { return apply(rules::erfc{}, x); }

/// x^p for a constant exponent p.
template <forward_number X, class P>
  requires std::is_arithmetic_v<P>
constexpr X pow(const X& x, P exponent) {
  return apply(rules::pow_constant{static_cast<double>(exponent)}, x);
}
/// a^b with a dual exponent.
template <forward_number X> constexpr X pow(const X& a, const X& b) { return apply(rules::pow{}, a, b); }
template <forward_number X, mixes_with<X> U>
constexpr X pow(const U& a, const X& b) { return apply(rules::pow{}, a, b); }
/// a^b with b a dual of a lower level (a dual<double> exponent of a dual<dual<double>>).
template <forward_number X, mixes_with<X> U>
  requires(!std::is_arithmetic_v<U>)
constexpr X pow(const X& a, const U& b) { return apply(rules::pow{}, a, b); }

template <forward_number X> constexpr X atan2(const X& a, const X& b) { return apply(rules::atan2{}, a, b); }
template <forward_number X, mixes_with<X> U> constexpr X atan2(const X& a, const U& b) { return apply(rules::atan2{}, a, b); }
template <forward_number X, mixes_with<X> U> constexpr X atan2(const U& a, const X& b) { return apply(rules::atan2{}, a, b); }
template <forward_number X> constexpr X hypot(const X& a, const X& b) { return apply(rules::hypot{}, a, b); }
template <forward_number X, mixes_with<X> U> constexpr X hypot(const X& a, const U& b) { return apply(rules::hypot{}, a, b); }
template <forward_number X, mixes_with<X> U> constexpr X hypot(const U& a, const X& b) { return apply(rules::hypot{}, a, b); }
template <forward_number X> constexpr X max(const X& a, const X& b) { return apply(rules::max{}, a, b); }
template <forward_number X, mixes_with<X> U> constexpr X max(const X& a, const U& b) { return apply(rules::max{}, a, b); }
template <forward_number X, mixes_with<X> U> constexpr X max(const U& a, const X& b) { return apply(rules::max{}, a, b); }
template <forward_number X> constexpr X min(const X& a, const X& b) { return apply(rules::min{}, a, b); }
template <forward_number X, mixes_with<X> U> constexpr X min(const X& a, const U& b) { return apply(rules::min{}, a, b); }
template <forward_number X, mixes_with<X> U> constexpr X min(const U& a, const X& b) { return apply(rules::min{}, a, b); }

}  // namespace janus
