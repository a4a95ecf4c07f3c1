// janus/janus.hpp: the rule table, the static engine, forward mode and
// second derivatives (target janus::janus).
#pragma once

#include "janus/forward.hpp"
#include "janus/rules.hpp"
#include "janus/static.hpp"
#include "janus/static/hessian.hpp"
