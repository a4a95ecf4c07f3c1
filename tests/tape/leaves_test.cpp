// Tests of janus::tape::make_leaves and read_gradients, and of the reverse
// sweep over runs of leaves, which moves their adjoints into the gradient in
// one loop: accumulation across sweeps, leaves recorded between operations,
// partial sweeps that start inside a run, and values under no_grad.
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <cstddef>
#include <stdexcept>
#include <string>
#include <vector>

#include "janus/tape.hpp"

namespace {

using janus::var;

// sum(w_i^2 * i): d/dw_i = 2 w_i i.
var weighted_squares(const std::vector<var>& w) {
  var total = 0.0;
  for (std::size_t i = 0; i < w.size(); ++i) total += w[i] * w[i] * static_cast<double>(i);
  return total;
}

std::vector<double> some_values(std::size_t count) {
  std::vector<double> values(count);
  for (std::size_t i = 0; i < count; ++i) values[i] = 0.5 + 0.25 * static_cast<double>(i);
  return values;
}

}  // namespace

BOOST_AUTO_TEST_CASE(make_leaves_records_consecutive_leaves_that_take_gradients) {
  const janus::tape::scope iteration;
  const auto values = some_values(40);
  std::vector<var> w(values.size());
  janus::tape::make_leaves(values, w);
  for (std::size_t i = 0; i < w.size(); ++i) {
    BOOST_TEST(w[i].value() == values[i]);
    BOOST_TEST(w[i].requires_grad());
    if (i > 0) BOOST_TEST(w[i].index() == w[i - 1].index() + 1);
  }
  weighted_squares(w).backward();
  std::vector<double> gradient(w.size());
  janus::tape::read_gradients(w, gradient);
  for (std::size_t i = 0; i < w.size(); ++i) {
    BOOST_TEST(gradient[i] == 2.0 * values[i] * static_cast<double>(i));
    BOOST_TEST(gradient[i] == w[i].grad());
  }
}

BOOST_AUTO_TEST_CASE(sizes_that_differ_are_named_in_the_error) {
  const janus::tape::scope iteration;
  const auto values = some_values(3);
  std::vector<var> w(4);
  try {
    janus::tape::make_leaves(values, w);
    BOOST_ERROR("make_leaves accepted 3 values for 4 vars");
  } catch (const std::invalid_argument& error) {
    const std::string message = error.what();
    BOOST_TEST(message.find("make_leaves") != std::string::npos);
    BOOST_TEST(message.find('3') != std::string::npos);
    BOOST_TEST(message.find('4') != std::string::npos);
  }
  std::vector<double> gradient(5);
  BOOST_CHECK_THROW(janus::tape::read_gradients(w, gradient), std::invalid_argument);
}

BOOST_AUTO_TEST_CASE(under_no_grad_the_leaves_are_constants) {
  const janus::tape::scope iteration;
  const auto values = some_values(5);
  std::vector<var> w(values.size());
  {
    const janus::no_grad values_only;
    janus::tape::make_leaves(values, w);
  }
  std::vector<double> gradient(w.size(), -1.0);
  janus::tape::read_gradients(w, gradient);
  for (std::size_t i = 0; i < w.size(); ++i) {
    BOOST_TEST(w[i].value() == values[i]);
    BOOST_TEST(!w[i].requires_grad());
    BOOST_TEST(gradient[i] == 0.0);
  }
}

BOOST_AUTO_TEST_CASE(reading_gradients_of_forgotten_leaves_throws) {
  std::vector<var> w(3);
  {
    const janus::tape::scope iteration;
    janus::tape::make_leaves(some_values(3), w);
  }
  std::vector<double> gradient(3);
  BOOST_CHECK_THROW(janus::tape::read_gradients(w, gradient), std::logic_error);
}

// Two sweeps from different roots through the same run of leaves: the
// gradients add up, and the second sweep finds no adjoint the first left.
// Leaves recorded after the first sweep (a fresh run) start from zero.
BOOST_AUTO_TEST_CASE(runs_of_leaves_accumulate_across_sweeps_and_start_fresh) {
  const janus::tape::scope iteration;
  std::vector<var> w(8);
  janus::tape::make_leaves(some_values(8), w);
  weighted_squares(w).backward();
  std::vector<var> more(6);
  janus::tape::make_leaves(some_values(6), more);
  var second = 0.0;
  for (std::size_t i = 0; i < more.size(); ++i) second += 3.0 * w[i] * more[i];
  second.backward();
  for (std::size_t i = 0; i < w.size(); ++i) {
    const double from_first = 2.0 * w[i].value() * static_cast<double>(i);
    const double from_second = i < more.size() ? 3.0 * more[i].value() : 0.0;
    BOOST_TEST(w[i].grad() == from_first + from_second);
  }
  for (std::size_t i = 0; i < more.size(); ++i) BOOST_TEST(more[i].grad() == 3.0 * w[i].value());
}

// Leaves between operations make runs of one, and single leaves beside a
// run of make_leaves extend it; each gets exactly its own gradient.
BOOST_AUTO_TEST_CASE(leaves_between_operations_get_their_own_gradients) {
  const janus::tape::scope iteration;
  const var a = 2.0;
  const var b = a * a;
  const var c = 5.0;  // a run of one between two operations
  std::vector<var> w(4);
  janus::tape::make_leaves(some_values(4), w);
  const var d = 7.0;  // extends the run
  var total = b * c + d;
  for (const var& wi : w) total = total + wi * d;
  total.backward();
  double sum_w = 0.0;
  for (const var& wi : w) sum_w += wi.value();
  BOOST_TEST(a.grad() == 2.0 * 2.0 * 5.0);
  BOOST_TEST(c.grad() == 4.0);
  BOOST_TEST(d.grad() == 1.0 + sum_w);
  for (const var& wi : w) BOOST_TEST(wi.grad() == 7.0);
}

// janus::tape::grad sweeps from its inputs on; a run of leaves recorded
// before them is outside the sweep and keeps its gradients as they were.
BOOST_AUTO_TEST_CASE(a_partial_sweep_stops_inside_a_run_of_leaves) {
  const janus::tape::scope iteration;
  std::vector<var> before(5);
  janus::tape::make_leaves(some_values(5), before);
  const auto start = janus::tape::mark();
  std::vector<var> inside(5);
  janus::tape::make_leaves(some_values(5), inside);
  var total = 0.0;
  for (std::size_t i = 0; i < 5; ++i) total += before[i] * inside[i] * inside[i];
  janus::tape::this_thread_tape<double>().backward(total.index(), start.statements);
  for (std::size_t i = 0; i < 5; ++i) {
    BOOST_TEST(before[i].grad() == 0.0);
    BOOST_TEST(inside[i].grad() == 2.0 * before[i].value() * inside[i].value());
  }
  total.backward();  // the whole graph: now the earlier run gets its share
  for (std::size_t i = 0; i < 5; ++i) {
    BOOST_TEST(before[i].grad() == inside[i].value() * inside[i].value());
    BOOST_TEST(inside[i].grad() == 4.0 * before[i].value() * inside[i].value());
  }
}

// read_gradients copies a block when the vars run on from the first (as
// make_leaves records them) and reads var by var otherwise; both give what
// grad() gives, 0 for constants and for values no sweep has reached.
BOOST_AUTO_TEST_CASE(read_gradients_agrees_with_grad_in_any_order) {
  const janus::tape::scope iteration;
  std::vector<var> w(6);
  janus::tape::make_leaves(some_values(6), w);
  weighted_squares(w).backward();
  std::vector<var> later(3);  // recorded after the sweep: no gradient slot yet
  janus::tape::make_leaves(some_values(3), later);

  std::vector<var> mixed{w[4], w[1], var(), later[2], w[1] * 2.0, w[5], later[0]};
  std::vector<double> gradient(mixed.size(), -1.0);
  janus::tape::read_gradients(mixed, gradient);
  for (std::size_t i = 0; i < mixed.size(); ++i) BOOST_TEST(gradient[i] == mixed[i].grad());
  BOOST_TEST(gradient[0] == 2.0 * w[4].value() * 4.0);
  BOOST_TEST(gradient[2] == 0.0);
  BOOST_TEST(gradient[3] == 0.0);

  // A consecutive block that runs past the last slot a sweep reached: a
  // sweep from w2 gives slots up to w2 only.
  std::vector<var> block(5);
  janus::tape::make_leaves(some_values(5), block);
  block[2].backward();
  std::vector<double> block_gradient(block.size(), -1.0);
  janus::tape::read_gradients(block, block_gradient);
  for (std::size_t i = 0; i < block.size(); ++i) BOOST_TEST(block_gradient[i] == (i == 2 ? 1.0 : 0.0));
}

// Runs of every length from 1 to 19 between operations, and sweeps that
// start inside a long run at every offset: the sweep finds each run's start
// (eight statements at a time, then one), and every leaf gets exactly its own
// gradient, the ones before the sweep's start none.
BOOST_AUTO_TEST_CASE(runs_of_any_length_and_sweeps_from_any_offset) {
  const janus::tape::scope iteration;
  const var start_value = 1.0;
  var total = start_value;
  std::vector<std::vector<var>> runs;
  for (std::size_t length = 1; length < 20; ++length) {
    total = total * 1.5;  // an operation between two runs
    runs.emplace_back(length);
    janus::tape::make_leaves(some_values(length), runs.back());
  }
  for (std::size_t r = 0; r < runs.size(); ++r)
    for (std::size_t i = 0; i < runs[r].size(); ++i) total = total + runs[r][i] * static_cast<double>(r + 1);
  total.backward();
  // Through every operation between the runs, none taken for a leaf.
  BOOST_TEST(start_value.grad() == std::pow(1.5, 19), boost::test_tools::tolerance(1e-15));
  for (std::size_t r = 0; r < runs.size(); ++r)
    for (const var& leaf : runs[r]) BOOST_TEST(leaf.grad() == static_cast<double>(r + 1));

  for (std::size_t offset = 0; offset < 20; ++offset) {
    const janus::tape::scope attempt;
    std::vector<var> before(offset), after(20 - offset);
    janus::tape::make_leaves(some_values(offset), before);
    const auto start = janus::tape::mark();
    janus::tape::make_leaves(some_values(20 - offset), after);
    var sum = 0.0;
    for (const var& leaf : before) sum = sum + leaf * 2.0;
    for (const var& leaf : after) sum = sum + leaf * 3.0;
    janus::tape::this_thread_tape<double>().backward(sum.index(), start.statements);
    for (const var& leaf : before) BOOST_TEST(leaf.grad() == 0.0);
    for (const var& leaf : after) BOOST_TEST(leaf.grad() == 3.0);
  }
}
