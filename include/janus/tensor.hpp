// janus/tensor.hpp: janus::Tensor, the tensor half of the dynamic engine (everything in one include).
#pragma once

#include "janus/error.hpp"
#include "janus/tape/anomaly.hpp"
#include "janus/tape/recording.hpp"
#include "janus/tensor/arithmetic.hpp"
#include "janus/tensor/basic_tensor.hpp"
#include "janus/tensor/dot.hpp"
#include "janus/tensor/elementwise.hpp"
#include "janus/tensor/functions.hpp"
#include "janus/tensor/indexing.hpp"
#include "janus/tensor/layout.hpp"
#include "janus/tensor/linear.hpp"
#include "janus/tensor/loss.hpp"
#include "janus/tensor/matmul.hpp"
#include "janus/tensor/reduce.hpp"
#include "janus/tensor/softmax.hpp"
