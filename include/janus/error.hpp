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

}  // namespace janus
