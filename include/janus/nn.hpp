// janus/nn.hpp: neural-network layers (linear, activations, sequential, mlp),
// losses, seeded initialisation and checkpoints.
#pragma once

#include "janus/nn/activation.hpp"
#include "janus/nn/checkpoint.hpp"
#include "janus/nn/init.hpp"
#include "janus/nn/linear.hpp"
#include "janus/nn/loss.hpp"
#include "janus/nn/mlp.hpp"
#include "janus/nn/module.hpp"
#include "janus/nn/sequential.hpp"
