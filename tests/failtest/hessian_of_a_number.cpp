// janus::hessian runs janus::grad on dual numbers, so a function that
// returns a plain number stops the build with the gradient's sentence.
// expect: janus::grad\(f\) requires f to return an expression of its arguments, not a plain number
#include <janus/janus.hpp>

int main() {
  const auto h = janus::hessian([](auto) { return 1.0; })(2.0);
  return static_cast<int>(h[0][0]);
}
