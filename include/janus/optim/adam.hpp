// janus/optim/adam.hpp: adam, the Adam optimiser (Kingma and Ba), with
// weight decay either as an L2 penalty (Adam) or decoupled (AdamW).
#pragma once

#include <cmath>
#include <cstddef>
#include <stdexcept>
#include <vector>

#include "janus/optim/optimizer.hpp"

namespace janus::optim {

struct adam_options {
  /// The initial step size; set_learning_rate() changes it later.
  double learning_rate = 1e-3;
  double beta1 = 0.9;
  double beta2 = 0.999;
  double epsilon = 1e-8;
  double weight_decay = 0.0;
  /// false: weight_decay * p joins the gradient (Adam's L2 penalty).
  /// true: p shrinks by lr * weight_decay * p apart from the moments (AdamW).
  bool decoupled_weight_decay = false;
};

/// At step t, with g the gradient:
///   m <- beta1 m + (1 - beta1) g,  v <- beta2 v + (1 - beta2) g^2
///   p <- p - lr * (m / (1 - beta1^t)) / (sqrt(v / (1 - beta2^t)) + epsilon)
template <class T = float>
class adam : public optimizer<T> {
 public:
  adam(std::vector<basic_tensor<T>> parameters, adam_options options)
      : optimizer<T>(std::move(parameters), options.learning_rate), options_(options) {
    if (options_.beta1 < 0 || options_.beta1 >= 1 || options_.beta2 < 0 || options_.beta2 >= 1)
      throw std::invalid_argument("janus::optim::adam: beta1 and beta2 must lie in [0, 1)");
    first_moment_ = this->add_state("first_moment");
    second_moment_ = this->add_state("second_moment", /*non_negative=*/true);
  }

  const adam_options& options() const noexcept { return options_; }

 protected:
  void update(std::size_t index, basic_tensor<T>& parameter) override {
    T* values = parameter.data();
    const T* gradient = parameter.grad_data();
    const std::size_t n = parameter.numel();
    const double t = static_cast<double>(this->steps());
    const T lr = static_cast<T>(this->learning_rate());
    const T beta1 = static_cast<T>(options_.beta1), beta2 = static_cast<T>(options_.beta2);
    const T correction1 = static_cast<T>(1 - std::pow(options_.beta1, t));
    const T correction2 = static_cast<T>(1 - std::pow(options_.beta2, t));
    const T epsilon = static_cast<T>(options_.epsilon);
    const T decay = static_cast<T>(options_.weight_decay);
    const T l2 = options_.decoupled_weight_decay ? T(0) : decay;
    const T shrink = options_.decoupled_weight_decay ? T(1) - lr * decay : T(1);
    T* m = this->state_values(first_moment_, index).data();
    T* v = this->state_values(second_moment_, index).data();
    for (std::size_t i = 0; i < n; ++i) {
      const T g = gradient[i] + l2 * values[i];
      m[i] = beta1 * m[i] + (T(1) - beta1) * g;
      v[i] = beta2 * v[i] + (T(1) - beta2) * g * g;
      using std::sqrt;
      values[i] = shrink * values[i] - lr * (m[i] / correction1) / (sqrt(v[i] / correction2) + epsilon);
    }
  }

 private:
  adam_options options_;
  std::size_t first_moment_;  // indices of their states
  std::size_t second_moment_;
};

}  // namespace janus::optim
