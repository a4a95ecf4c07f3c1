// A rule of one's own: log(cosh(x)), its value and derivative written once,
// outside the library, then used through `janus::apply` by the static engine,
// the scalar tape and the tensor tape. The three gradients must agree with
// each other and with a central finite difference; the program fails if not.
#include <janus/janus.hpp>
#include <janus/tape.hpp>
#include <janus/tensor.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string_view>
#include <vector>

// log(cosh(x)) = |x| + log1p(e^{-2|x|}) - log 2, which never overflows;
// its derivative is tanh(x), computed from the input.
struct logcosh {
  static constexpr std::string_view name = "logcosh";
  static constexpr auto reads = janus::rules::pullback_reads::input;
  template <class T> static constexpr T value(T x) {
    using std::abs;
    using std::exp;
    using std::log;
    using std::log1p;
    const T a = abs(x);
    return a + log1p(exp(T(-2) * a)) - log(T(2));
  }
  template <class T> static constexpr T pullback(T x, T, T g) {
    using std::tanh;
    return g * tanh(x);
  }
};

namespace {

// The formula every engine runs: f(x, y) = logcosh(x * y) + x.
template <class X, class Y>
auto formula(const X& x, const Y& y) {
  return janus::apply(logcosh{}, x * y) + x;
}

double plain(double x, double y) { return logcosh::value(x * y) + x; }

bool close(double a, double b, double tolerance) {
  return std::abs(a - b) <= tolerance * std::max({1.0, std::abs(a), std::abs(b)});
}

}  // namespace

int main() {
  const double points[][2] = {{0.3, -1.2}, {2.0, 0.5}, {-4.0, 3.0}, {15.0, 30.0}};
  std::printf("%8s %8s | %-10s %14s %14s %14s %14s\n", "x", "y", "d/d", "static", "tape", "tensor", "finite diff");
  bool agree = true;
  for (const auto& p : points) {
    const double x0 = p[0], y0 = p[1];

    // Static engine.
    auto [x, y] = janus::variables(x0, y0);
    const auto g_static = janus::gradient(formula(x, y));
    const double d_static[2] = {g_static[x], g_static[y]};

    // Scalar tape.
    const janus::var vx(x0), vy(y0);
    const janus::var f = formula(vx, vy);
    f.backward();
    const double d_tape[2] = {vx.grad(), vy.grad()};

    // Tensor tape, in double, one element per tensor.
    using tensor = janus::basic_tensor<double>;
    const tensor tx({1}, {x0}, true), ty({1}, {y0}, true);
    sum(formula(tx, ty)).backward();
    const double d_tensor[2] = {tx.grad().item(), ty.grad().item()};

    // Central finite differences.
    const double h = 1e-6;
    const double d_fd[2] = {(plain(x0 + h, y0) - plain(x0 - h, y0)) / (2 * h),
                            (plain(x0, y0 + h) - plain(x0, y0 - h)) / (2 * h)};

    for (int i = 0; i < 2; ++i) {
      const bool ok = close(d_static[i], d_tape[i], 1e-12) && close(d_static[i], d_tensor[i], 1e-12) &&
                      close(d_static[i], d_fd[i], 1e-6);
      agree = agree && ok;
      std::printf("%8.3g %8.3g | %-10s %14.10f %14.10f %14.10f %14.10f %s\n", x0, y0, i == 0 ? "x" : "y",
                  d_static[i], d_tape[i], d_tensor[i], d_fd[i], ok ? "" : "DISAGREE");
    }
  }
  std::printf(agree ? "all engines agree\n" : "engines disagree\n");
  return agree ? 0 : 1;
}
