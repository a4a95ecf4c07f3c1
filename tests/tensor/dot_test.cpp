// to_dot: the recorded graph as Graphviz text with operations, shapes and labels.
#include <boost/test/unit_test.hpp>

#include "testing.hpp"

using namespace janus;

BOOST_AUTO_TEST_CASE(dot_names_operations_shapes_and_labels) {
  Tensor x = Tensor::ones({4, 3});
  Tensor w = Tensor::ones({2, 3}, true);
  Tensor b = Tensor::zeros({2}, true);
  x.label("images");
  w.label("weight");
  Tensor loss = sum(relu(linear(x, w, b)));
  loss.label("loss");
  const std::string dot = to_dot(loss);
  BOOST_TEST(dot.starts_with("digraph"));
  for (const char* part : {"linear", "relu", "sum", "images", "weight", "loss", "(4, 3)", "(2, 3)", "(4, 2)", "(2)"}) {
    BOOST_TEST(dot.find(part) != std::string::npos, "missing " << part);
  }
  // 4 tensors besides the root, 3 operations: each operation has one edge out.
  std::size_t edges = 0;
  for (std::size_t at = dot.find("->"); at != std::string::npos; at = dot.find("->", at + 1)) ++edges;
  BOOST_TEST(edges == 3u + 5u);  // 3 op -> output, 5 input -> op
  loss.backward();
  BOOST_TEST(to_dot(loss).find("linear") == std::string::npos);
}
