// Looking at graphs: one formula drawn as a static expression (its DAG), as a
// scalar tape recording, and a small tensor computation, written as DOT files
// and, where Graphviz's `dot` is installed, rendered to PNG.
//
//   graphs [output folder]      (default: out/graphs)
#include <janus/janus.hpp>
#include <janus/tape.hpp>
#include <janus/tensor.hpp>

#include "run_program.hpp"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

namespace {

bool write(const std::filesystem::path& file, const std::string& text) {
  std::ofstream out(file);
  out << text;
  return static_cast<bool>(out);
}

bool have_dot() { return examples::run_program({"dot", "-V"}, true); }

}  // namespace

int main(int argc, char** argv) {
  const std::filesystem::path folder = argc > 1 ? argv[1] : "out/graphs";
  std::error_code error;
  std::filesystem::create_directories(folder, error);
  if (error) {
    std::fprintf(stderr, "graphs: cannot create %s: %s\n", folder.string().c_str(), error.message().c_str());
    return 1;
  }

  // One formula, with a subexpression used three times.
  auto formula = [](auto x, auto y) {
    auto u = x * y;
    return u * u + sin(u) / y;
  };

  // Static engine: u is one node of the DAG with three arrows out.
  auto [x, y] = janus::variables(1.5, 2.0);
  const std::string static_dot = janus::to_dot(formula(x, y), {"x", "y"});

  // Scalar tape: the recording of the same lambda, with gradients after backward().
  const janus::var vx(1.5, "x"), vy(2.0, "y");
  janus::var f = formula(vx, vy);
  f.label("f");
  f.backward();
  const std::string tape_dot = janus::to_dot(f);

  // Tensor tape: a dense layer and a loss. Drawn before backward(), which
  // releases the graph.
  janus::Tensor input = janus::Tensor::ones({4, 3});
  janus::Tensor weight = janus::Tensor::full({3, 2}, 0.5f, true);
  janus::Tensor bias = janus::Tensor::zeros({2}, true);
  input.label("input");
  weight.label("weight");
  bias.label("bias");
  janus::Tensor loss = mean(square(tanh(matmul(input, weight) + bias)));
  loss.label("loss");
  const std::string tensor_dot = janus::to_dot(loss);

  const bool render = have_dot();
  if (!render)
    std::printf("graphs: the `dot` program (Graphviz) is not on PATH; writing DOT files only.\n"
                "        Install Graphviz, or render elsewhere with: dot -Tpng FILE.dot -o FILE.png\n");
  int failures = 0;
  for (const auto& [name, text] : {std::pair<const char*, const std::string&>{"static", static_dot},
                                   {"tape", tape_dot},
                                   {"tensor", tensor_dot}}) {
    const std::filesystem::path dot_file = folder / (std::string(name) + ".dot");
    if (!write(dot_file, text)) {
      std::fprintf(stderr, "graphs: cannot write %s\n", dot_file.string().c_str());
      ++failures;
      continue;
    }
    std::printf("wrote %s\n", dot_file.string().c_str());
    if (!render) continue;
    std::filesystem::path png_file = dot_file;
    png_file.replace_extension(".png");
    if (examples::run_program({"dot", "-Tpng", dot_file.string(), "-o", png_file.string()})) {
      std::printf("rendered %s\n", png_file.string().c_str());
    } else {
      std::fprintf(stderr, "graphs: dot failed on %s\n", dot_file.string().c_str());
      ++failures;
    }
  }
  return failures == 0 ? 0 : 1;
}
