// janus/rules.hpp: the whole table of derivative rules, and lists of them.
#pragma once

#include <tuple>

#include "janus/rules/activation.hpp"
#include "janus/rules/arithmetic.hpp"
#include "janus/rules/exponential.hpp"
#include "janus/rules/hyperbolic.hpp"
#include "janus/rules/piecewise.hpp"
#include "janus/rules/power.hpp"
#include "janus/rules/rule.hpp"
#include "janus/rules/special.hpp"
#include "janus/rules/trigonometric.hpp"

namespace janus::rules {

/// Every stateless one-argument rule; engines and tests iterate over these.
using unary_rules = std::tuple<neg, square, sqrt, cbrt, exp, expm1, log, log1p, log2, log10, sin, cos,
                               tan, asin, acos, atan, sinh, cosh, tanh, sigmoid, softplus, relu, abs,
                               erf, erfc>;

/// Every two-argument rule.
using binary_rules = std::tuple<add, sub, mul, div, pow, atan2, max, min, hypot>;

}  // namespace janus::rules
