// janus/data.hpp: data sets: the IDX reader (raw or gzip), MNIST, where to
// find it, and shuffled mini-batches.
#pragma once

#include "janus/data/batches.hpp"
#include "janus/data/error.hpp"
#include "janus/data/idx.hpp"
#include "janus/data/locate.hpp"
#include "janus/data/mnist.hpp"
