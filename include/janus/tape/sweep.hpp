// janus/tape/sweep.hpp: the reverse sweep of the scalar tape (`backward`),
// and the gradients it leaves (`gradient`, `gradients`, `zero_gradient`).
//
// The sweep is one loop, `adjoint[input] += partial * adjoint[output]`, from
// the root back to the start: no recursion, no virtual call, and a shared
// subexpression is visited once. `backward()` leaves the tape as it is (and
// may be called again: gradients accumulate).
//
// Under `janus::detect_anomaly` (tape/anomaly.hpp) `backward` takes a slower
// sweep, `checked_backward`, that checks every gradient it passes on.
#pragma once

#include <algorithm>
#include <cmath>
#include <concepts>
#include <cstddef>
#include <cstdint>

#include "janus/tape/anomaly.hpp"
#include "janus/tape/anomaly_report.hpp"
#include "janus/tape/generations.hpp"
#include "janus/tape/storage.hpp"

namespace janus::tape::detail {

template <std::floating_point T>
class tape_sweep : public tape_reports<T> {
 public:
  /// Adds d(root)/d(value) to the gradient of every value recorded from
  /// `first` up to `root`; gradients of earlier `backward` calls are kept
  /// (accumulation). Values before `first` are neither swept nor given a
  /// gradient: `first` = 1 is the whole graph of the root.
  void backward(index_type root, index_type first = 1) {
    this->check_recorded(root, "backward");
    first = std::max<index_type>(first, 1);
    const std::size_t fresh = make_gradient_slots(root, first);
    if (is_detecting_anomalies()) [[unlikely]] {
      checked_backward(root, first, fresh);
      return;
    }

    // The hot loop: one load, multiply-add and store per operand, and the
    // statement's own adjoint added to its gradient. Three things keep it
    // short:
    // - An input before `first` (outside the part being differentiated) is
    //   not tested for: its adjoint slot is scratch, cleared after the loop
    //   (`clear_scratch_before`).
    // - When a statement's first operand is the statement just before it
    //   (a chain: `sum = sum + term`, `y = y * x`, a fused accumulation),
    //   that adjoint goes to the next iteration in a register, not through a
    //   store and a reload (`pass_on_chain`): the chain costs one
    //   multiply-add per statement.
    // - A statement's adjoint is final when the loop reaches it; it goes
    //   into the gradient there and its slot is cleared for the next sweep
    //   (`settle`).
    const sweep_arrays arrays{adjoint_.data(), gradient_.data(), operand_end_.data(), operand_index_.data(),
                              operand_partial_.data()};
    T upstream = T(1);
    std::size_t end = arrays.operand_end[root];
    for (std::size_t statement = root; statement >= first; --statement) {
      settle(arrays, fresh, statement, upstream);
      const std::size_t previous = statement - 1;
      const std::size_t begin = arrays.operand_end[previous];
      if (begin == end) {
        statement = settle_leaf_run(arrays, fresh, statement, first, end);
        upstream = arrays.adjoint[statement - 1];
        continue;
      }
      // Skipping zero adjoints is not only faster: statements off the path to
      // the root must not turn an infinite partial into 0 * inf = NaN.
      if (upstream == T(0)) {
        upstream = arrays.adjoint[previous];
      } else if (arrays.operand_index[begin] == previous) {
        upstream = pass_on_chain(arrays, begin, end, previous, upstream);
      } else {
        upstream = pass_on(arrays, begin, end, previous, upstream);
      }
      end = begin;
    }
    if (first > 1) clear_scratch_before(arrays, first, root);
  }

  /// The gradient accumulated for `index` (0 before any `backward` reached it).
  T gradient(index_type index) const {
    if (index == 0) return T(0);
    this->check_recorded(index, "grad");
    return index < gradient_size_ ? gradient_.data()[index] : T(0);
  }

  /// out[i] = gradient(recorded[i].index()) for `count` values (vars, or
  /// anything else with an `index()` and a `generation()`), with the checks
  /// of `janus::var::grad`: one call for a whole array of inputs, the tape's
  /// arrays looked up once.
  /// A value that is not on the tape is reported before anything is written.
  template <class Recorded>
  void gradients(const Recorded* recorded, std::size_t count, T* out) const {
    if (count == 0) return;
    // The common case is an array as `make_leaves` records it: indices that
    // run on from the first, all of the current generation. One pass over
    // (generation, index) taken as one 64-bit number tells; it vectorises,
    // and the copy that follows is then one block. Otherwise a second pass
    // finds the largest index and checks the generations, and every load is
    // kept in range (the index clamped) and a select gives 0 to values
    // without a gradient slot: no branch per value either way.
    const index_type first = recorded[0].index();
    const generation_type current = generations_.current();
    const std::uint64_t expected = (std::uint64_t{current} << 32) | first;
    std::uint64_t off_the_run = 0;  // nonzero once a value is not the expected one (integer reductions vectorise)
    for (std::size_t i = 0; i < count; ++i)
      off_the_run |= ((std::uint64_t{recorded[i].generation()} << 32) | recorded[i].index()) ^ (expected + i);
    const bool consecutive = off_the_run == 0;
    std::size_t largest = std::size_t{first} + count - 1;
    if (!consecutive) {
      largest = 0;
      generation_type other = 0;  // nonzero once a recorded value is of another generation
      for (std::size_t i = 0; i < count; ++i) {
        const index_type index = recorded[i].index();
        largest = std::max<std::size_t>(largest, index);
        other |= (recorded[i].generation() ^ current) * static_cast<generation_type>(index != 0);
      }
      if (other != 0) [[unlikely]] {
        for (std::size_t i = 0; i < count; ++i)
          if (recorded[i].index() != 0) this->check_value("janus::tape::read_gradients", recorded[i].generation());
      }
    }
    if (largest >= statement_count_) [[unlikely]] this->throw_not_recorded("grad");
    const index_type slots = gradient_size_;
    if (slots == 0) {
      std::fill(out, out + count, T(0));
      return;
    }
    // Slot 0 (values that are not recorded) holds 0 once the array exists.
    const T* gradient = gradient_.data();
    if (consecutive) {
      const std::size_t with_slot = first < slots ? std::min<std::size_t>(count, slots - first) : 0;
      std::copy(gradient + first, gradient + first + with_slot, out);
      std::fill(out + with_slot, out + count, T(0));
      return;
    }
    for (std::size_t i = 0; i < count; ++i) {
      const index_type index = recorded[i].index();
      const T slot = gradient[std::min<index_type>(index, slots - 1)];
      out[i] = index < slots ? slot : T(0);
    }
  }

  void zero_gradient(index_type index) {
    if (index == 0) return;
    this->check_recorded(index, "zero_grad");
    if (index < gradient_size_) gradient_.data()[index] = T(0);
  }

 protected:
  tape_sweep() = default;
  ~tape_sweep() = default;

 private:
  using tape_storage<T>::adjoint_;
  using tape_storage<T>::generations_;
  using tape_storage<T>::gradient_;
  using tape_storage<T>::gradient_size_;
  using tape_storage<T>::operand_end_;
  using tape_storage<T>::operand_index_;
  using tape_storage<T>::operand_partial_;
  using tape_storage<T>::statement_count_;

  /// The arrays the sweep reads and writes, looked up once before the loop
  /// (held in registers through it). Passed by value to the functions of
  /// the loop, which are inlined: a copy of pointers is no copy at all, where
  /// a reference can keep the pointers in memory.
  struct sweep_arrays {
    T* adjoint;
    T* gradient;
    const index_type* operand_end;
    const index_type* operand_index;
    const T* operand_partial;
  };

  /// Gives every value up to `root` an adjoint slot and a gradient slot, and
  /// returns where the fresh gradient slots begin: those from `fresh` on
  /// belong to values recorded since the last sweep that reached them (or
  /// since a rewind), and start from zero.
  [[gnu::always_inline]] std::size_t make_gradient_slots(index_type root, index_type first) {
    const std::size_t count = std::size_t{root} + 1;
    if (adjoint_.capacity() < count) {
      // Zeroed once; every sweep leaves the slots it used at zero again, so
      // no sweep has to clear the array first.
      adjoint_.grow(count, 0);
      std::fill(adjoint_.data(), adjoint_.data() + adjoint_.capacity(), T(0));
    }
    const std::size_t fresh = gradient_size_;
    if (gradient_size_ < count) {
      gradient_.grow(count, gradient_size_);
      if (fresh < first) std::fill(gradient_.data() + fresh, gradient_.data() + first, T(0));
      gradient_size_ = static_cast<index_type>(count);
    }
    return fresh;
  }

  /// The adjoint of `statement`, `upstream`, is final when the loop reaches
  /// it: it goes into the gradient, and the slot is cleared for the next sweep.
  [[gnu::always_inline]] static void settle(const sweep_arrays arrays, std::size_t fresh, std::size_t statement,
                                            T upstream) {
    arrays.adjoint[statement] = T(0);
    arrays.gradient[statement] = (statement >= fresh ? T(0) : arrays.gradient[statement]) + upstream;
  }

  /// The run of leaves before `statement` (a leaf, whose operands would end
  /// at `end`): a statement without operands passes nothing on, and so do
  /// the ones before it up to the last statement with operands. Their
  /// adjoints are final, and go to the gradient in one loop that vectorises.
  /// Arrays of inputs (every weight of a layer) are such runs. Returns the
  /// run's first statement, which the loop goes on from.
  [[gnu::always_inline]] static std::size_t settle_leaf_run(const sweep_arrays arrays, std::size_t fresh,
                                                            std::size_t statement, index_type first,
                                                            std::size_t end) {
    const index_type* operand_end = arrays.operand_end;
    T* adjoint = arrays.adjoint;
    T* gradient = arrays.gradient;
    std::size_t run = statement;
    // The run's start, found eight statements at a time (a loop without
    // an early exit, which vectorises), then one at a time.
    constexpr std::size_t block = 8;
    while (run >= first + block) {
      bool leaves = true;
      for (std::size_t j = 2; j < block + 2; ++j) leaves &= operand_end[run - j] == end;
      if (!leaves) break;
      run -= block;
    }
    while (run - 1 >= first && operand_end[run - 2] == end) --run;
    const std::size_t stale_end = std::clamp(fresh, run, statement);
    for (std::size_t t = run; t < stale_end; ++t) {
      gradient[t] += adjoint[t];
      adjoint[t] = T(0);
    }
    for (std::size_t t = stale_end; t < statement; ++t) {
      gradient[t] = adjoint[t];
      adjoint[t] = T(0);
    }
    return run;
  }

  /// A statement's operands from `begin` to `end` receive `upstream` times
  /// their partials; returns the adjoint of the statement before it (`previous`),
  /// the next one the loop reaches.
  [[gnu::always_inline]] static T pass_on(const sweep_arrays arrays, std::size_t begin, std::size_t end,
                                          std::size_t previous, T upstream) {
    for (std::size_t k = begin; k < end; ++k)
      arrays.adjoint[arrays.operand_index[k]] += arrays.operand_partial[k] * upstream;
    return arrays.adjoint[previous];
  }

  /// `pass_on` for a chain, a statement whose first operand is the statement
  /// just before it (`previous`): that operand's adjoint is returned (for
  /// the next iteration, in a register), not stored.
  [[gnu::always_inline]] static T pass_on_chain(const sweep_arrays arrays, std::size_t begin, std::size_t end,
                                                std::size_t previous, T upstream) {
    for (std::size_t k = begin + 1; k < end; ++k)
      arrays.adjoint[arrays.operand_index[k]] += arrays.operand_partial[k] * upstream;
    return arrays.adjoint[previous] + arrays.operand_partial[begin] * upstream;
  }

  /// After a sweep that began at `first` > 1: the adjoint slots of inputs
  /// before `first`, which the loop filled without testing for them, are
  /// scratch; they are cleared for the next sweep.
  [[gnu::always_inline]] static void clear_scratch_before(const sweep_arrays arrays, index_type first,
                                                         index_type root) {
    for (std::size_t k = arrays.operand_end[first - 1]; k < arrays.operand_end[root]; ++k)
      if (arrays.operand_index[k] < first) arrays.adjoint[arrays.operand_index[k]] = T(0);
  }

  /// `backward` under janus::detect_anomaly: statement by statement, every
  /// contribution and sum checked before it is stored. Gradients are written
  /// only once the whole sweep has passed, so a sweep that throws leaves
  /// them as they were (and the adjoint scratch cleared). `fresh` is where
  /// the gradient slots stood before `backward` added the ones from there on.
  [[gnu::noinline]] void checked_backward(index_type root, index_type first, std::size_t fresh) {
    T* adjoint = adjoint_.data();
    T* gradient = gradient_.data();
    const index_type* operand_end = operand_end_.data();
    const index_type* operand_index = operand_index_.data();
    const T* operand_partial = operand_partial_.data();
    const auto clear_scratch = [&] {
      for (std::size_t statement = first; statement <= root; ++statement) adjoint[statement] = T(0);
      for (std::size_t k = operand_end[first - 1]; k < operand_end[root]; ++k) adjoint[operand_index[k]] = T(0);
    };
    const auto before = [&](std::size_t statement) { return statement >= fresh ? T(0) : gradient[statement]; };
    adjoint[root] = T(1);
    try {
      for (std::size_t statement = root; statement >= first; --statement) {
        const T upstream = adjoint[statement];
        if (!std::isfinite(before(statement) + upstream)) [[unlikely]]
          this->throw_gradient_anomaly(statement, before(statement), upstream);
        // The rule of every engine: an adjoint of 0 propagates nothing.
        if (upstream == T(0)) continue;
        for (std::size_t k = operand_end[statement - 1]; k < operand_end[statement]; ++k) {
          const T contribution = operand_partial[k] * upstream;
          const T sum = adjoint[operand_index[k]] + contribution;
          if (!std::isfinite(sum)) [[unlikely]]
            this->throw_backward_anomaly(statement, k, upstream, contribution, sum);
          adjoint[operand_index[k]] = sum;
        }
      }
    } catch (...) {
      clear_scratch();
      // The slots `backward` added hold nothing yet: they stay out of reach.
      gradient_size_ = static_cast<index_type>(std::min<std::size_t>(gradient_size_, fresh));
      throw;
    }
    for (std::size_t statement = first; statement <= root; ++statement)
      gradient[statement] = before(statement) + adjoint[statement];
    clear_scratch();
  }
};

}  // namespace janus::tape::detail
