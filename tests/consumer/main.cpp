// Uses the installed janus: the gradient of x*y + sin(x)/y at (3, 2).
#include <janus/janus.hpp>

#include <cmath>
#include <cstdio>

int main() {
  auto [x, y] = janus::variables(3.0, 2.0);
  const auto g = janus::gradient(x * y + sin(x) / y);
  const double expected_x = 2.0 + std::cos(3.0) / 2.0;
  const double expected_y = 3.0 - std::sin(3.0) / 4.0;
  std::printf("consumer: d/dx = %.15g, d/dy = %.15g\n", g[x], g[y]);
  return std::abs(g[x] - expected_x) < 1e-14 && std::abs(g[y] - expected_y) < 1e-14 ? 0 : 1;
}
