// janus/optim.hpp: the optimisers: sgd (momentum, Nesterov, weight decay),
// adam and adamw.
#pragma once

#include "janus/optim/adam.hpp"
#include "janus/optim/adamw.hpp"
#include "janus/optim/optimizer.hpp"
#include "janus/optim/sgd.hpp"
