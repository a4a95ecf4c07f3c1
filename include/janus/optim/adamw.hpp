// janus/optim/adamw.hpp: adamw, Adam with decoupled weight decay
// (Loshchilov and Hutter), the parameters shrinking apart from the moments.
#pragma once

#include <utility>
#include <vector>

#include "janus/optim/adam.hpp"

namespace janus::optim {

struct adamw_options {
  double learning_rate = 1e-3;
  double beta1 = 0.9;
  double beta2 = 0.999;
  double epsilon = 1e-8;
  double weight_decay = 0.01;
};

template <class T = float>
class adamw : public adam<T> {
 public:
  adamw(std::vector<basic_tensor<T>> parameters, adamw_options options)
      : adam<T>(std::move(parameters), {.learning_rate = options.learning_rate,
                                        .beta1 = options.beta1,
                                        .beta2 = options.beta2,
                                        .epsilon = options.epsilon,
                                        .weight_decay = options.weight_decay,
                                        .decoupled_weight_decay = true}) {}
};

}  // namespace janus::optim
