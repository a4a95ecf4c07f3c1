// Misuses of the scalar tape that used to go unnoticed: a var recorded on
// another thread, a var used after the tape was reset, and no_grad guards
// destroyed out of order.
#include <boost/test/unit_test.hpp>

#include <future>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "janus/error.hpp"
#include "janus/tape.hpp"
#include "janus/tape/fuse.hpp"
#include "janus/tape/sum.hpp"

using janus::graph_error;
using janus::var;

namespace {

/// A predicate for BOOST_CHECK_EXCEPTION: the message holds `part`.
auto mentions(std::string part) {
  return [part = std::move(part)](const graph_error& error) {
    const std::string message = error.what();
    BOOST_TEST_INFO("message: " << message);
    return message.find(part) != std::string::npos;
  };
}

/// Thread A records b = a * 3 and stays alive until told to finish.
struct var_on_another_thread {
  var b;
  std::promise<void> recorded;
  std::promise<void> finish;
  std::thread thread;

  var_on_another_thread() {
    thread = std::thread([this] {
      const var a = 2.0;
      b = a * 3.0;
      recorded.set_value();
      finish.get_future().wait();
    });
    recorded.get_future().wait();
  }
  ~var_on_another_thread() {
    finish.set_value();
    thread.join();
  }
};

}  // namespace

// Operations record without looking at their operands' generations; what
// reads gradients refuses a value of another recording, or computed from one.

BOOST_AUTO_TEST_CASE(a_var_from_another_thread_is_refused) {
  janus::tape::reset();
  // This thread's tape holds more statements than the other's, so the
  // other thread's indices point at statements here.
  const var x = 1.0;
  const var y = x * 2.0;
  const var z = y * y;
  var_on_another_thread other;
  const auto foreign = mentions("was recorded on another thread's tape");
  const auto mixed = mentions("computed from vars of different recordings");
  BOOST_CHECK_EXCEPTION(other.b.backward(), graph_error, foreign);
  BOOST_CHECK_EXCEPTION((void)other.b.grad(), graph_error, foreign);
  BOOST_CHECK_EXCEPTION(other.b.zero_grad(), graph_error, foreign);
  BOOST_CHECK_EXCEPTION(sin(other.b).backward(), graph_error, foreign);
  BOOST_CHECK_EXCEPTION((other.b + 1.0).backward(), graph_error, foreign);
  BOOST_CHECK_EXCEPTION((void)janus::to_dot(other.b), graph_error, foreign);
  BOOST_CHECK_EXCEPTION((x * other.b).backward(), graph_error, mixed);
  BOOST_CHECK_EXCEPTION((other.b * x + y).backward(), graph_error, mixed);
  BOOST_CHECK_EXCEPTION(janus::tape::fuse([](auto p, auto q) { return p * q; }, x, other.b).backward(),
                        graph_error, mixed);
  BOOST_CHECK_EXCEPTION(janus::tape::sum(std::vector<double>{1.0, 2.0},
                                         [](double e, auto p, auto q) { return e * p * q; }, x, other.b)
                            .backward(),
                        graph_error, mixed);
  const std::vector<var> both{x, other.b};
  BOOST_CHECK_EXCEPTION(janus::tape::sum_each(both, [](auto v, std::size_t) { return v; }).backward(),
                        graph_error, mixed);
  std::vector<double> gradients(2);
  BOOST_CHECK_EXCEPTION(janus::tape::read_gradients(both, gradients), graph_error, foreign);
  // Nothing of it reached this thread's graph.
  z.backward();
  BOOST_TEST(x.grad() == 8.0);
  BOOST_TEST(y.grad() == 4.0);
}

BOOST_AUTO_TEST_CASE(a_var_used_after_a_reset_is_refused) {
  janus::tape::reset();
  const var x = 2.0;
  const var y = x * x;
  janus::tape::reset();
  // A new recording fills the slots x and y had.
  const var u = 5.0;
  const var v = u * 7.0;
  const var w = v * u;
  const auto stale = mentions("was recorded before this thread's tape was reset");
  BOOST_CHECK_EXCEPTION(y.backward(), graph_error, stale);
  BOOST_CHECK_EXCEPTION((void)x.grad(), graph_error, stale);
  BOOST_CHECK_EXCEPTION(x.zero_grad(), graph_error, stale);
  BOOST_CHECK_EXCEPTION(exp(x).backward(), graph_error, stale);
  BOOST_CHECK_EXCEPTION((x * u).backward(), graph_error, mentions("different recordings"));
  BOOST_CHECK_EXCEPTION((u * y).backward(), graph_error, mentions("different recordings"));
  std::vector<var> leaves{x, u};
  std::vector<double> gradients(2);
  BOOST_CHECK_EXCEPTION(janus::tape::read_gradients(leaves, gradients), graph_error, stale);
  w.backward();
  BOOST_TEST(u.grad() == 70.0);
  // The leaves of a new recording are usable again.
  janus::tape::make_leaves(std::vector<double>{1.0, 2.0}, leaves);
  (leaves[0] * leaves[1]).backward();
  janus::tape::read_gradients(leaves, gradients);
  BOOST_TEST(gradients[0] == 2.0);
  BOOST_TEST(gradients[1] == 1.0);
}

BOOST_AUTO_TEST_CASE(a_var_from_a_scope_at_the_start_of_the_tape_is_refused_after_it) {
  janus::tape::reset();
  std::optional<var> leaked;
  {
    const janus::tape::scope iteration;
    const var x = 3.0;
    leaked = x * x;
  }
  const var a = 1.0;
  const var b = a * 4.0;
  const var c = b * b;
  BOOST_CHECK_EXCEPTION(leaked->backward(), graph_error, mentions("reset"));
  BOOST_CHECK_EXCEPTION((*leaked * a).backward(), graph_error, mentions("different recordings"));
  c.backward();
  BOOST_TEST(a.grad() == 32.0);
}

BOOST_AUTO_TEST_CASE(vars_kept_across_rewinds_stay_usable) {
  janus::tape::reset();
  const var weight = 3.0;
  for (int round = 1; round <= 3; ++round) {
    const janus::tape::scope iteration;
    weight.zero_grad();
    const var input = static_cast<double>(round);
    (weight * input * weight).backward();
    BOOST_TEST(weight.grad() == 2.0 * 3.0 * round);
  }
  const auto [value, gradient] = janus::tape::value_and_grad([](auto p) { return p * p; }, 4.0);
  BOOST_TEST(value == 16.0);
  BOOST_TEST(gradient[0] == 8.0);
  const var later = weight * 2.0;
  later.backward();
  BOOST_TEST(weight.grad() == 2.0 * 3.0 * 3 + 2.0);
}

BOOST_AUTO_TEST_CASE(the_previous_checks_still_hold) {
  janus::tape::reset();
  const var x = 2.0;
  const auto start = janus::tape::mark();
  const var beyond = x * 3.0;
  janus::tape::rewind(start);
  // Beyond the end of the tape: reported as before, now as a graph_error.
  BOOST_CHECK_EXCEPTION((void)beyond.grad(), graph_error, mentions("not on this thread's tape"));
  const var constant = var::constant(2.0);
  BOOST_TEST(constant.grad() == 0.0);
  BOOST_TEST((constant * 2.0).value() == 4.0);
}

// no_grad: each guard pauses recording while it lives, whatever the order
// in which guards die.

BOOST_AUTO_TEST_CASE(no_grad_guards_destroyed_out_of_order) {
  auto first = std::make_unique<janus::no_grad>();
  auto second = std::make_unique<janus::no_grad>();
  BOOST_TEST(!janus::is_recording());
  first.reset();
  BOOST_TEST(!janus::is_recording());  // the second still lives
  second.reset();
  BOOST_TEST(janus::is_recording());
  const var x = 2.0;
  BOOST_TEST((x * x).requires_grad());
}

BOOST_AUTO_TEST_CASE(no_grad_guards_around_a_tape_gradient) {
  // Held by unique_ptr rather than std::optional: GCC 12 under
  // -fsanitize=thread warns, wrongly, that an optional's guard may be
  // destroyed uninitialised (-Wmaybe-uninitialized).
  auto outer = std::make_unique<janus::no_grad>();
  std::unique_ptr<janus::no_grad> inner;
  // tape::grad records even under no_grad; a guard made inside its function
  // pauses it, and one that outlives the call keeps pausing after it.
  const auto gradient = janus::tape::grad([&](auto p) {
    BOOST_TEST(janus::is_recording());
    const auto q = p * p;
    inner = std::make_unique<janus::no_grad>();
    BOOST_TEST(!janus::is_recording());
    outer.reset();  // an outer guard dying inside changes nothing here
    BOOST_TEST(!janus::is_recording());
    return q;
  })(3.0);
  BOOST_TEST(gradient[0] == 6.0);
  BOOST_TEST(!janus::is_recording());
  inner.reset();
  BOOST_TEST(janus::is_recording());
}
