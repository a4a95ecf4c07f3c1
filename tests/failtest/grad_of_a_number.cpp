// A function that returns a plain number cannot be differentiated: the build
// must fail with the engine's own sentence, not a page of templates.
// expect: janus::grad\(f\) requires f to return an expression of its arguments, not a plain number
#include <janus/janus.hpp>

int main() {
  const auto g = janus::grad([](auto) { return 1.0; })(2.0);
  return static_cast<int>(g[0]);
}
