// janus/tensor/functions.hpp: every rule of the table by its name, elementwise on tensors.
#pragma once

#include <type_traits>

#include "janus/rules.hpp"
#include "janus/tensor/elementwise.hpp"

namespace janus {

// One line per rule of rules::unary_rules; tests/tensor/functions_test.cpp
// checks that none is missing.
template <class T> basic_tensor<T> neg(const basic_tensor<T>& x) { return apply(rules::neg{}, x); }
template <class T> basic_tensor<T> square(const basic_tensor<T>& x) { return apply(rules::square{}, x); }
template <class T> basic_tensor<T> sqrt(const basic_tensor<T>& x) { return apply(rules::sqrt{}, x); }
template <class T> basic_tensor<T> cbrt(const basic_tensor<T>& x) { return apply(rules::cbrt{}, x); }
template <class T> basic_tensor<T> exp(const basic_tensor<T>& x) { return apply(rules::exp{}, x); }
template <class T> basic_tensor<T> expm1(const basic_tensor<T>& x) { return apply(rules::expm1{}, x); }
template <class T> basic_tensor<T> log(const basic_tensor<T>& x) { return apply(rules::log{}, x); }
template <class T> basic_tensor<T> log1p(const basic_tensor<T>& x) { return apply(rules::log1p{}, x); }
template <class T> basic_tensor<T> log2(const basic_tensor<T>& x) { return apply(rules::log2{}, x); }
template <class T> basic_tensor<T> log10(const basic_tensor<T>& x) { return apply(rules::log10{}, x); }
template <class T> basic_tensor<T> sin(const basic_tensor<T>& x) { return apply(rules::sin{}, x); }
template <class T> basic_tensor<T> cos(const basic_tensor<T>& x) { return apply(rules::cos{}, x); }
template <class T> basic_tensor<T> tan(const basic_tensor<T>& x) { return apply(rules::tan{}, x); }
template <class T> basic_tensor<T> asin(const basic_tensor<T>& x) { return apply(rules::asin{}, x); }
template <class T> basic_tensor<T> acos(const basic_tensor<T>& x) { return apply(rules::acos{}, x); }
template <class T> basic_tensor<T> atan(const basic_tensor<T>& x) { return apply(rules::atan{}, x); }
template <class T> basic_tensor<T> sinh(const basic_tensor<T>& x) { return apply(rules::sinh{}, x); }
template <class T> basic_tensor<T> cosh(const basic_tensor<T>& x) { return apply(rules::cosh{}, x); }
template <class T> basic_tensor<T> tanh(const basic_tensor<T>& x) { return apply(rules::tanh{}, x); }
template <class T> basic_tensor<T> sigmoid(const basic_tensor<T>& x) { return apply(rules::sigmoid{}, x); }
template <class T> basic_tensor<T> softplus(const basic_tensor<T>& x) { return apply(rules::softplus{}, x); }
template <class T> basic_tensor<T> relu(const basic_tensor<T>& x) { return apply(rules::relu{}, x); }
template <class T> basic_tensor<T> abs(const basic_tensor<T>& x) { return apply(rules::abs{}, x); }
template <class T> basic_tensor<T> erf(const basic_tensor<T>& x) { return apply(rules::erf{}, x); }
template <class T> basic_tensor<T> erfc(const basic_tensor<T>& x) { return apply(rules::erfc{}, x); }

/// x ** exponent, elementwise.
template <class T>
basic_tensor<T> pow(const basic_tensor<T>& x, std::type_identity_t<T> exponent) {
  return apply(rules::pow_constant{static_cast<double>(exponent)}, x);
}
/// base ** x, elementwise.
template <class T>
basic_tensor<T> pow(std::type_identity_t<T> base, const basic_tensor<T>& x) { return apply(rules::pow{}, base, x); }

template <class T>
basic_tensor<T> pow(const basic_tensor<T>& a, const basic_tensor<T>& b) { return apply(rules::pow{}, a, b); }
template <class T>
basic_tensor<T> max(const basic_tensor<T>& a, const basic_tensor<T>& b) { return apply(rules::max{}, a, b); }
template <class T>
basic_tensor<T> min(const basic_tensor<T>& a, const basic_tensor<T>& b) { return apply(rules::min{}, a, b); }
template <class T>
basic_tensor<T> atan2(const basic_tensor<T>& a, const basic_tensor<T>& b) { return apply(rules::atan2{}, a, b); }
template <class T>
basic_tensor<T> hypot(const basic_tensor<T>& a, const basic_tensor<T>& b) { return apply(rules::hypot{}, a, b); }

}  // namespace janus
