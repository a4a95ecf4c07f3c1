// janus::to_dot on the scalar tape.
#include <boost/test/unit_test.hpp>

#include <string>

#include "janus/tape.hpp"

namespace {
int count(const std::string& text, const std::string& what) {
  int n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}
}  // namespace

BOOST_AUTO_TEST_CASE(the_graph_leading_to_a_value) {
  const janus::tape::scope iteration;
  const janus::var a(2.0, "a"), b(-3.0, "b");
  const janus::var unrelated = a * 100.0;  // recorded, but not part of the graph of d
  static_cast<void>(unrelated);
  janus::var c = a * b;
  c.label("c");
  janus::var d = tanh(c + 1.0);  // one statement, drawn with the name of its last operation
  d.label("out|put");
  const std::string dot = janus::to_dot(d);
  BOOST_TEST(dot.rfind("digraph janus {", 0) == 0u);
  BOOST_TEST(count(dot, "[label=") == 4);  // a, b, mul, tanh
  BOOST_TEST(count(dot, " -> ") == 3);
  BOOST_TEST(dot.find("{a | input | value 2}") != std::string::npos, dot);
  BOOST_TEST(dot.find("{c | mul | value -6}") != std::string::npos, dot);
  BOOST_TEST(dot.find("tanh") != std::string::npos);
  BOOST_TEST(dot.find("out\\|put") != std::string::npos);  // escaped for a record label
  BOOST_TEST(dot.find("value 200") == std::string::npos);   // the unrelated product is left out
  BOOST_TEST(dot.find("grad") == std::string::npos);

  d.backward();
  const std::string swept = janus::to_dot(d);
  BOOST_TEST(swept.find("{a | input | value 2 | grad -0.00054475}") != std::string::npos, swept);
}

BOOST_AUTO_TEST_CASE(a_constant_is_drawn_alone) {
  const std::string dot = janus::to_dot(janus::var(1.5).detach());
  BOOST_TEST(count(dot, "[label=") == 1);
  BOOST_TEST(dot.find("constant | value 1.5") != std::string::npos, dot);
}
