// janus/tape.hpp: the scalar tape: `janus::var`, every rule of the table on
// it, `janus::tape::grad` and `value_and_grad` (numbers and arrays),
// `janus::sum` over vars, arrays of leaves,
// `janus::to_dot`, `janus::detect_anomaly`, and second derivatives and
// Jacobians of run-time size (`janus::tape::hessian`, `hvp`, `jacobian`).
#pragma once

#include "janus/tape/anomaly.hpp"
#include "janus/tape/array_sum.hpp"
#include "janus/tape/dot.hpp"
#include "janus/tape/functional.hpp"
#include "janus/tape/functions.hpp"
#include "janus/tape/leaves.hpp"
#include "janus/tape/recording.hpp"
#include "janus/tape/scalar_tape.hpp"
#include "janus/tape/second_order.hpp"
#include "janus/tape/var.hpp"
