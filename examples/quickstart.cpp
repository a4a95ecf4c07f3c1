// A gradient in ten lines: f(x, y) = x*y + sin(x)/y at (3, 2).
#include <janus/janus.hpp>

#include <cstdio>

int main() {
  auto f = [](auto x, auto y) { return x * y + sin(x) / y; };
  auto [value, gradient] = janus::value_and_grad(f, 3.0, 2.0);
  std::printf("f(3, 2)     = %.12f\n", value);
  std::printf("df/dx (3, 2) = %.12f\n", gradient[0]);
  std::printf("df/dy (3, 2) = %.12f\n", gradient[1]);
}
