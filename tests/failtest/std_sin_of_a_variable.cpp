// std::sin takes numbers only: on a variable the first error must say to call
// sin unqualified or janus::sin, rather than list std::sin's overloads.
// expect: janus: a variable of the static engine is not a number: call sin\(x\).*not std::sin\(x\)
#include <janus/janus.hpp>

#include <cmath>

int main() {
  const auto g = janus::grad([](auto x) { return std::sin(x) * x; })(2.0);
  return static_cast<int>(g[0]);
}
