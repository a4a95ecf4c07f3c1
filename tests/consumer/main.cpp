// Uses the installed janus::janus: the gradient of x*y + sin(x)/y at (3, 2),
// by the static engine and by the scalar tape (header-only as well).
#include <janus/janus.hpp>
#include <janus/tape.hpp>

#include <cmath>
#include <cstdio>

int main() {
  auto [x, y] = janus::variables(3.0, 2.0);
  const auto g = janus::gradient(x * y + sin(x) / y);
  const auto t = janus::tape::grad([](auto a, auto b) { return a * b + sin(a) / b; })(3.0, 2.0);
  const double expected_x = 2.0 + std::cos(3.0) / 2.0;
  const double expected_y = 3.0 - std::sin(3.0) / 4.0;
  std::printf("consumer: d/dx = %.15g, d/dy = %.15g (tape: %.15g, %.15g)\n", g[x], g[y], t[0], t[1]);
  const auto close = [](double a, double b) { return std::abs(a - b) < 1e-14; };
  return close(g[x], expected_x) && close(g[y], expected_y) && close(t[0], expected_x) && close(t[1], expected_y) ? 0
                                                                                                                  : 1;
}
