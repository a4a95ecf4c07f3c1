// janus/error.hpp: the exceptions janus throws for bad input.
#pragma once

#include <stdexcept>

namespace janus {

/// Shapes that do not fit an operation, or an index out of range. The message
/// names the operation and the shapes involved, e.g.
/// "matmul: inner sizes differ: (2, 3) and (4, 5)".
class shape_error : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

/// A request the recorded graph cannot answer, e.g. backward() on a tensor that
/// does not require a gradient, or on a graph already released.
class graph_error : public std::logic_error {
 public:
  using std::logic_error::logic_error;
};

/// A NaN or an infinity found by anomaly detection (`janus::detect_anomaly`,
/// `janus::checked_grad`). The message names the operation (the rule's name)
/// and its label where it has one, its input values, and the pass, e.g.
/// "janus::detect_anomaly: the forward pass of log gave -inf; inputs: 0".
class numeric_error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace janus
