// janus/nn/init.hpp: uniform_parameter, seeded initial values for a
// parameter, the same on every platform.
#pragma once

#include <cstddef>
#include <cstdint>
#include <random>
#include <vector>

#include "janus/tensor.hpp"

namespace janus::nn {

/// A tensor requiring gradients, its values uniform in [-bound, bound].
/// The mapping from the generator's 64-bit words to values is written out
/// here (std::uniform_real_distribution's is left to each standard library),
/// so one seed gives one network everywhere.
template <class T>
basic_tensor<T> uniform_parameter(std::vector<std::size_t> shape, double bound, std::mt19937_64& generator) {
  std::size_t count = 1;
  for (std::size_t size : shape) count *= size;
  std::vector<T> values(count);
  for (T& value : values) {
    const double unit = static_cast<double>(generator() >> 11) * 0x1.0p-53;  // in [0, 1)
    value = static_cast<T>((2.0 * unit - 1.0) * bound);
  }
  return basic_tensor<T>(std::move(shape), std::move(values), true);
}

}  // namespace janus::nn
