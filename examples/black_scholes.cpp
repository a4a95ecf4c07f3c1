// examples/black_scholes.cpp: the Greeks of a European call, by janus, checked
// against their closed forms.
//
// The price is written once, as a formula of five janus variables; one
// reverse sweep gives its sensitivities to all five. The second-order Greeks
// (gamma, vanna, volga and the rest) come from janus::hessian of the same
// formula written as a generic function: the reverse sweep run on dual
// numbers. The program prints them beside the textbook closed forms and
// exits with status 1 if any pair differs by more than 1e-10 relative.
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

  // The same formula as a function, for the Hessian: H[i][j] = d^2 C / dx_i dx_j
  // with x = (S, K, T, r, sigma).
  const auto price_of = [inv_sqrt2](auto S_, auto K_, auto T_, auto r_, auto sigma_) {
    const auto sd_ = sigma_ * sqrt(T_);
    const auto d1_ = (log(S_ / K_) + (r_ + 0.5 * sigma_ * sigma_) * T_) / sd_;
    const auto d2_ = d1_ - sd_;
    return S_ * (0.5 * erfc(-inv_sqrt2 * d1_)) - K_ * exp(-r_ * T_) * (0.5 * erfc(-inv_sqrt2 * d2_));
  };
  const auto H = janus::hessian(price_of)(spot, strike, maturity, rate, volatility);

  // The closed forms.
  const double sqrt_t = std::sqrt(maturity);
  const double x1 =
      (std::log(spot / strike) + (rate + 0.5 * volatility * volatility) * maturity) / (volatility * sqrt_t);
  const double x2 = x1 - volatility * sqrt_t;
  const double n1 = 0.5 * std::erfc(-inv_sqrt2 * x1);
  const double n2 = 0.5 * std::erfc(-inv_sqrt2 * x2);
  const double density = std::exp(-0.5 * x1 * x1) * std::numbers::inv_sqrtpi * inv_sqrt2;
  const double discount = std::exp(-rate * maturity);
  // Second order: with sd = sigma sqrt(T), phi(d2) K e^{-rT} = phi(d1) S, and
  // d(d1)/dT = (r + sigma^2 / 2) / sd - d1 / 2T.
  const double total_sd = volatility * sqrt_t;
  const double dd1_dt = (rate + 0.5 * volatility * volatility) / total_sd - x1 / (2 * maturity);

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
      {"gamma  d2C/dS2", H[0][0], density / (spot * total_sd)},
      {"vanna  d2C/dS dsigma", H[0][4], -density * x2 / volatility},
      {"volga  d2C/dsigma2", H[4][4], spot * density * sqrt_t * x1 * x2 / volatility},
      {"charm  d2C/dS dT", H[0][2], density * dd1_dt},
      {"dual gamma  d2C/dK2", H[1][1], spot * density / (strike * strike * total_sd)},
      {"vera  d2C/dr dsigma", H[3][4], -maturity * spot * density * x1 / volatility},
  };

  std::printf("European call: S = %g, K = %g, T = %g, r = %g, sigma = %g\n\n", spot, strike, maturity, rate,
              volatility);
  std::printf("%-22s %22s %22s %12s\n", "", "janus", "closed form", "difference");
  bool all_agree = true;
  for (const row& line : rows) {
    const double difference = line.janus - line.closed_form;
    const bool agrees = std::abs(difference) <= 1e-10 * std::max(std::abs(line.closed_form), 1e-300);
    all_agree = all_agree && agrees;
    std::printf("%-22s %22.15f %22.15f %12.3g%s\n", line.name, line.janus, line.closed_form, difference,
                agrees ? "" : "  <- disagrees");
  }
  if (!all_agree) {
    std::printf("\njanus and the closed forms disagree beyond 1e-10 relative\n");
    return 1;
  }
  std::printf("\nall agree within 1e-10 relative\n");
  return 0;
}
