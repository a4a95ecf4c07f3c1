// janus/static/provably_equal.hpp: `provably_equal(a, b)`, a comparison that
// the optimiser settles or that says no.
#pragma once

#include <cstddef>

namespace janus::detail {

/// Whether the optimiser can tell that `a == b`: true only where it has
/// folded the comparison, which it does where both are computed the same way
/// from the same values (`3 * i` twice, or once before a loop and once inside
/// it where `i` does not change), false where it is not sure. For choices that
/// never change a result, only its speed: adding up the partials of two reads
/// of one element before storing them is right whenever their indices are
/// equal, and storing each on its own is right always.
[[gnu::always_inline]] constexpr bool provably_equal(std::size_t a, std::size_t b) {
#if defined(__GNUC__) || defined(__clang__)
  return __builtin_constant_p(a == b) && a == b;
#else
  return false;
#endif
}

}  // namespace janus::detail
