// janus/static.hpp: the static engine: expression trees whose gradients are
// generated at compile time.
#pragma once

#include "janus/static/arrays.hpp"
#include "janus/static/checked.hpp"
#include "janus/static/dot.hpp"
#include "janus/static/expression.hpp"
#include "janus/static/functions.hpp"
#include "janus/static/gradient.hpp"
#include "janus/static/sum.hpp"
