// examples/arrays.cpp: array arguments and loops in the static engine.
//
// One generic function serves plain doubles and janus::grad; janus::sum over
// janus::indices is one node of the expression, its body's sweep generated
// once. Prints the value and a few gradient entries of Rosenbrock's function
// over 1000 variables, of a Lennard-Jones cluster's energy (pairs i < j), and
// of a loss with a scalar and a vector argument.
#include <janus/janus.hpp>

#include <cmath>
#include <cstddef>
#include <cstdio>
#include <vector>

int main() {
  const auto rosenbrock = [](const auto& x) {
    return janus::sum(janus::indices(0, x.size() - 1), [&](std::size_t i) {
      return 100.0 * janus::square(x[i + 1] - x[i] * x[i]) + janus::square(1.0 - x[i]);
    });
  };
  const std::vector<double> xs(1000, 0.5);
  const double v0 = rosenbrock(xs);
  const std::vector<double> g = janus::grad(rosenbrock)(xs);
  std::printf("rosenbrock: %g, gradient[0] = %g, gradient[999] = %g\n", v0, g[0], g[999]);

  const auto energy = [](const auto& r) {
    const std::size_t n = r.size() / 3;
    return janus::sum(janus::indices(0, n), [&](std::size_t i) {
      return janus::sum(janus::indices(i + 1, n), [&](std::size_t j) {
        auto dx = r[3 * i] - r[3 * j], dy = r[3 * i + 1] - r[3 * j + 1], dz = r[3 * i + 2] - r[3 * j + 2];
        auto s6 = 1.0 / janus::pow(dx * dx + dy * dy + dz * dz, 3);
        return 4.0 * (s6 * s6 - s6);
      });
    });
  };
  std::vector<double> atoms;
  for (int a = 0; a < 10; ++a) {
    atoms.push_back(1.1 * (a % 3));
    atoms.push_back(1.1 * ((a / 3) % 3));
    atoms.push_back(1.1 * (a / 9) + 0.05 * a);
  }
  const auto [e, forces] = janus::value_and_grad(energy, atoms);
  std::printf("cluster of 10 atoms: energy %g, dE/dx of atom 0 = %g\n", e, forces[0]);

  const std::vector<double> data{1.0, 2.0, 3.0};
  const auto loss = [&](auto b, const auto& w) {
    return janus::sum(janus::indices(0, w.size()), [&](std::size_t i) { return janus::square(b + w[i] * data[i]); });
  };
  const std::vector<double> weights{0.5, -1.0, 2.0};
  const auto [gb, gw] = janus::grad(loss)(0.1, weights);
  std::printf("loss: d/db = %g, d/dw = (%g, %g, %g)\n", gb, gw[0], gw[1], gw[2]);
  return std::isfinite(v0) && std::isfinite(e) ? 0 : 1;
}
