// janus/static/limits.hpp: every size limit of the static engine, in one place.
//
// - Identities: a set of variables is a bit mask, so an expression (or a
//   functional call) has at most `max_variables` of them. Array arguments
//   count one each, whatever their size.
// - Preaccumulation: an operand whose tree grows past these limits is swept
//   on the spot and kept as its value and partials (preaccumulate.hpp), which
//   bounds every tree's storage and compile-time walk. Trees that read
//   elements of array arguments are never preaccumulated; they are the bodies
//   of sums, one small tree whatever the array's size.
// - Sums over a range (`janus::sum`) are one node whatever the range's length:
//   the body's sweep is generated once and runs per element, in a loop.
#pragma once

#include <cstddef>
#include <cstdint>

namespace janus::detail {

/// A set of variable identities, one bit each. Variables of one expression
/// are numbered from 0, so 64 is a limit on variables per expression.
using id_mask = std::uint64_t;
inline constexpr std::size_t max_variables = 64;

/// How many nodes that hold data an operand may have before it is
/// preaccumulated, when its tree stores a subtree twice. Large enough that
/// the formulas people write in one line (Black-Scholes with its Greeks, a
/// 20-operation rational function) are swept as one; small enough that a
/// compile-time walk stays cheap.
inline constexpr std::size_t preaccumulation_limit = 32;

/// The same for a tree that stores nothing twice, as far as `repeats` can
/// tell: such a tree grows only as fast as the formula is written, so it may
/// grow further before the walk gets costly, and a sum of many terms (a
/// Rosenbrock function of ten variables) stays one fused sweep. The bound
/// still holds where `repeats` misses a repetition.
inline constexpr std::size_t preaccumulation_limit_without_repeats = 4 * preaccumulation_limit;

}  // namespace janus::detail
