// A function whose parameters are double cannot see the engine's variables:
// the first error must say to declare them `auto`.
// expect: janus::grad\(f\) requires f to return an expression.*declare f's parameters `auto`
#include <janus/janus.hpp>

int main() {
  const auto g = janus::grad([](double x) { return x * x; })(2.0);
  return static_cast<int>(g[0]);
}
