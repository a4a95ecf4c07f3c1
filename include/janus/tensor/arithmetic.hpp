// janus/tensor/arithmetic.hpp: + - * / on tensors (broadcasting) and with scalars, and unary minus.
#pragma once

#include <type_traits>

#include "janus/rules/arithmetic.hpp"
#include "janus/tensor/elementwise.hpp"

namespace janus {

template <class T>
basic_tensor<T> operator-(const basic_tensor<T>& x) { return apply(rules::neg{}, x); }

template <class T>
basic_tensor<T> operator+(const basic_tensor<T>& a, const basic_tensor<T>& b) { return apply(rules::add{}, a, b); }
template <class T>
basic_tensor<T> operator-(const basic_tensor<T>& a, const basic_tensor<T>& b) { return apply(rules::sub{}, a, b); }
template <class T>
basic_tensor<T> operator*(const basic_tensor<T>& a, const basic_tensor<T>& b) { return apply(rules::mul{}, a, b); }
template <class T>
basic_tensor<T> operator/(const basic_tensor<T>& a, const basic_tensor<T>& b) { return apply(rules::div{}, a, b); }

template <class T>
basic_tensor<T> operator+(const basic_tensor<T>& a, std::type_identity_t<T> b) { return apply(rules::add{}, a, b); }
template <class T>
basic_tensor<T> operator-(const basic_tensor<T>& a, std::type_identity_t<T> b) { return apply(rules::sub{}, a, b); }
template <class T>
basic_tensor<T> operator*(const basic_tensor<T>& a, std::type_identity_t<T> b) { return apply(rules::mul{}, a, b); }
template <class T>
basic_tensor<T> operator/(const basic_tensor<T>& a, std::type_identity_t<T> b) { return apply(rules::div{}, a, b); }

template <class T>
basic_tensor<T> operator+(std::type_identity_t<T> a, const basic_tensor<T>& b) { return apply(rules::add{}, a, b); }
template <class T>
basic_tensor<T> operator-(std::type_identity_t<T> a, const basic_tensor<T>& b) { return apply(rules::sub{}, a, b); }
template <class T>
basic_tensor<T> operator*(std::type_identity_t<T> a, const basic_tensor<T>& b) { return apply(rules::mul{}, a, b); }
template <class T>
basic_tensor<T> operator/(std::type_identity_t<T> a, const basic_tensor<T>& b) { return apply(rules::div{}, a, b); }

}  // namespace janus
