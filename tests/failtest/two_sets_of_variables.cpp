// Two calls of janus::variables both make variable 0: combined, x and y would
// be taken for one variable (the value 9, not 15), so the first error must
// say to make them in one call or to number the second set.
// expect: janus: this formula combines variables of two calls of janus::variables
#include <janus/janus.hpp>

int main() {
  const auto [x] = janus::variables(3.0);
  const auto [y] = janus::variables(5.0);
  const auto result = janus::value_and_gradient(x * y);
  return static_cast<int>(result.value);
}
