// janus/tape/var.hpp: `janus::var`, a scalar recorded on this thread's tape.
// Operations on it (tape/functions.hpp, `janus::apply` in tape/statement.hpp)
// make statements that are recorded when they become vars.
#pragma once

#include <array>
#include <bit>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <ranges>
#include <string_view>
#include <type_traits>

#include "janus/error.hpp"
#include "janus/tape/recording.hpp"
#include "janus/tape/recorder.hpp"
#include "janus/tape/scalar_tape.hpp"

namespace janus {

namespace tape::detail {
template <class A>
concept arithmetic = std::is_arithmetic_v<A>;
struct var_access;
}  // namespace tape::detail

/// A scalar on the tape: the value, its index on this thread's tape, and the
/// generation of the tape it belongs to (tape/generations.hpp).
///
/// `basic_var<T> x = 3.0;` records a leaf (an input whose gradient is wanted);
/// operations on vars record statements; `y.backward()` adds dy/dx to
/// `x.grad()` for every x that y depends on. A default-constructed var, one
/// made under `janus::no_grad` and one returned by `detach()` are constants:
/// not recorded, their gradient is always 0. Copies are cheap and refer to the
/// same value on the tape. A var belongs to the thread that recorded it and
/// lives until the tape is rewound past it (see janus/tape/scalar_tape.hpp).
/// A var from another thread or from before a reset, and any var computed
/// from one, is refused with a `janus::graph_error` by everything that reads
/// gradients: `backward()`, `grad()`, `zero_grad()`, `label()`, `to_dot`.
template <std::floating_point T>
class basic_var {
 public:
  using value_type = T;

  /// The constant 0, not recorded.
  constexpr basic_var() noexcept = default;

  /// A leaf holding `value` (a constant under `janus::no_grad`).
  template <tape::detail::arithmetic A>
  basic_var(A value)  // NOLINT: implicit, so that `var x = 3.0;` reads like the math
      : value_(static_cast<T>(value)) {
    if (!is_recording()) return;
    auto& tape = tape::this_thread_tape<T>();
    const tape::index_type index = tape::detail::recorder::record_leaf(tape, value_);
    store_place(place_of(index, tape.generation()));
  }

  /// A constant: takes part in arithmetic, records nothing, has no gradient.
  static basic_var constant(T value) noexcept {
    basic_var result;
    result.value_ = value;
    return result;
  }

  /// A leaf with a label, shown by `janus::to_dot`.
  basic_var(T value, std::string_view text) : basic_var(value) { label(text); }

  T value() const noexcept { return value_; }

  /// The sum of d(root)/d(this) over every `backward()` of a root that
  /// depends on this value since it was recorded.
  T grad() const {
    if (index_ == 0) return T(0);
    const auto& tape = tape::this_thread_tape<T>();
    tape.check_value("janus::var::grad", generation_);
    return tape.gradient(index_);
  }

  /// Sets this value's accumulated gradient back to 0 (for a parameter kept
  /// across iterations).
  void zero_grad() const {
    if (index_ == 0) return;
    auto& tape = tape::this_thread_tape<T>();
    tape.check_value("janus::var::zero_grad", generation_);
    tape.zero_gradient(index_);
  }

  /// Adds d(this)/dx to the gradient of every recorded x this value depends on.
  void backward() const {
    if (index_ == 0)
      throw graph_error(
          "janus::var::backward: the value is not recorded (it was made under janus::no_grad, "
          "by detach(), or from constants only), so it has no graph to differentiate");
    auto& tape = tape::this_thread_tape<T>();
    tape.check_value("janus::var::backward", generation_);
    tape.backward(index_);
  }

  /// Whether the value is recorded, so that gradients flow through it.
  bool requires_grad() const noexcept { return index_ != 0; }

  /// The same value as a constant: gradients do not flow through it.
  basic_var detach() const noexcept { return constant(value_); }

  /// Names the value in drawings of the graph. A value that is not recorded
  /// has no place on the tape and keeps no label.
  basic_var& label(std::string_view text) {
    if (index_ == 0) return *this;
    auto& tape = tape::this_thread_tape<T>();
    tape.check_value("janus::var::label", generation_);
    tape.set_label(index_, text);
    return *this;
  }
  std::string_view label() const {
    if (index_ == 0) return {};
    const auto& tape = tape::this_thread_tape<T>();
    tape.check_value("janus::var::label", generation_);
    return tape.label(index_);
  }

  /// The position on this thread's tape (0: not recorded).
  tape::index_type index() const noexcept { return index_; }
  /// The generation of the tape the value belongs to (tape/generations.hpp).
  tape::generation_type generation() const noexcept { return generation_; }

 private:
  // Made only by janus's recording code (tape::detail::var_access).
  friend struct tape::detail::var_access;

  /// A var for a value recorded at `index`, of generation `generation`.
  static basic_var recorded(T value, tape::index_type index, tape::generation_type generation) noexcept {
    basic_var result;
    result.value_ = value;
    result.index_ = index;
    result.generation_ = generation;
    return result;
  }

  /// vars[i] = recorded(values[i], first + i, generation) for `count` vars:
  /// a run of leaves (tape::make_leaves), written in one pass.
  static void recorded_run(const T* values, std::size_t count, tape::index_type first,
                           tape::generation_type generation, basic_var* vars) noexcept {
    // The index cannot carry into the generation: a tape holds fewer than
    // 2^32 statements.
    const std::uint64_t next = place_of(1, 0);
    std::uint64_t place = place_of(first, generation);
    for (std::size_t i = 0; i < count; ++i, place += next) {
      vars[i].value_ = values[i];
      vars[i].store_place(place);
    }
  }

  // The index and the generation as the 64-bit number their bytes make.
  static std::uint64_t place_of(tape::index_type index, tape::generation_type generation) noexcept {
    static_assert(std::endian::native == std::endian::little || std::endian::native == std::endian::big);
    return std::endian::native == std::endian::little ? (std::uint64_t{generation} << 32) | index
                                                      : (std::uint64_t{index} << 32) | generation;
  }

  // Writes the index and the generation with one 64-bit store. A var made a
  // leaf is soon read back whole (passed by value: one 8-byte load), and a
  // load that spans two narrower stores waits for them to reach the cache;
  // written field by field in a loop, compilers also assemble the pair in a
  // vector register first, which costs more than the rest of the loop.
  void store_place(std::uint64_t place) noexcept {
    static_assert(offsetof(basic_var, generation_) == offsetof(basic_var, index_) + sizeof(tape::index_type));
    std::memcpy(reinterpret_cast<unsigned char*>(this) + offsetof(basic_var, index_), &place, sizeof place);
  }

  T value_ = T(0);
  tape::index_type index_ = 0;
  // In what would be the padding after the index: a var of doubles stays
  // 16 bytes, passed and returned in registers.
  tape::generation_type generation_ = 0;
};

using var = basic_var<double>;

namespace tape::detail {
/// How janus's recording code (tape/statement.hpp, fuse, sum, leaves) makes
/// vars of what it recorded; not part of `basic_var`'s API.
struct var_access {
  /// A var for a value recorded at `index`, of generation `generation`.
  template <std::floating_point T>
  [[gnu::always_inline]] static basic_var<T> recorded(T value, index_type index,
                                                      generation_type generation) noexcept {
    return basic_var<T>::recorded(value, index, generation);
  }

  /// vars[i] = recorded(values[i], first + i, generation) for `count` vars:
  /// a run of leaves (tape::make_leaves), written in one pass.
  template <std::floating_point T>
  static void recorded_run(const T* values, std::size_t count, index_type first, generation_type generation,
                           basic_var<T>* vars) noexcept {
    basic_var<T>::recorded_run(values, count, first, generation, vars);
  }
};
}  // namespace tape::detail

namespace tape::detail {
template <class X>
struct var_of {};
template <std::floating_point T>
struct var_of<basic_var<T>> {
  using type = basic_var<T>;
};

/// What arithmetic on vars gives: a var, or a statement not yet recorded
/// that becomes one when it is converted (`var_of_t` names that var type).
template <class X>
concept var_like = requires { typename var_of<std::remove_cvref_t<X>>::type; };

template <var_like X>
using var_of_t = typename var_of<std::remove_cvref_t<X>>::type;
}  // namespace tape::detail

namespace tape::detail {
/// The generation of a statement: that of its recorded operands when they
/// agree, 0 when they do not. Constants (index 0) have none, and are looked
/// at only when the operands' generations are not all one.
template <class Vars>
  requires std::ranges::range<const Vars&>
generation_type operands_generation(const Vars& operands) {
  bool seen = false;
  generation_type common = 0;
  for (const auto& operand : operands) {
    if (operand.index() == 0) continue;
    common = seen && operand.generation() != common ? 0 : operand.generation();
    seen = true;
  }
  return common;
}

template <std::floating_point T, class... Rest>
[[gnu::always_inline]] inline generation_type operands_generation(const basic_var<T>& first,
                                                                  const Rest&... rest) {
  const generation_type generation = first.generation();
  if (((rest.generation() == generation) && ...)) [[likely]] return generation;
  return operands_generation(std::array<basic_var<T>, 1 + sizeof...(Rest)>{first, rest...});
}
}  // namespace tape::detail

}  // namespace janus
