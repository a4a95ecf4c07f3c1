#!/usr/bin/env python3
"""Compile-time cost of the static engine's gradients.

For each size N (25, 50, 100, 200 operations by default) this script writes a
random but reproducible formula of four variables as a generic lambda, with
intermediate `auto` locals that are used more than once, like real formulas.
Two programs are made from it:

  plain     the lambda called on doubles (the value only);
  gradient  janus::grad(lambda)(a, b, c, d).

A third program, the plain one with <janus/janus.hpp> included, shows how
much of the gradient's time is the cost of including the library at all.

Each is compiled once (g++, or --cxx) under /usr/bin/time, which gives the wall
seconds and the peak memory of the compiler. Then both are run on the same
inputs, read from the command line so nothing is folded at compile time: the
plain program prints f at the point and at shifted points, from which a
fourth-order central finite difference is taken and compared with the gradient
program's output (relative tolerance 1e-6, relative to the gradient's size).

Generated C++ goes to a temporary folder, never into the repository.

  python3 bench/compile_time/measure.py                 # plain-text table
  python3 bench/compile_time/measure.py --markdown      # markdown table
  python3 bench/compile_time/measure.py --flags "-O3 -march=native"

Exits 1 if a gradient is wrong, 2 if a program does not build, run, or
compile within --timeout seconds, 0 otherwise.
"""
import argparse
import math
import os
import random
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
VARS = ["a", "b", "c", "d"]
POINT = [0.7, -0.4, 1.3, 0.25]
STEP = 1e-3
TOLERANCE = 1e-6


def const(rng):
    return "%.3f" % rng.uniform(0.25, 2.5)


class Formula:
    """A straight-line formula with exactly n operations (+ - * / and rules)."""

    def __init__(self, n, seed):
        self.rng = random.Random(seed)
        self.lines = []
        self.ops = 0
        # name -> value at POINT, used to keep every intermediate finite and moderate
        self.values = dict(zip(VARS, POINT))
        self.uses = {v: 0 for v in VARS}
        self.build(n)

    def pick(self):
        """An operand: unused locals first, otherwise one of the recent ones."""
        names = list(self.values)
        unused = [x for x in names[len(VARS):] if self.uses[x] == 0]
        u = self.rng.random()
        if unused and u < 0.45:
            name = self.rng.choice(unused[-4:])
        elif u < 0.85:
            name = self.rng.choice(names[-6:])
        else:
            name = self.rng.choice(VARS)
        return name

    def candidate(self):
        """(expression text, operation count, value) for one new local."""
        r = self.rng
        x, y = self.pick(), self.pick()
        vx, vy = self.values[x], self.values[y]
        kind = r.choice(["add", "sub", "mul", "div", "cadd", "cmul",
                         "sin", "cos", "tanh", "exp", "log", "sqrt"])
        k = const(r)
        kv = float(k)
        if kind == "add":
            return f"{x} + {y}", 1, vx + vy, [x, y]
        if kind == "sub":
            return f"{x} - {y}", 1, vx - vy, [x, y]
        if kind == "mul":
            return f"{x} * {y}", 1, vx * vy, [x, y]
        if kind == "div":   # the denominator kept away from zero
            return f"{x} / ({k} + {y} * {y})", 3, vx / (kv + vy * vy), [x, y]
        if kind == "cadd":
            return f"{k} - {x}", 1, kv - vx, [x]
        if kind == "cmul":
            return f"{k} * {x}", 1, kv * vx, [x]
        if kind == "sin":
            return f"sin({x})", 1, math.sin(vx), [x]
        if kind == "cos":
            return f"cos({x})", 1, math.cos(vx), [x]
        if kind == "tanh":
            return f"tanh({x})", 1, math.tanh(vx), [x]
        if kind == "exp":   # bounded argument
            return f"exp(tanh({x}))", 2, math.exp(math.tanh(vx)), [x]
        if kind == "log":
            return f"log(1.0 + {x} * {x})", 3, math.log(1.0 + vx * vx), [x]
        return f"sqrt({k} + {x} * {x})", 3, math.sqrt(kv + vx * vx), [x]

    def build(self, n):
        i = 0
        while True:
            unused = [x for x in list(self.values)[len(VARS):] if self.uses[x] == 0]
            # operations still needed to sum the unused locals at the end
            if self.ops + max(len(unused) - 1, 0) >= n - 1:
                break
            text, cost, value, used = self.candidate()
            if self.ops + cost + max(len(unused) - 1, 0) > n or not (1e-3 < abs(value) < 20.0):
                continue
            name = f"t{i}"
            i += 1
            for u in used:
                self.uses[u] += 1
            self.values[name] = value
            self.uses[name] = 0
            self.ops += cost
            self.lines.append(f"    auto {name} = {text};")
        unused = [x for x in list(self.values)[len(VARS):] if self.uses[x] == 0]
        if not unused:
            unused = [list(self.values)[-1]]
        result = " + ".join(unused)
        self.ops += len(unused) - 1
        while self.ops < n:   # pad with constant multiplies, one operation each
            result = f"{const(self.rng)} * ({result})"
            self.ops += 1
        self.result = result
        self.reused = sum(1 for x in list(self.values)[len(VARS):] if self.uses[x] > 1)

    def lambda_text(self):
        body = "\n".join(self.lines)
        return ("const auto f = [](auto a, auto b, auto c, auto d) {\n"
                "    using std::sin; using std::cos; using std::tanh;\n"
                "    using std::exp; using std::log; using std::sqrt;\n"
                f"{body}\n    return {self.result};\n}};\n")


HEADER_PLAIN = "#include <cmath>\n#include <cstdio>\n#include <cstdlib>\n\n"
HEADER_GRAD = "#include <janus/janus.hpp>\n\n#include <cmath>\n#include <cstdio>\n#include <cstdlib>\n\n"

MAIN_PLAIN = r"""
// Prints f at x and at x +- h, x +- 2h along each axis (x and h from argv).
int main(int argc, char** argv) {
    if (argc < 6) return 2;
    double x[4];
    for (int i = 0; i < 4; ++i) x[i] = std::strtod(argv[i + 1], nullptr);
    const double h = std::strtod(argv[5], nullptr);
    std::printf("%.17g\n", f(x[0], x[1], x[2], x[3]));
    for (int i = 0; i < 4; ++i) {
        for (int s = -2; s <= 2; ++s) {
            if (s == 0) continue;
            double y[4] = {x[0], x[1], x[2], x[3]};
            y[i] += s * h;
            std::printf("%.17g\n", f(y[0], y[1], y[2], y[3]));
        }
    }
}
"""

MAIN_GRAD = r"""
// Prints the gradient of f at x (x from argv).
int main(int argc, char** argv) {
    if (argc < 5) return 2;
    double x[4];
    for (int i = 0; i < 4; ++i) x[i] = std::strtod(argv[i + 1], nullptr);
    const auto g = janus::grad(f)(x[0], x[1], x[2], x[3]);
    for (double v : g) std::printf("%.17g\n", v);
}
"""


class TimedOut(Exception):
    pass


def compile_one(source, binary, flags, timeout, cxx="g++"):
    """(wall seconds, peak MB) of one compilation, or raises with the log."""
    timing = binary + ".time"
    cmd = ["/usr/bin/time", "-f", "%e %M", "-o", timing,
           cxx, "-std=c++20", *flags, "-I" + os.path.join(REPO, "include"),
           source, "-o", binary]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)
    try:
        _, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)   # the compiler too, not only /usr/bin/time
        proc.communicate()
        raise TimedOut(timeout)
    if proc.returncode != 0:
        raise RuntimeError("compilation failed:\n" + err[-4000:])
    with open(timing) as fh:
        seconds, kb = fh.read().split()[-2:]
    return float(seconds), int(kb) / 1024.0


def run(binary, args):
    proc = subprocess.run([binary, *args], capture_output=True, text=True, check=True)
    return [float(v) for v in proc.stdout.split()]


def check(plain_bin, grad_bin):
    """(ok, max relative error) of the gradient against finite differences."""
    point = ["%.17g" % v for v in POINT]
    values = run(plain_bin, point + ["%.17g" % STEP])
    grad = run(grad_bin, point)
    fd = []
    for i in range(4):
        m2, m1, p1, p2 = values[1 + 4 * i: 5 + 4 * i]
        fd.append((m2 - 8 * m1 + 8 * p1 - p2) / (12 * STEP))
    scale = max(1.0, max(abs(v) for v in fd))
    err = max(abs(g - d) for g, d in zip(grad, fd)) / scale
    finite = all(math.isfinite(v) for v in grad + fd)
    return finite and len(grad) == 4 and err <= TOLERANCE, err


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--cxx", default="g++", help="the compiler (default g++), e.g. clang++-16")
    ap.add_argument("--sizes", default="25,50,100,200", help="operation counts, comma separated")
    ap.add_argument("--flags", default="-O2", help='compiler flags besides -std=c++20 (default "-O2")')
    ap.add_argument("--seed", type=int, default=5, help="seed of the formula generator")
    ap.add_argument("--markdown", action="store_true", help="print the table in markdown")
    ap.add_argument("--timeout", type=float, default=1200,
                    help="seconds allowed to one compilation (default 1200)")
    ap.add_argument("--keep", action="store_true", help="keep the generated sources and print where")
    args = ap.parse_args()
    flags = shlex.split(args.flags)
    sizes = [int(s) for s in args.sizes.split(",")]

    work = tempfile.mkdtemp(prefix="janus-compile-time-")
    rows, wrong, unbuilt = [], False, False
    try:
        for n in sizes:
            formula = Formula(n, args.seed * 1000 + n)
            lam = formula.lambda_text()
            plain_src = os.path.join(work, f"plain_{n}.cpp")
            grad_src = os.path.join(work, f"grad_{n}.cpp")
            header_src = os.path.join(work, f"header_{n}.cpp")
            with open(plain_src, "w") as fh:
                fh.write(HEADER_PLAIN + lam + MAIN_PLAIN)
            with open(header_src, "w") as fh:
                fh.write(HEADER_GRAD + lam + MAIN_PLAIN)
            with open(grad_src, "w") as fh:
                fh.write(HEADER_GRAD + lam + MAIN_GRAD)
            row = {"n": formula.ops, "locals": len(formula.lines), "reused": formula.reused}
            row.update(ps=math.nan, pm=math.nan, hs=math.nan, gs=math.nan, gm=math.nan)
            try:
                row["ps"], row["pm"] = compile_one(plain_src, os.path.join(work, f"plain_{n}"), flags, args.timeout, args.cxx)
                row["hs"], _ = compile_one(header_src, os.path.join(work, f"header_{n}"), flags, args.timeout, args.cxx)
                row["gs"], row["gm"] = compile_one(grad_src, os.path.join(work, f"grad_{n}"), flags, args.timeout, args.cxx)
                ok, err = check(os.path.join(work, f"plain_{n}"), os.path.join(work, f"grad_{n}"))
                row["ok"] = "yes" if ok else "NO (rel. error %.1e)" % err
                wrong |= not ok
            except TimedOut:
                row["ok"] = "not checked (compilation over %g s)" % args.timeout
                for key in ("ps", "hs", "gs"):
                    if math.isnan(row[key]):
                        row[key] = math.inf
                        break
                unbuilt = True
            except (RuntimeError, subprocess.CalledProcessError, ValueError) as e:
                print(f"N={n}: {e}", file=sys.stderr)
                row["ok"] = "NO (build or run failed)"
                unbuilt = True
            rows.append(row)
            print("N=%d: plain %.2f s %.0f MB, gradient %.2f s %.0f MB, correct: %s"
                  % (n, row["ps"], row["pm"], row["gs"], row["gm"], row["ok"]), file=sys.stderr, flush=True)
    finally:
        if args.keep:
            print("sources kept in " + work, file=sys.stderr)
        else:
            shutil.rmtree(work, ignore_errors=True)

    head = ["N", "locals (reused)", "plain s", "plain with janus.hpp s", "gradient s", "ratio",
            "plain MB", "gradient MB", "gradient correct"]
    def sec(v):
        return "> %g" % args.timeout if v == math.inf else "%.2f" % v

    def ratio(r):
        if r["gs"] == math.inf and math.isfinite(r["ps"]):
            return "> %.0f" % (args.timeout / r["ps"])
        return "%.2f" % (r["gs"] / r["ps"]) if r["ps"] > 0 else "nan"

    cells = [[str(r["n"]), f'{r["locals"]} ({r["reused"]})', sec(r["ps"]), sec(r["hs"]), sec(r["gs"]), ratio(r),
              "%.0f" % r["pm"], "%.0f" % r["gm"], r["ok"]] for r in rows]
    print(f"{args.cxx} -std=c++20 {args.flags} -I<repo>/include, seed {args.seed}")
    if args.markdown:
        print("| " + " | ".join(head) + " |")
        print("|" + "|".join("---:" for _ in head) + "|")
        for c in cells:
            print("| " + " | ".join(c) + " |")
    else:
        width = [max(len(h), *(len(c[i]) for c in cells)) for i, h in enumerate(head)]
        print("  ".join(h.rjust(w) for h, w in zip(head, width)))
        for c in cells:
            print("  ".join(v.rjust(w) for v, w in zip(c, width)))
    return 1 if wrong else 2 if unbuilt else 0


if __name__ == "__main__":
    sys.exit(main())
