// tests/array_functions.hpp: functions of arrays written once for every
// engine, as the API shows them (Rosenbrock over a vector, a pair
// potential with a sum in the body of a sum), the positions of atoms they
// run on, and central differences in double to check their gradients. The
// static engine's tests (tests/static/arrays_test.cpp) and the tape's
// (tests/tape/array_functions_test.cpp) share them.
#pragma once

#include <janus/janus.hpp>

#include <cmath>
#include <cstddef>
#include <vector>

namespace janus::testing {

inline const auto rosenbrock = [](const auto& x) {
  return janus::sum(janus::indices(0, x.size() - 1), [&](std::size_t i) {
    return 100.0 * janus::square(x[i + 1] - x[i] * x[i]) + janus::square(1.0 - x[i]);
  });
};

/// Lennard-Jones pairs i < j: a sum in the body of a sum, the outer index
/// and a local captured by reference.
inline const auto energy = [](const auto& r) {
  const std::size_t n = r.size() / 3;
  return janus::sum(janus::indices(0, n), [&](std::size_t i) {
    return janus::sum(janus::indices(i + 1, n), [&](std::size_t j) {
      auto dx = r[3 * i] - r[3 * j], dy = r[3 * i + 1] - r[3 * j + 1], dz = r[3 * i + 2] - r[3 * j + 2];
      auto s6 = 1.0 / janus::pow(dx * dx + dy * dy + dz * dz, 3);
      return 4.0 * (s6 * s6 - s6);
    });
  });
};

/// Positions of `atoms` atoms (x, y, z of each in turn): a small lattice,
/// slightly irregular so that no two pair distances are equal.
inline std::vector<double> cluster(std::size_t atoms) {
  std::vector<double> r(3 * atoms);
  for (std::size_t a = 0; a < atoms; ++a) {
    r[3 * a] = 1.1 * static_cast<double>(a % 3) + 0.05 * static_cast<double>(a);
    r[3 * a + 1] = 1.2 * static_cast<double>((a / 3) % 3) - 0.03 * static_cast<double>(a);
    r[3 * a + 2] = 1.15 * static_cast<double>(a / 9) + 0.02 * static_cast<double>(a % 2);
  }
  return r;
}

/// The gradient of f (one array argument) by central differences in double.
template <class F>
std::vector<double> central_differences(const F& f, const std::vector<double>& x) {
  std::vector<double> g(x.size());
  for (std::size_t k = 0; k < x.size(); ++k) {
    const double h = 1e-6 * (1.0 + std::abs(x[k]));
    auto up = x, down = x;
    up[k] += h;
    down[k] -= h;
    g[k] = (f(up) - f(down)) / (2 * h);
  }
  return g;
}

}  // namespace janus::testing
