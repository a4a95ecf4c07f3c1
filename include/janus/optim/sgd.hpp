// janus/optim/sgd.hpp: sgd, stochastic gradient descent with momentum,
// Nesterov momentum and weight decay.
#pragma once

#include <cstddef>
#include <stdexcept>
#include <vector>

#include "janus/optim/optimizer.hpp"

namespace janus::optim {

struct sgd_options {
  /// The initial step size; set_learning_rate() changes it later.
  double learning_rate = 0.01;
  double momentum = 0.0;
  bool nesterov = false;
  /// L2 penalty: weight_decay * p is added to the gradient.
  double weight_decay = 0.0;
};

/// With g the gradient (plus weight_decay * p), v the velocity (0 at first):
///   v <- momentum * v + g
///   p <- p - lr * v                     (plain momentum)
///   p <- p - lr * (g + momentum * v)    (Nesterov)
/// the same update as PyTorch's SGD without dampening, so learning rates carry over.
template <class T = float>
class sgd : public optimizer<T> {
 public:
  sgd(std::vector<basic_tensor<T>> parameters, sgd_options options)
      : optimizer<T>(std::move(parameters), options.learning_rate), options_(options) {
    if (options_.momentum < 0) throw std::invalid_argument("janus::optim::sgd: the momentum must not be negative");
    if (options_.nesterov && options_.momentum == 0)
      throw std::invalid_argument("janus::optim::sgd: Nesterov momentum needs a momentum above 0");
    if (options_.momentum != 0) velocity_ = this->add_state("velocity");
  }

  const sgd_options& options() const noexcept { return options_; }

 protected:
  void update(std::size_t index, basic_tensor<T>& parameter) override {
    T* values = parameter.data();
    const T* gradient = parameter.grad_data();
    const std::size_t n = parameter.numel();
    const T lr = static_cast<T>(this->learning_rate());
    const T decay = static_cast<T>(options_.weight_decay);
    if (options_.momentum == 0) {
      for (std::size_t i = 0; i < n; ++i) values[i] -= lr * (gradient[i] + decay * values[i]);
      return;
    }
    const T momentum = static_cast<T>(options_.momentum);
    T* velocity = this->state_values(velocity_, index).data();
    if (options_.nesterov) {
      for (std::size_t i = 0; i < n; ++i) {
        const T g = gradient[i] + decay * values[i];
        velocity[i] = momentum * velocity[i] + g;
        values[i] -= lr * (g + momentum * velocity[i]);
      }
    } else {
      for (std::size_t i = 0; i < n; ++i) {
        velocity[i] = momentum * velocity[i] + gradient[i] + decay * values[i];
        values[i] -= lr * velocity[i];
      }
    }
  }

 private:
  sgd_options options_;
  std::size_t velocity_ = 0;  // the index of its state, with momentum
};

}  // namespace janus::optim
