// janus/optim/optimizer.hpp: optimizer, the base of the optimisers: the
// parameters it updates, zero_grad(), step() and the state carried between
// steps.
#pragma once

#include <cstddef>
#include <span>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "janus/tensor.hpp"

namespace janus::optim {

/// One kind of state an optimiser carries from step to step ("velocity",
/// "first_moment"): a buffer per parameter, of its size, in parameter order.
template <class T>
struct optimizer_state {
  std::string kind;
  std::vector<std::vector<T>> buffers;
  // A state that is never negative (a running mean of squares): a
  // checkpoint that holds a negative one is refused, since the optimiser
  // would take its square root.
  bool non_negative = false;
};

/// Holds handles to the parameters (sharing their storage) and one state
/// buffer per parameter for those optimisers that keep one. step() reads
/// each parameter's gradient and updates its values in place, outside the
/// tape: an update is not part of any computation to differentiate.
template <class T = float>
class optimizer {
 public:
  optimizer(std::vector<basic_tensor<T>> parameters, double learning_rate)
      : parameters_(std::move(parameters)) {
    for (const auto& parameter : parameters_)
      if (!parameter.requires_grad())
        throw std::invalid_argument("janus::optim: a parameter to optimise must require gradients");
    set_learning_rate(learning_rate);
  }
  virtual ~optimizer() = default;
  optimizer(const optimizer&) = delete;
  optimizer& operator=(const optimizer&) = delete;

  /// Clears every parameter's gradient, before the next backward().
  void zero_grad() {
    for (auto& parameter : parameters_) parameter.zero_grad();
  }

  /// Moves every parameter one step against its gradient. A parameter that
  /// has stopped requiring gradients since (requires_grad_(false)) is frozen.
  void step() {
    ++steps_;
    for (std::size_t i = 0; i < parameters_.size(); ++i)
      if (parameters_[i].requires_grad()) update(i, parameters_[i]);
  }

  /// The step size; a schedule changes it between steps.
  double learning_rate() const noexcept { return learning_rate_; }
  void set_learning_rate(double learning_rate) {
    if (!(learning_rate > 0)) throw std::invalid_argument("janus::optim: the learning rate must be positive");
    learning_rate_ = learning_rate;
  }

  /// How many steps have been taken (Adam's bias correction counts them).
  long steps() const noexcept { return steps_; }
  const std::vector<basic_tensor<T>>& parameters() const noexcept { return parameters_; }

  /// Everything the next step depends on besides the parameters, their
  /// gradients and the learning rate: the step count and every state
  /// buffer, in a fixed order (none for plain SGD). A training checkpoint
  /// writes them, and restores them through set_steps() and state_values(),
  /// so that a resumed run takes the very steps of an uninterrupted one.
  const std::vector<optimizer_state<T>>& state() const noexcept { return state_; }
  void set_steps(long steps) {
    if (steps < 0) throw std::invalid_argument("janus::optim: the step count must not be negative");
    steps_ = steps;
  }
  /// The buffer of state kind `kind` (an index into state()) for parameter `parameter`.
  std::span<T> state_values(std::size_t kind, std::size_t parameter) { return state_.at(kind).buffers.at(parameter); }

 protected:
  /// Updates parameter `index` (its values, from its gradient).
  virtual void update(std::size_t index, basic_tensor<T>& parameter) = 0;

  /// Adds a kind of state, zeroed, one buffer per parameter of its size;
  /// returns its index for state_values().
  std::size_t add_state(std::string kind, bool non_negative = false) {
    optimizer_state<T> added{std::move(kind), {}, non_negative};
    for (const auto& parameter : parameters_) added.buffers.emplace_back(parameter.numel(), T(0));
    state_.push_back(std::move(added));
    return state_.size() - 1;
  }

 private:
  std::vector<basic_tensor<T>> parameters_;
  double learning_rate_ = 0;
  long steps_ = 0;
  std::vector<optimizer_state<T>> state_;
};

}  // namespace janus::optim
