// examples/black_scholes.cpp: the Greeks of a European call, by janus, checked
// against their closed forms.
//
// The price is written once, as a formula of five janus variables; one
// reverse sweep gives its sensitivities to all five. The program prints them
// beside the textbook closed forms and exits with status 1 if any pair
// differs by more than 1e-10 relative.
#include <janus/janus.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numbers>

int main() {
  const double spot = 100.0, strike = 105.0, maturity = 0.75, rate = 0.03, volatility = 0.25;

  // The price with janus: C = S N(d1) - K e^{-rT} N(d2), N(x) = erfc(-x / sqrt 2) / 2.
  const auto [S, K, T, r, sigma] = janus::variables(spot, strike, maturity, rate, volatility);
  const double inv_sqrt2 = std::numbers::sqrt2 / 2;
  const auto sd = sigma * sqrt(T);
  const auto d1 = (log(S / K) + (r + 0.5 * sigma * sigma) * T) / sd;
  const auto d2 = d1 - sd;
  const auto call = S * (0.5 * erfc(-inv_sqrt2 * d1)) - K * exp(-r * T) * (0.5 * erfc(-inv_sqrt2 * d2));
  const auto [price, greeks] = janus::value_and_gradient(call);

  // The closed forms.
  const double sqrt_t = std::sqrt(maturity);
  const double x1 =
      (std::log(spot / strike) + (rate + 0.5 * volatility * volatility) * maturity) / (volatility * sqrt_t);
  const double x2 = x1 - volatility * sqrt_t;
  const double n1 = 0.5 * std::erfc(-inv_sqrt2 * x1);
  const double n2 = 0.5 * std::erfc(-inv_sqrt2 * x2);
  const double density = std::exp(-0.5 * x1 * x1) * std::numbers::inv_sqrtpi * inv_sqrt2;
  const double discount = std::exp(-rate * maturity);

  struct row {
    const char* name;
    double janus;
    double closed_form;
  };
  const row rows[] = {
      {"price", price, spot * n1 - strike * discount * n2},
      {"delta  dC/dS", greeks[S], n1},
      {"dual delta  dC/dK", greeks[K], -discount * n2},
      {"theta  -dC/dT", -greeks[T],
       -(spot * density * volatility / (2 * sqrt_t) + rate * strike * discount * n2)},
      {"rho  dC/dr", greeks[r], maturity * strike * discount * n2},
      {"vega  dC/dsigma", greeks[sigma], spot * density * sqrt_t},
  };

  std::printf("European call: S = %g, K = %g, T = %g, r = %g, sigma = %g\n\n", spot, strike, maturity, rate,
              volatility);
  std::printf("%-20s %22s %22s %12s\n", "", "janus", "closed form", "difference");
  bool all_agree = true;
  for (const row& line : rows) {
    const double difference = line.janus - line.closed_form;
    const bool agrees = std::abs(difference) <= 1e-10 * std::max(std::abs(line.closed_form), 1e-300);
    all_agree = all_agree && agrees;
    std::printf("%-20s %22.15f %22.15f %12.3g%s\n", line.name, line.janus, line.closed_form, difference,
                agrees ? "" : "  <- disagrees");
  }
  if (!all_agree) {
    std::printf("\njanus and the closed forms disagree beyond 1e-10 relative\n");
    return 1;
  }
  std::printf("\nall agree within 1e-10 relative\n");
  return 0;
}
