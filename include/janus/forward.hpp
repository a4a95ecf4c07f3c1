// janus/forward.hpp: forward mode: janus::dual and janus::multidual, every
// rule of the table on them, and janus::jvp.
#pragma once

#include "janus/forward/dual.hpp"
#include "janus/forward/functions.hpp"
#include "janus/forward/jvp.hpp"
#include "janus/forward/multidual.hpp"
