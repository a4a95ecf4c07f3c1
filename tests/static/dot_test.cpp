// to_dot of a static expression: the DAG (shared subexpressions drawn once),
// labels of variables, constants and operations, and well-formed DOT text.
#include <boost/test/unit_test.hpp>

#include <janus/janus.hpp>

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace {

std::size_t count(const std::string& text, std::string_view part) {
  std::size_t n = 0;
  for (std::size_t at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++n;
  return n;
}

// Node statements: "  nK [label=...]" lines, edges are "  nA -> nB ...".
std::size_t node_count(const std::string& dot) {
  std::size_t n = 0;
  std::size_t begin = 0;
  for (std::size_t end = dot.find('\n'); end != std::string::npos; begin = end + 1, end = dot.find('\n', begin)) {
    const std::string_view line(dot.data() + begin, end - begin);
    if (line.starts_with("  n") && line.size() > 3 && line[3] >= '0' && line[3] <= '9' &&
        line.find("->") == std::string_view::npos) ++n;
  }
  return n;
}

bool balanced_braces(const std::string& text) {
  long depth = 0;
  for (const char c : text) {
    if (c == '{') ++depth;
    if (c == '}' && --depth < 0) return false;
  }
  return depth == 0;
}

}  // namespace

BOOST_AUTO_TEST_CASE(shared_subexpression_is_drawn_once) {
  auto [x, y] = janus::variables(3.0, 2.0);
  auto u = x * y;
  auto f = u * u + sin(u);
  const std::string dot = janus::to_dot(f);
  BOOST_TEST(dot.starts_with("digraph"));
  BOOST_TEST(balanced_braces(dot));
  // x, y, u = x*y, u*u, sin(u), the sum: six nodes, not the tree's nine.
  BOOST_TEST(node_count(dot) == 6u);
  BOOST_TEST(count(dot, "label=\"mul\"") == 2u);  // u and u*u
  BOOST_TEST(count(dot, "label=\"sin\"") == 1u);
  BOOST_TEST(count(dot, "label=\"add\"") == 1u);
  BOOST_TEST(count(dot, "label=\"x0 = 3\"") == 1u);
  BOOST_TEST(count(dot, "label=\"x1 = 2\"") == 1u);
  // Edges: u <- x, y; u*u <- u twice; sin <- u; add <- u*u, sin.
  BOOST_TEST(count(dot, " -> ") == 7u);
  // Post-order: x is n0, y is n1, u is n2; u feeds three uses.
  BOOST_TEST(dot.find("n0 -> n2") != std::string::npos);
  BOOST_TEST(dot.find("n1 -> n2") != std::string::npos);
  BOOST_TEST(count(dot, "n2 -> ") == 3u);
  BOOST_TEST(dot.find("n2 [label=\"mul\"") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(constants_and_names) {
  auto [x, y] = janus::variables(1.5, -0.25);
  auto f = 2.0 * exp(x) - y / 4.0;
  const std::string dot = janus::to_dot(f, {"rate", "shift"});
  BOOST_TEST(balanced_braces(dot));
  BOOST_TEST(count(dot, "label=\"rate = 1.5\"") == 1u);
  BOOST_TEST(count(dot, "label=\"shift = -0.25\"") == 1u);
  BOOST_TEST(count(dot, "label=\"2\", shape=plaintext") == 1u);
  BOOST_TEST(count(dot, "label=\"4\", shape=plaintext") == 1u);
  for (const char* op : {"exp", "mul", "div", "sub"}) {
    BOOST_TEST(count(dot, std::string("label=\"") + op + "\"") == 1u, "operation " << op);
  }
  // x, y, 2, 4, exp, mul, div, sub.
  BOOST_TEST(node_count(dot) == 8u);
  BOOST_TEST(count(dot, " -> ") == 7u);
  // A missing name falls back to the identity.
  const std::string partly = janus::to_dot(f, {"rate"});
  BOOST_TEST(partly.find("label=\"x1 = -0.25\"") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(equal_constants_at_different_places_stay_apart) {
  // Two constants 3 of one type are two nodes: a node's type alone does not
  // identify it, so only pure subtrees are shared.
  auto [x] = janus::variables(0.5);
  auto f = (x + 3.0) * (x + 3.0);
  const std::string dot = janus::to_dot(f);
  BOOST_TEST(count(dot, "label=\"x0 = 0.5\"") == 1u);
  BOOST_TEST(count(dot, "label=\"3\"") == 2u);
  BOOST_TEST(count(dot, "label=\"add\"") == 2u);
  BOOST_TEST(count(dot, "n0 -> ") == 2u);  // x feeds both sums
}

BOOST_AUTO_TEST_CASE(select_says_which_side_is_taken) {
  auto [x, y] = janus::variables(2.0, 5.0);
  const std::string dot = janus::to_dot(janus::select(janus::value(x) > 1.0, x * y, x + y));
  BOOST_TEST(dot.find("select (first taken)") != std::string::npos);
  BOOST_TEST(node_count(dot) == 5u);  // x, y, mul, add, select
  BOOST_TEST(dot.find("[label=\"0\"]") != std::string::npos);  // inputs are numbered
  BOOST_TEST(dot.find("[label=\"1\"]") != std::string::npos);
  const std::string other = janus::to_dot(janus::select(false, x * y, x + y));
  BOOST_TEST(other.find("select (second taken)") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(sum_is_one_node_over_its_variables) {
  const std::vector<double> data{1.0, 2.0, 4.0};
  auto [mu, sigma] = janus::variables(0.5, 2.0);
  auto f = janus::sum(data, [=](double d) { return square((d - mu) / sigma); });
  const std::string dot = janus::to_dot(f, {"mu", "sigma"});
  BOOST_TEST(dot.starts_with("digraph"));
  BOOST_TEST(balanced_braces(dot));
  BOOST_TEST(node_count(dot) == 3u);  // mu, sigma, sum
  BOOST_TEST(dot.find("label=\"sum\"") != std::string::npos);
  // Used only inside the body, the variables' values live in its captures.
  BOOST_TEST(dot.find("label=\"mu\"") != std::string::npos);
  BOOST_TEST(dot.find("label=\"sigma\"") != std::string::npos);
  BOOST_TEST(count(dot, " -> n2") == 2u);
  // Used outside the sum too, a variable is one node with its value.
  const std::string both = janus::to_dot(f + mu, {"mu", "sigma"});
  BOOST_TEST(node_count(both) == 4u);  // mu, sigma, sum, add
  BOOST_TEST(count(both, "label=\"mu = 0.5\"") == 1u);
  BOOST_TEST(count(both, "n0 -> ") == 2u);  // mu feeds the sum and the add
}

// An operand past the preaccumulation limit is drawn as one node over its
// variables, named for what it is.
BOOST_AUTO_TEST_CASE(a_preaccumulated_operand_is_one_node) {
  auto [x] = janus::variables(0.3);
  auto u = x;
  // Each step uses the previous twice and holds constants: past the limit
  // after a few steps.
  auto v = 0.5 * u * u + 0.1;
  auto w = 0.5 * v * v + 0.1;
  auto z = 0.5 * w * w + 0.1;
  auto f = 0.5 * z * z + 0.1;
  const std::string dot = janus::to_dot(f, {"x"});
  BOOST_TEST(balanced_braces(dot));
  BOOST_TEST(dot.find("label=\"preaccumulated\"") != std::string::npos);
  BOOST_TEST(dot.find("label=\"sum\"") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(quotes_in_names_are_escaped) {
  auto [x] = janus::variables(1.0);
  const std::string dot = janus::to_dot(x * x, {"a\"b"});
  BOOST_TEST(dot.find("a\\\"b = 1") != std::string::npos);
  BOOST_TEST(node_count(dot) == 2u);
}
