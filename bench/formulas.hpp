// bench/formulas.hpp: the formulas and data that several benchmark programs
// time (bench/static_engine.cpp, bench/tape_scalar.cpp, bench/peers), so that
// every program differentiates the same code on the same data.
#pragma once

#include <janus/janus.hpp>

#include <cmath>
#include <numbers>
#include <random>
#include <vector>

namespace bench_problems {

inline constexpr double inv_sqrt2 = std::numbers::sqrt2 / 2;

/// x^2 on doubles; janus's own `square` serves its variables (found by
/// argument-dependent lookup from the formulas below).
inline double square(double x) { return x * x; }

// One term of Rosenbrock's function, 100 (b - a^2)^2 + (1 - a)^2: the sum of
// it over neighbours (x[i], x[i+1]) is the function.
inline const auto rosenbrock_term = [](auto a, auto b) { return 100.0 * square(b - a * a) + square(1.0 - a); };

// One formula for doubles and for janus variables, with respect to
// (S, K, T, r, sigma); N(x) = erfc(-x / sqrt 2) / 2. Intermediates are plain
// `auto` locals, as the static engine's docs write them.
inline const auto black_scholes = [](auto S, auto K, auto T, auto r, auto sigma) {
  using std::erfc;
  using std::exp;
  using std::log;
  using std::sqrt;
  auto sd = sigma * sqrt(T);
  auto d1 = (log(S / K) + (r + 0.5 * sigma * sigma) * T) / sd;
  auto d2 = d1 - sd;
  return S * (0.5 * erfc(-inv_sqrt2 * d1)) - K * exp(-r * T) * (0.5 * erfc(-inv_sqrt2 * d2));
};

// The normal log-likelihood of 1000 observations as a function of
// (mu, sigma): -1/2 sum ((x_i - mu) / sigma)^2 - n log sigma - n log sqrt(2 pi).

inline const double half_log_2pi = 0.5 * std::log(2 * std::numbers::pi);

inline const std::vector<double>& observations() {
  static const std::vector<double> data = [] {
    std::mt19937_64 generator(20261123);
    std::normal_distribution<double> normal(1.5, 2.0);
    std::vector<double> result(1000);
    for (double& x : result) x = normal(generator);
    return result;
  }();
  return data;
}

// The likelihood for the static engine, the sum over the data written with
// janus::sum (for doubles too: janus::value of it).
struct log_likelihood {
  const std::vector<double>* data;
  template <class Mu, class Sigma>
  auto operator()(Mu mu, Sigma sigma) const {
    using std::log;
    const double n = static_cast<double>(data->size());
    return -0.5 * janus::sum(*data, [=](double x) { return square((x - mu) / sigma); }) - n * log(sigma) -
           n * half_log_2pi;
  }
};

// A two-component normal mixture's log-likelihood of the same data, as a
// function of (a, mu1, mu2, log s1, log s2), with the weight w = sigmoid(a):
// sum over x of log(w phi(x; mu1, s1) + (1 - w) phi(x; mu2, s2)), phi(x; mu, s)
// = exp(-((x - mu) / s)^2 / 2) / s (the constant sqrt(2 pi) left out). The
// weight and the scales are captured by the sum's body and do not depend on
// the point: what a user writes, and what the engine must not recompute per
// point.
struct mixture_log_likelihood {
  const std::vector<double>* data;
  template <class A, class Mu1, class Mu2, class LogS1, class LogS2>
  auto operator()(A a, Mu1 mu1, Mu2 mu2, LogS1 log_s1, LogS2 log_s2) const {
    using std::exp;
    using std::log;
    const auto w = janus::sigmoid(a);
    const auto s1 = exp(log_s1);
    const auto s2 = exp(log_s2);
    return janus::sum(*data, [&](double x) {
      return log(w * exp(-0.5 * square((x - mu1) / s1)) / s1 + (1.0 - w) * exp(-0.5 * square((x - mu2) / s2)) / s2);
    });
  }
};

}  // namespace bench_problems
