// examples/newton.cpp: Newton's method with a backtracking line search on a
// logistic regression of ten parameters (nine weights and a bias), fitted to
// generated data; the gradient and the Hessian of the loss come from
// janus::value_and_grad and janus::hessian.
//
// The loss is the mean negative log-likelihood, softplus(z) - y z per point
// with z = w . x + b, plus (lambda / 2) |w|^2 so that it has one minimum even
// if the data are separable. The data sum is one janus::sum node; its
// Hessian is the engine's sweep run on dual numbers. The program prints the
// loss, the gradient norm and the step length per iteration, and exits with
// status 1 unless the gradient norm falls below 1e-10 within 20 steps.
#include <janus/janus.hpp>

#include <array>
#include <cmath>
#include <cstddef>
#include <cstdio>
#include <random>
#include <tuple>
#include <utility>
#include <vector>

namespace {

constexpr std::size_t features = 9;
constexpr std::size_t parameters = features + 1;
constexpr double lambda = 1e-2;

struct point {
  std::array<double, features> x;
  double y;  // 0 or 1
};

/// 500 points with standard normal features and labels drawn from a
/// logistic model with known weights.
std::vector<point> make_data() {
  std::mt19937_64 generator(20261202);
  std::normal_distribution<double> normal(0.0, 1.0);
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  const std::array<double, features> truth{1.5, -2.0, 0.5, 0.0, 1.0, -0.7, 0.3, 2.2, -1.1};
  const double bias = 0.4;
  std::vector<point> data(500);
  for (point& p : data) {
    double z = bias;
    for (std::size_t j = 0; j < features; ++j) {
      p.x[j] = normal(generator);
      z += truth[j] * p.x[j];
    }
    p.y = uniform(generator) < 1.0 / (1.0 + std::exp(-z)) ? 1.0 : 0.0;
  }
  return data;
}

using vector = std::array<double, parameters>;
using matrix = std::array<vector, parameters>;

/// Solves H d = g by Cholesky (H is positive definite: the loss is strictly convex).
vector solve(matrix H, vector g) {
  for (std::size_t j = 0; j < parameters; ++j) {
    for (std::size_t k = 0; k < j; ++k) H[j][j] -= H[j][k] * H[j][k];
    H[j][j] = std::sqrt(H[j][j]);
    for (std::size_t i = j + 1; i < parameters; ++i) {
      for (std::size_t k = 0; k < j; ++k) H[i][j] -= H[i][k] * H[j][k];
      H[i][j] /= H[j][j];
    }
  }
  for (std::size_t i = 0; i < parameters; ++i) {
    for (std::size_t k = 0; k < i; ++k) g[i] -= H[i][k] * g[k];
    g[i] /= H[i][i];
  }
  for (std::size_t i = parameters; i-- > 0;) {
    for (std::size_t k = i + 1; k < parameters; ++k) g[i] -= H[k][i] * g[k];
    g[i] /= H[i][i];
  }
  return g;
}

double norm(const vector& v) {
  double sum = 0;
  for (double e : v) sum += e * e;
  return std::sqrt(sum);
}

}  // namespace

int main() {
  const std::vector<point> data = make_data();
  const double n = static_cast<double>(data.size());

  // One generic function of the ten parameters (w_0 ... w_8, b), for doubles
  // and for the engine's variables alike (janus:: calls serve both).
  const auto loss = [&](auto... theta) {
    const auto params = std::tuple{theta...};
    const auto& b = std::get<features>(params);
    const auto likelihood = janus::sum(data, [&](const point& p) {
      const auto z = [&]<std::size_t... J>(std::index_sequence<J...>) {
        return ((std::get<J>(params) * p.x[J]) + ...) + b;
      }(std::make_index_sequence<features>{});
      return janus::softplus(z) - p.y * z;
    });
    const auto penalty = [&]<std::size_t... J>(std::index_sequence<J...>) {
      return (janus::square(std::get<J>(params)) + ...);
    }(std::make_index_sequence<features>{});
    return likelihood / n + (0.5 * lambda) * penalty;
  };

  vector theta{};
  std::printf("%4s %22s %12s %8s\n", "step", "loss", "|gradient|", "t");
  for (int step = 0; step <= 20; ++step) {
    const auto [value, gradient] = std::apply([&](auto... t) { return janus::value_and_grad(loss, t...); }, theta);
    const double gradient_norm = norm(gradient);
    if (gradient_norm < 1e-10) {
      std::printf("%4d %22.15f %12.3e\n\nconverged in %d Newton steps\n", step, value, gradient_norm, step);
      return 0;
    }
    const matrix H = std::apply(janus::hessian(loss), theta);
    const vector direction = solve(H, gradient);
    // Backtracking (Armijo): halve t until the loss falls by at least 1e-4 t g.d.
    double slope = 0;
    for (std::size_t i = 0; i < parameters; ++i) slope += gradient[i] * direction[i];
    double t = 1;
    vector next{};
    for (;;) {
      for (std::size_t i = 0; i < parameters; ++i) next[i] = theta[i] - t * direction[i];
      const double trial = std::apply(loss, next);
      if (trial <= value - 1e-4 * t * slope || t < 1e-8) break;
      t /= 2;
    }
    std::printf("%4d %22.15f %12.3e %8.3g\n", step, value, gradient_norm, t);
    theta = next;
  }
  std::printf("\ndid not converge in 20 steps\n");
  return 1;
}
