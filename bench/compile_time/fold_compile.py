#!/usr/bin/env python3
"""Compile-time cost of the static engine on Rosenbrock's fold over N arguments.

For each N (10, 20, 40, 64 by default) this script writes Rosenbrock's
function of N scalar arguments as a generic lambda folding its N - 1 terms
over an index_sequence (the shape of bench/static_engine.cpp's and
bench/static_scale.cpp's `rosenbrock`), and makes two programs of it:

  plain     the fold on doubles (the value only), without janus;
  gradient  janus::grad(rosenbrock)(x...), the static engine.

Each is compiled once (or --repeat times, keeping the least time and the
most memory) with the compiler given by --cxx, `-std=c++20 -O3 -march=native`
by default, and the wall seconds, CPU seconds (user + system, steadier than
wall time on a shared machine) and peak memory of the compiler are recorded:
through /usr/bin/time when it exists, otherwise through
getrusage(RUSAGE_CHILDREN) in a fresh Python child per compilation. Both
programs then run on the same point, read from the command line so that
nothing is folded at compile time: the plain program's value and the
gradient program's gradient are compared with the closed forms (relative
tolerance 1e-10, relative to each entry's size).

The include cost is measured too: an empty `int main() {}` against the same
with `#include <janus/janus.hpp>`.

Generated C++ goes to a temporary folder, never into the repository. It
reuses REPO, TimedOut and run from bench/compile_time/measure.py.

  python3 bench/compile_time/fold_compile.py --cxx g++
  python3 bench/compile_time/fold_compile.py --cxx clang++-16 --markdown
  python3 bench/compile_time/fold_compile.py --sizes 10,20 --flags "-O2"

Exits 1 if a value or gradient is wrong, 2 if a program does not build, run,
or compile within --timeout seconds, 0 otherwise.
"""
import argparse
import math
import os
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from measure import REPO, TimedOut, run  # noqa: E402

TOLERANCE = 1e-10
TIME = "/usr/bin/time"

# Peak memory of one command when /usr/bin/time is missing: a fresh Python
# child runs it, so its RUSAGE_CHILDREN covers that command alone.
RUSAGE_WRAPPER = r"""
import resource, subprocess, sys, time
start = time.monotonic()
rc = subprocess.call(sys.argv[2:])
seconds = time.monotonic() - start
usage = resource.getrusage(resource.RUSAGE_CHILDREN)  # ru_maxrss in kilobytes on Linux
with open(sys.argv[1], "w") as fh:
    fh.write("%.2f %d %.2f %.2f\n" % (seconds, usage.ru_maxrss, usage.ru_utime, usage.ru_stime))
sys.exit(rc)
"""

# The term as bench/formulas.hpp writes it, with its `square` on doubles;
# janus's own `square` serves its expressions (argument-dependent lookup).
FOLD = r"""
namespace fold {
inline double square(double x) { return x * x; }
inline const auto rosenbrock_term = [](auto a, auto b) { return 100.0 * square(b - a * a) + square(1.0 - a); };
inline const auto rosenbrock = [](auto... x) {
  const std::tuple args{x...};
  return [&]<std::size_t... I>(std::index_sequence<I...>) {
    return (rosenbrock_term(std::get<I>(args), std::get<I + 1>(args)) + ...);
  }(std::make_index_sequence<sizeof...(x) - 1>{});
};
}  // namespace fold
"""

STD_HEADERS = "".join(f"#include <{h}>\n" for h in ("array", "cstddef", "cstdio", "cstdlib", "tuple", "utility"))

MAIN_PLAIN = r"""
// Prints the fold at x (x from argv).
int main(int argc, char** argv) {
  constexpr std::size_t n = NSIZE;
  if (argc < static_cast<int>(n) + 1) return 2;
  std::array<double, n> x{};
  for (std::size_t i = 0; i < n; ++i) x[i] = std::strtod(argv[i + 1], nullptr);
  std::printf("%.17g\n", std::apply(fold::rosenbrock, x));
}
"""

MAIN_GRAD = r"""
// Prints janus::grad of the fold at x (x from argv).
int main(int argc, char** argv) {
  constexpr std::size_t n = NSIZE;
  if (argc < static_cast<int>(n) + 1) return 2;
  std::array<double, n> x{};
  for (std::size_t i = 0; i < n; ++i) x[i] = std::strtod(argv[i + 1], nullptr);
  const auto g = std::apply([](auto... v) { return janus::grad(fold::rosenbrock)(v...); }, x);
  for (double v : g) std::printf("%.17g\n", v);
}
"""

EMPTY = "int main() {}\n"
EMPTY_JANUS = "#include <janus/janus.hpp>\n\nint main() {}\n"


def point(n):
    """bench/static_scale.cpp's point: ten values repeated, shifted by 0.05 per repetition."""
    base = [-1.2, 1.0, 0.3, -0.7, 2.0, 0.5, -0.4, 1.1, 0.8, -1.5]
    return [base[i % 10] + 0.05 * (i // 10) for i in range(n)]


def closed_form(x):
    """(value, gradient) of Rosenbrock's function at x."""
    value, g = 0.0, [0.0] * len(x)
    for i in range(len(x) - 1):
        r = x[i + 1] - x[i] * x[i]
        value += 100.0 * r * r + (1.0 - x[i]) ** 2
        g[i] += -400.0 * x[i] * r - 2.0 * (1.0 - x[i])
        g[i + 1] += 200.0 * r
    return value, g


def agree(a, b):
    return len(a) == len(b) and all(
        math.isfinite(u) and abs(u - v) <= TOLERANCE * max(1.0, abs(u), abs(v)) for u, v in zip(a, b))


def compile_one(cxx, source, binary, flags, include, timeout):
    """(wall seconds, peak MB, CPU seconds) of one compilation, or raises with the log."""
    timing = binary + ".time"
    compiler = [cxx, "-std=c++20", *flags, "-I" + include, source, "-o", binary]
    if os.access(TIME, os.X_OK):
        cmd = [TIME, "-f", "%e %M %U %S", "-o", timing, *compiler]
    else:
        cmd = [sys.executable, "-c", RUSAGE_WRAPPER, timing, *compiler]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)
    try:
        _, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)   # the compiler too, not only its wrapper
        proc.communicate()
        raise TimedOut(timeout)
    if proc.returncode != 0:
        raise RuntimeError("compilation failed:\n" + err[-4000:])
    with open(timing) as fh:
        seconds, kb, user, system = fh.read().split()[-4:]
    return float(seconds), int(kb) / 1024.0, float(user) + float(system)


def compile_best(repeat, *args):
    """The least wall seconds, the most MB and the least CPU seconds of `repeat` compilations."""
    results = [compile_one(*args) for _ in range(repeat)]
    return min(r[0] for r in results), max(r[1] for r in results), min(r[2] for r in results)


def write(path, text):
    with open(path, "w") as fh:
        fh.write(text)


def version(cxx):
    try:
        out = subprocess.run([cxx, "--version"], capture_output=True, text=True, check=True).stdout
        return out.splitlines()[0].strip()
    except (OSError, subprocess.CalledProcessError, IndexError):
        return cxx


def table(head, cells, markdown):
    lines = []
    if markdown:
        lines.append("| " + " | ".join(head) + " |")
        lines.append("|" + "|".join("---:" for _ in head) + "|")
        lines += ["| " + " | ".join(c) + " |" for c in cells]
    else:
        width = [max(len(h), *(len(c[i]) for c in cells)) for i, h in enumerate(head)]
        lines.append("  ".join(h.rjust(w) for h, w in zip(head, width)))
        lines += ["  ".join(v.rjust(w) for v, w in zip(c, width)) for c in cells]
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--cxx", default="g++", help="the compiler (default g++), e.g. clang++-16")
    ap.add_argument("--sizes", default="10,20,40,64", help="argument counts N, comma separated")
    ap.add_argument("--flags", default="-O3 -march=native",
                    help='compiler flags besides -std=c++20 (default "-O3 -march=native")')
    ap.add_argument("--include", default=os.path.join(REPO, "include"),
                    help="janus's include folder (default the repository's include/)")
    ap.add_argument("--repeat", type=int, default=1, help="compilations of each program (least time kept)")
    ap.add_argument("--markdown", action="store_true", help="print the tables in markdown")
    ap.add_argument("--timeout", type=float, default=1200,
                    help="seconds allowed to one compilation (default 1200)")
    ap.add_argument("--keep", action="store_true", help="keep the generated sources and print where")
    args = ap.parse_args()
    flags = shlex.split(args.flags)
    sizes = [int(s) for s in args.sizes.split(",")]
    if any(n < 2 for n in sizes):
        ap.error("every N must be at least 2")
    compile_args = lambda src, binary: (args.cxx, src, binary, flags, args.include, args.timeout)  # noqa: E731

    work = tempfile.mkdtemp(prefix="janus-fold-compile-")
    rows, wrong, unbuilt = [], False, False
    include_cost = None
    try:
        # The include cost: an empty program with and without janus.hpp.
        try:
            write(os.path.join(work, "empty.cpp"), EMPTY)
            write(os.path.join(work, "empty_janus.cpp"), EMPTY_JANUS)
            empty = compile_best(args.repeat, *compile_args(os.path.join(work, "empty.cpp"),
                                                            os.path.join(work, "empty")))
            header = compile_best(args.repeat, *compile_args(os.path.join(work, "empty_janus.cpp"),
                                                             os.path.join(work, "empty_janus")))
            include_cost = (empty, header)
            print("empty %.2f s %.0f MB %.2f cpu s, with janus.hpp %.2f s %.0f MB %.2f cpu s"
                  % (*empty, *header), file=sys.stderr, flush=True)
        except (TimedOut, RuntimeError) as e:
            print(f"include cost: {e}", file=sys.stderr)
            unbuilt = True

        for n in sizes:
            plain_src, grad_src = os.path.join(work, f"plain_{n}.cpp"), os.path.join(work, f"grad_{n}.cpp")
            plain_bin, grad_bin = os.path.join(work, f"plain_{n}"), os.path.join(work, f"grad_{n}")
            write(plain_src, STD_HEADERS + FOLD + MAIN_PLAIN.replace("NSIZE", str(n)))
            write(grad_src, "#include <janus/janus.hpp>\n\n" + STD_HEADERS + FOLD
                  + MAIN_GRAD.replace("NSIZE", str(n)))
            row = dict(n=n, ps=math.nan, pm=math.nan, pc=math.nan, gs=math.nan, gm=math.nan, gc=math.nan, ok="")
            try:
                row["ps"], row["pm"], row["pc"] = compile_best(args.repeat, *compile_args(plain_src, plain_bin))
                row["gs"], row["gm"], row["gc"] = compile_best(args.repeat, *compile_args(grad_src, grad_bin))
                x = point(n)
                argv = ["%.17g" % v for v in x]
                value, gradient = closed_form(x)
                value_ok = agree(run(plain_bin, argv), [value])
                grad_ok = agree(run(grad_bin, argv), gradient)
                row["ok"] = "yes" if value_ok and grad_ok else \
                    "NO (%s)" % ", ".join(w for w, ok in (("value", value_ok), ("gradient", grad_ok)) if not ok)
                wrong |= not (value_ok and grad_ok)
            except TimedOut:
                row["ok"] = "not checked (compilation over %g s)" % args.timeout
                for key in ("ps", "gs"):
                    if math.isnan(row[key]):
                        row[key] = math.inf
                        break
                unbuilt = True
            except (RuntimeError, subprocess.CalledProcessError, ValueError) as e:
                print(f"N={n}: {e}", file=sys.stderr)
                row["ok"] = "NO (build or run failed)"
                unbuilt = True
            rows.append(row)
            print("N=%d: plain %.2f s %.0f MB, gradient %.2f s (%.2f cpu s) %.0f MB, correct: %s"
                  % (n, row["ps"], row["pm"], row["gs"], row["gc"], row["gm"], row["ok"]),
                  file=sys.stderr, flush=True)
    finally:
        if args.keep:
            print("sources kept in " + work, file=sys.stderr)
        else:
            shutil.rmtree(work, ignore_errors=True)

    def sec(v):
        return "> %g" % args.timeout if v == math.inf else "%.2f" % v

    def ratio(r):
        if r["gs"] == math.inf and math.isfinite(r["ps"]) and r["ps"] > 0:
            return "> %.0f" % (args.timeout / r["ps"])
        return "%.1f" % (r["gs"] / r["ps"]) if r["ps"] > 0 else "nan"

    print(f"{version(args.cxx)}: {args.cxx} -std=c++20 {args.flags} -I{args.include}"
          + (f", least of {args.repeat} compilations" if args.repeat > 1 else ""))
    print()
    head = ["N", "plain s", "plain cpu s", "plain MB", "janus::grad s", "janus::grad cpu s", "janus::grad MB",
            "time ratio", "correct"]
    cells = [[str(r["n"]), sec(r["ps"]), "%.2f" % r["pc"], "%.0f" % r["pm"], sec(r["gs"]), "%.2f" % r["gc"],
              "%.0f" % r["gm"], ratio(r), r["ok"]] for r in rows]
    print(table(head, cells, args.markdown))
    if include_cost is not None:
        (es, em, ec), (hs, hm, hc) = include_cost
        print()
        print(table(["program", "s", "cpu s", "MB"],
                    [["int main() {}", "%.2f" % es, "%.2f" % ec, "%.0f" % em],
                     ["#include <janus/janus.hpp> + int main() {}", "%.2f" % hs, "%.2f" % hc, "%.0f" % hm],
                     ["include cost", "%.2f" % (hs - es), "%.2f" % (hc - ec), "%.0f" % (hm - em)]],
                    args.markdown))
    return 1 if wrong else 2 if unbuilt else 0


if __name__ == "__main__":
    sys.exit(main())
