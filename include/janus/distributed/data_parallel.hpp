// janus/distributed/data_parallel.hpp: data_parallel, a sequential model
// trained by several processes at once, each on its share of every batch,
// their gradients averaged over the whole batch.
//
// Each process holds the whole model and runs forward and backward on its
// rows of the global batch. While the backward pass goes on through the
// layers below, each layer's gradients, once complete, are already being
// added up over the processes (MPI_Iallreduce, in place); synchronize()
// sums the first layer's, which are complete last, and waits for them all
// before the optimiser's step. The average weighs each process by its
// number of rows, so that it is the gradient of the mean loss over the
// global batch whatever the split: the gradient one process would compute
// on the whole batch.
#pragma once

#include <mpi.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "janus/distributed/broadcast.hpp"
#include "janus/distributed/gradient_hook.hpp"
#include "janus/distributed/mpi_type.hpp"
#include "janus/nn/module.hpp"
#include "janus/nn/sequential.hpp"
#include "janus/tensor.hpp"

namespace janus::distributed {

struct data_parallel_options {
  /// true: a layer's all-reduce starts as soon as the backward pass has
  /// finished its gradients, and runs while the layers below it are swept.
  /// false: every all-reduce runs in synchronize() (to measure the gain).
  bool overlap = true;
};

/// Wraps a sequential model (its layers run in turn through this object;
/// the model keeps its parameters, under their own names). Every process of
/// the communicator makes one at the same point: the constructor copies
/// rank 0's parameters to the others. Per step, on every process:
///
///   janus::Tensor loss = cross_entropy(parallel(my_rows), my_labels);
///   optimizer.zero_grad();
///   loss.backward();          // each layer's all-reduce starts as its gradients complete
///   parallel.synchronize();   // every process now holds the global batch's gradient
///   optimizer.step();
///
/// A process whose share of a batch is empty skips forward and backward
/// but still calls synchronize(). Forward under janus::no_grad only
/// evaluates and takes no part in a step.
template <class T = float>
class data_parallel : public nn::module<T> {
 public:
  explicit data_parallel(nn::sequential<T>& model, MPI_Comm communicator = MPI_COMM_WORLD,
                         data_parallel_options options = {})
      : model_(model), options_(options) {
    // Its own communicator: its collectives, started at points of the
    // backward pass, never pair with the caller's on MPI_COMM_WORLD.
    MPI_Comm_dup(communicator, &communicator_);
    MPI_Comm_rank(communicator_, &rank_);
    MPI_Comm_size(communicator_, &size_);
    broadcast_parameters(model_, 0, communicator_);
    for (std::size_t i = 0; i < model_.size(); ++i) {
      std::vector<basic_tensor<T>> layer;
      for (auto& parameter : model_[i].parameters())
        if (parameter.requires_grad()) layer.push_back(parameter);
      layer_bucket_.push_back(layer.empty() ? no_bucket : buckets_.size());
      if (!layer.empty()) buckets_.push_back(std::move(layer));
    }
  }

  ~data_parallel() override {
    // A step cut short (an exception between forward and synchronize) has
    // reductions in flight that write into the gradients: they end first.
    if (step_open_) {
      MPI_Wait(&rows_request_, MPI_STATUS_IGNORE);
      MPI_Waitall(static_cast<int>(requests_.size()), requests_.data(), MPI_STATUSES_IGNORE);
    }
    MPI_Comm_free(&communicator_);
  }
  data_parallel(const data_parallel&) = delete;
  data_parallel& operator=(const data_parallel&) = delete;

  basic_tensor<T> forward(const basic_tensor<T>& input) override {
    if (!janus::is_recording()) return model_(input);
    if (step_open_)
      throw std::logic_error("janus::distributed::data_parallel: forward() twice in a step; call synchronize() "
                             "after each backward()");
    open_step(input.dim() >= 2 ? input.shape()[0] : 1);  // (batch, ...) or one sample
    basic_tensor<T> x = input;
    for (std::size_t i = 0; i < model_.size(); ++i) {
      // Recorded before layer i, so swept just after it: its gradients are complete.
      if (layer_bucket_[i] != no_bucket && layer_bucket_[i] >= first_overlapped())
        x = on_gradient(x, [this, bucket = layer_bucket_[i]](std::span<T>) { start_through(bucket); });
      x = model_[i](x);
    }
    // Swept first: the loss's gradient enters weighted by this process's share of the rows.
    return on_gradient(x, [this](std::span<T> gradient) {
      const T share = this->share();
      for (T& value : gradient) value *= share;
    });
  }

  /// Waits until every process holds the gradient of the mean loss over the
  /// global batch; call after backward(), before the optimiser's step.
  void synchronize() {
    if (!step_open_) {
      // No rows here this step: this process adds zeros.
      model_.zero_grad();
      open_step(0);
    }
    start_through(first_overlapped());
    // The rest has no backward pass left to hide behind: blocking sums,
    // which Open MPI runs faster than non-blocking ones.
    for (std::size_t bucket = first_overlapped(); bucket-- > 0;)
      for (auto& parameter : buckets_[bucket])
        MPI_Allreduce(MPI_IN_PLACE, parameter.grad_data(), mpi_count(parameter.numel()), mpi_type<T>(), MPI_SUM,
                      communicator_);
    MPI_Wait(&rows_request_, MPI_STATUS_IGNORE);
    MPI_Waitall(static_cast<int>(requests_.size()), requests_.data(), MPI_STATUSES_IGNORE);
    requests_.clear();
    step_open_ = false;
  }

  void collect_parameters(const std::string& prefix, std::vector<nn::named_parameter<T>>& out) const override {
    model_.collect_parameters(prefix, out);
  }

  int rank() const noexcept { return rank_; }
  int size() const noexcept { return size_; }

 private:
  static constexpr std::size_t no_bucket = static_cast<std::size_t>(-1);

  // Every process starts its collectives in one order, and of one kind
  // (MPI pairs a non-blocking collective only with a non-blocking one): the
  // row count; the layers from first_overlapped() up, non-blocking, from the
  // last layer down, whether a marker starts them or synchronize(), on a
  // process without rows; then the layers below, blocking. start_through()
  // keeps the order when a marker does not fire, by starting every layer
  // above it first.
  std::size_t first_overlapped() const { return options_.overlap ? 1 : buckets_.size(); }

  void open_step(std::size_t rows) {
    local_rows_ = rows;
    global_rows_ = rows;
    MPI_Iallreduce(MPI_IN_PLACE, &global_rows_, 1, mpi_type<std::uint64_t>(), MPI_SUM, communicator_, &rows_request_);
    unstarted_ = buckets_.size();
    step_open_ = true;
  }

  void start_through(std::size_t bucket) {
    while (unstarted_ > bucket) {
      --unstarted_;
      for (auto& parameter : buckets_[unstarted_]) {
        requests_.emplace_back();
        MPI_Iallreduce(MPI_IN_PLACE, parameter.grad_data(), mpi_count(parameter.numel()), mpi_type<T>(), MPI_SUM,
                       communicator_, &requests_.back());
      }
    }
  }

  // This process's rows over the global batch's: the weight of its gradient.
  T share() {
    MPI_Wait(&rows_request_, MPI_STATUS_IGNORE);
    return global_rows_ == 0 ? T(0) : static_cast<T>(local_rows_) / static_cast<T>(global_rows_);
  }

  nn::sequential<T>& model_;
  data_parallel_options options_;
  MPI_Comm communicator_ = MPI_COMM_NULL;
  int rank_ = 0;
  int size_ = 1;
  std::vector<std::vector<basic_tensor<T>>> buckets_;  // per layer with parameters, in layer order
  std::vector<std::size_t> layer_bucket_;              // per layer: its bucket, or no_bucket
  bool step_open_ = false;
  std::size_t unstarted_ = 0;  // buckets [unstarted_, end) have started this step
  std::uint64_t local_rows_ = 0;
  std::uint64_t global_rows_ = 0;
  MPI_Request rows_request_ = MPI_REQUEST_NULL;
  std::vector<MPI_Request> requests_;
};

}  // namespace janus::distributed
