// janus/tape.hpp: the scalar tape: `janus::var`, every rule of the table on
// it, `janus::tape::grad` and `value_and_grad`, arrays of leaves,
// `janus::to_dot` and `janus::detect_anomaly`.
#pragma once

#include "janus/tape/anomaly.hpp"
#include "janus/tape/dot.hpp"
#include "janus/tape/functional.hpp"
#include "janus/tape/functions.hpp"
#include "janus/tape/leaves.hpp"
#include "janus/tape/recording.hpp"
#include "janus/tape/scalar_tape.hpp"
#include "janus/tape/var.hpp"
