#!/usr/bin/python3
"""Turn the benchmark programs' JSON into the generated block of docs/benchmarks.md.

Runs each benchmark program given (or reads JSON files given with --json),
and writes per problem each variant's median time, its ratio to the primal
and to the hand-written gradient of the same program, the goals beside the
figures, janus against each peer library timed in the same program (FastAD:
bench_peer_fastad; Adept and CoDiPack: bench_peer_tapes and
bench_peer_tapes_adept_unsafe), the tapes' memory where a program reports it,
the machine, compiler, flags and commands, and a chart of the ratios
(docs/benchmarks-ratios.png, through gnuplot when it is installed).

Every benchmark is named problem/variant[/size][/threads:N]: the problem and
its size pick the section, the variant the row.

    python3 bench/report.py build/bench/bench_*                # rewrites docs/benchmarks.md's block
    python3 bench/report.py --output /tmp/r/report.md --flags "--benchmark_min_time=0.01" build/bench/bench_*
"""

import argparse
import dataclasses
import datetime
import json
import math
import os
import pathlib
import re
import shlex
import shutil
import subprocess
import sys
import tempfile

REPO = pathlib.Path(__file__).resolve().parent.parent
DOC = REPO / "docs" / "benchmarks.md"
CHART = "benchmarks-ratios.png"
BEGIN, END = "<!-- report:begin -->", "<!-- report:end -->"
DEFAULT_FLAGS = "--benchmark_min_time=0.3 --benchmark_repetitions=3 --benchmark_report_aggregates_only=true"
# Environment variables that change what the programs time; they are part of the command.
RELEVANT_ENV = ("JANUS_MNIST", "OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS")

# The hand-written gradient a variant is compared with: the expert's, else the mechanical adjoint.
HAND_WRITTEN = ("expert", "mechanical")

# The scalar tape's goals, from the issue: half the best public tape's time.
# Each entry: problem key, the unit the time is divided into, how many per
# call (from the size), the best peer tape's figure in that unit.
TAPE_GOALS = [
    (("black_scholes", ""), "call", lambda n: 1, 150.0),
    (("rosenbrock", "1000"), "term", lambda n: n - 1, 20.0),
    (("likelihood", "1000"), "point", lambda n: n, 10.0),
    (("dense_layer", "32"), "multiply-add", lambda n: n * n, 8.0),
]
# Goals as a ratio to the primal of the same program: problem key and limit.
# Log-sum-exp: half the best peer tape's 3.2x. Black-Scholes: the issue's own
# 4x (the best peer tapes take 6-7x), which, unlike its 75 ns, does not move
# with the machine.
TAPE_RATIO_GOALS = [
    (("black_scholes", ""), 4.0),
    (("log_sum_exp", "1000"), 1.6),
]
# janus's array API (janus::sum over janus::indices of a std::vector), the
# variant `janus` of bench_peer_fastad: problem key and the limit as a ratio
# to the hand-written gradient of the same program (the pair potential's is
# its forces function).
ARRAY_GOALS = [
    (("rosenbrock", "1000"), 1.3),
    (("pair_potential", "100"), 1.5),
]
# Natural janus::var code against the tapes with expression templates
# (bench_peer_tapes and bench_peer_tapes_adept_unsafe: one function template
# on the scalar type, no janus::tape::fuse or tape::sum): per problem, janus's
# time at most PEER_TAPE_TIME_LIMIT times the best peer tape's, and its tape's
# bytes per statement at most the best peer tape's. Each program times one
# Adept setting, so janus's time is divided by each peer's of the same
# program, and the largest of those ratios is janus against the best peer.
PEER_TAPE_PROBLEMS = [
    ("tape_p1_black_scholes", ""),
    ("tape_p2_rosenbrock", "1000"),
    ("tape_p3_log_sum_exp", "1000"),
    ("tape_p4_likelihood", "1000"),
    ("tape_p5_dense_layer", "32"),
]
PEER_TAPES = ("adept", "adept_unsafe", "codipack")
PEER_TAPE_TIME_LIMIT = 0.5
# The benchmark counters this script reads: a tape's size after one recording.
COUNTERS = ("statements", "operands", "tape_bytes", "bytes_per_statement")
# Peer libraries that a program times beside janus, whose ratios get a table
# of their own: the name shown, and the prefix of their variants' names (the
# variant itself, or prefix_ and a qualifier).
PEER_RATIOS = [
    ("FastAD", "fastad"),
    ("Adept", "adept"),
    ("CoDiPack", "codipack"),
]

# Problems of the issue (P1..P6) and the others the programs time: an id,
# a title and the goal the issue states for it.
STATIC_GOAL = ("static engine (janus_grad) at most 1.05x the mechanical hand-written adjoint "
               "and 1.30x the expert's gradient")
TENSOR_GOAL = "tensor tape (janus_tensor) faster than libtorch at the same thread count"


def tape_goal(text):
    return f"scalar tape at half the best peer tape: {text}"


def array_goal(limit, hand):
    return f"janus's array API (janus::sum over janus::indices) at most {limit}x the {hand}"


PEER_TAPE_GOAL = (f"natural janus::var code at most {PEER_TAPE_TIME_LIMIT}x the time of the best of Adept (either "
                  "setting) and CoDiPack on the same function template, and at most the best one's tape bytes per "
                  "statement")


PROBLEMS = {
    ("black_scholes", ""): ("P1", "Black-Scholes call and its five sensitivities", "P1 Black-Scholes",
                            [STATIC_GOAL, tape_goal("75 ns and 4x the primal (best public tapes: about 150-185 ns, 6-7x)")]),
    ("rosenbrock", "2"): ("P2", "Rosenbrock, N = 2", "P2 N=2", []),
    ("rosenbrock", "10"): ("P2", "Rosenbrock, N = 10", "P2 N=10", [STATIC_GOAL]),
    ("rosenbrock", "1000"): ("P2", "Rosenbrock, N = 1000", "P2 N=1000",
                             [tape_goal("10 ns per term (best public tapes: about 20 ns)"),
                              array_goal(1.3, "expert gradient")]),
    ("log_sum_exp", "1000"): ("P3", "log-sum-exp of 1000 (double)", "P3 log-sum-exp",
                              [tape_goal("1.6x the primal (best public tapes: about 3.2x)")]),
    ("likelihood", "1000"): ("P4", "normal log-likelihood of 1000 observations", "P4 likelihood",
                             [STATIC_GOAL, tape_goal("5 ns per point (best public tapes: about 10 ns)")]),
    ("dense_layer", "32"): ("P5", "sum(tanh(W x + b)), W 32x32", "P5 32x32",
                            [tape_goal("4 ns per multiply-add (best public tapes: about 8 ns)")]),
    ("dense_layer", "256"): ("P5", "sum(tanh(W x + b)), W 256x256 (float32)", "P5 256x256", [TENSOR_GOAL]),
    ("mnist_step", "64"): ("P6", "MNIST training step, 784-256-256-10, batch 64 (float32)", "P6 batch 64", [TENSOR_GOAL]),
    ("mnist_step", "128"): ("P6", "MNIST training step, 784-256-256-10, batch 128 (float32)", "P6 batch 128", [TENSOR_GOAL]),
    ("pair_potential", "100"): ("", "Lennard-Jones pair potential of 100 atoms (4950 pairs), gradient in the "
                                "300 coordinates", "pair potential",
                                [array_goal(1.5, "hand-written forces")]),
    ("rational", ""): ("", "rational function of four variables", "rational", []),
    ("dense_layer_batch64", "256"): ("", "sum(tanh(W X + b)), W 256x256, X 64x256 (float32)", "dense 64x256", []),
    ("mnist_step_small", "64"): ("", "MNIST training step, 784-64-64-10, batch 64 (float32)", "MNIST small", []),
    ("mnist_epoch", "128"): ("", "MNIST epoch, 784-256-256-10, batch 128", "epoch", []),
    ("mnist_epoch_small", "64"): ("", "MNIST epoch, 784-64-64-10, batch 64", "epoch small", []),
    ("tape_operation", ""): ("", "scalar tape, 1000 operations", "tape op", []),
    ("tensor_operation", ""): ("", "tensor tape, 64 one-element operations", "tensor op", []),
    ("tape_p1_black_scholes", ""): ("P1", "Black-Scholes call and its five sensitivities, natural code on each tape",
                                    "P1 tapes", [PEER_TAPE_GOAL]),
    ("tape_p2_rosenbrock", "1000"): ("P2", "Rosenbrock, N = 1000, natural code on each tape", "P2 tapes N=1000",
                                     [PEER_TAPE_GOAL]),
    ("tape_p3_log_sum_exp", "1000"): ("P3", "log-sum-exp of 1000, natural code on each tape", "P3 tapes",
                                      [PEER_TAPE_GOAL]),
    ("tape_p4_likelihood", "1000"): ("P4", "normal log-likelihood of 1000 observations, natural code on each tape",
                                     "P4 tapes", [PEER_TAPE_GOAL]),
    ("tape_p5_dense_layer", "32"): ("P5", "sum(tanh(W x + b)), W 32x32, natural code on each tape", "P5 tapes 32x32",
                                    [PEER_TAPE_GOAL]),
}

# Bar colours of the chart, by the kind of variant.
FAMILIES = [
    ("hand-written", "#555555", lambda v: v in HAND_WRITTEN),
    ("janus static engine", "#1f77b4",
     lambda v: v == "janus" or v.startswith("janus_grad") or v.startswith("janus_value")),
    ("janus scalar tape", "#2ca02c", lambda v: v.startswith("janus_tape") or v == "janus_var"),
    ("janus tensor tape", "#17becf", lambda v: v.startswith("janus_tensor")),
    ("ADOL-C", "#d62728", lambda v: v.startswith("adolc")),
    ("libtorch", "#ff7f0e", lambda v: v.startswith("libtorch")),
    ("FastAD", "#8c564b", lambda v: v.startswith("fastad")),
    ("Adept", "#e377c2", lambda v: v.startswith("adept")),
    ("CoDiPack", "#bcbd22", lambda v: v.startswith("codipack")),
    ("other", "#9467bd", lambda v: True),
]


def describe(key):
    """(id, title, short title for the chart, goals) of a problem; a problem not in the table is its name."""
    name = " ".join(filter(None, key))
    return PROBLEMS.get(key, ("", name, name, []))


def family(variant):
    return next(i for i, (_, _, test) in enumerate(FAMILIES) if test(variant))


def split_name(name):
    """problem/variant[/size][/threads:N] -> (problem, size), variant label."""
    parts = name.split("/")
    if len(parts) < 2:
        raise SystemExit(f"benchmark {name!r} is not named problem/variant[/size]")
    sizes = [p for p in parts[2:] if ":" not in p]
    named = [p for p in parts[2:] if ":" in p]
    return (parts[0], "/".join(sizes)), " ".join([parts[1]] + named)


def multi_threaded(label):
    match = re.search(r"threads:(\d+)", label)
    return match is not None and int(match.group(1)) > 1


@dataclasses.dataclass
class Row:
    program: str
    variant: str
    seconds: float
    wall: bool  # wall time, not CPU time
    counters: dict = dataclasses.field(default_factory=dict)  # those of COUNTERS the benchmark reports


def median(values):
    values = sorted(values)
    middle = len(values) // 2
    return values[middle] if len(values) % 2 else (values[middle - 1] + values[middle]) / 2


def rows_of(program, document, problems):
    """The median time of each benchmark; its CPU time, or its wall time where
    it runs several threads (CPU time counts the calling thread only)."""
    scale = {"ns": 1e-9, "us": 1e-6, "ms": 1e-3, "s": 1.0}
    samples, errors = {}, []
    for run in document.get("benchmarks", []):
        name = run.get("run_name", run["name"])
        if run.get("error_occurred"):
            errors.append(f"{name}: {run.get('error_message', 'error')}")
            continue
        aggregate = run.get("aggregate_name")
        if run.get("run_type") == "aggregate" and aggregate != "median":
            continue
        key, variant = split_name(name)
        wall = multi_threaded(variant)
        seconds = run["real_time" if wall else "cpu_time"] * scale[run["time_unit"]]
        entry = samples.setdefault((key, variant), {"median": None, "runs": [], "wall": wall, "counters": {}})
        entry["counters"].update({counter: run[counter] for counter in COUNTERS if counter in run})
        if aggregate == "median":
            entry["median"] = seconds
        else:
            entry["runs"].append(seconds)
    for (key, variant), entry in samples.items():
        seconds = entry["median"] if entry["median"] is not None else median(entry["runs"])
        problems.setdefault(key, []).append(Row(program, variant, seconds, entry["wall"], entry["counters"]))
    return errors


def format_time(seconds):
    for unit, factor in (("s", 1.0), ("ms", 1e-3), ("µs", 1e-6), ("ns", 1e-9)):
        if seconds >= factor or unit == "ns":
            value = seconds / factor
            return f"{value:.3g} {unit}" if value < 1000 else f"{value:.0f} {unit}"


def format_ratio(ratio):
    if ratio is None:
        return "—"
    return f"{ratio:.2f}" if ratio < 10 else f"{ratio:.3g}" if ratio < 1000 else f"{ratio:.0f}"


def problem_sort_key(key):
    ident = describe(key)[0]
    size = int(key[1]) if key[1].isdigit() else 0
    return (ident == "", ident, key[0], size, key[1])


def reference(rows, program, names):
    """The first variant of `names` that `program` has for these rows."""
    for name in names:
        for row in rows:
            if row.program == program and row.variant == name:
                return row
    return None


def problem_table(key, rows, programs):
    ident, title, _, goals = describe(key)
    lines = [f"#### {ident + ' ' if ident else ''}{title}", ""]
    lines += [f"Goal: {goal}." for goal in goals] + ([""] if goals else [])
    lines += ["| program | variant | time | / primal | / hand-written |", "|---|---|---:|---:|---:|"]
    notes = []
    for program in programs:
        own = [row for row in rows if row.program == program]
        if not own:
            continue
        primal = reference(own, program, ["primal"])
        hand = reference(own, program, HAND_WRITTEN)
        missing = [what for what, row in (("primal", primal), ("hand-written gradient", hand)) if row is None]
        if missing:
            notes.append(f"`{program}` has no {' and no '.join(missing)} of this problem.")
        if hand is not None:
            notes.append(f"`{program}`: / hand-written is to its `{hand.variant}` variant.")
        for i, row in enumerate(own):
            time = format_time(row.seconds) + (" (wall)" if row.wall else "")
            to_primal = format_ratio(row.seconds / primal.seconds if primal else None)
            to_hand = format_ratio(row.seconds / hand.seconds if hand else None)
            lines.append(f"| {program if i == 0 else ''} | {row.variant} | {time} | {to_primal} | {to_hand} |")
    return lines + [""] + [" ".join(notes), ""]


def find(problems, key, variant):
    return [row for row in problems.get(key, []) if row.variant == variant]


def problem_label(key):
    """A problem's id and title, for the rows of a table."""
    ident, title, _, _ = describe(key)
    return f"{ident} {title}" if ident else title


def check_goals(problems):
    """One line per goal and program the figures let us check: the measured
    value beside the goal, met or missed; and the goals they do not let us check.
    The measured values carry one digit more than the tables, so that one
    printed at the limit is not read as met when it is just over."""
    lines, unchecked = [], []

    for key in (("black_scholes", ""), ("rosenbrock", "10"), ("likelihood", "1000")):
        ident, title, _, _ = PROBLEMS[key]
        checked = False
        for grad in find(problems, key, "janus_grad"):
            for variant, limit in (("mechanical", 1.05), ("expert", 1.30)):
                hand = reference(problems[key], grad.program, [variant])
                if hand is None:
                    continue
                checked = True
                ratio = grad.seconds / hand.seconds
                lines.append(f"| {ident} {title} | static engine at most {limit:.2f}x the {variant} gradient "
                             f"| {ratio:.3f}x (`{grad.program}`) | {'met' if ratio <= limit else 'missed'} |")
        if not checked:
            unchecked.append(f"{ident} {title}: the static engine's goal (no program times a hand-written "
                             "gradient of this problem beside janus_grad)")

    def best_tape(rows, program):
        tapes = [row for row in rows if row.program == program and row.variant.startswith("janus_tape")]
        return min(tapes, key=lambda row: row.seconds) if tapes else None

    for key, unit, count, peer in TAPE_GOALS:
        ident, title, _, _ = PROBLEMS[key]
        size = int(key[1]) if key[1] else 1
        programs = sorted({row.program for row in problems.get(key, [])})
        tapes = [tape for tape in (best_tape(problems[key], p) for p in programs) if tape]
        for tape in tapes:
            per_unit = tape.seconds / count(size) * 1e9
            limit = peer / 2
            lines.append(f"| {ident} {title} | scalar tape at most {limit:g} ns per {unit} "
                         f"| {per_unit:.2f} ns (`{tape.program}`, {tape.variant}) "
                         f"| {'met' if per_unit <= limit else 'missed'} |")
        if not tapes:
            unchecked.append(f"{ident} {title}: the scalar tape's goal (not timed)")

    for key, limit in TAPE_RATIO_GOALS:
        ident, title, _, _ = PROBLEMS[key]
        checked = False
        for program in sorted({row.program for row in problems.get(key, [])}):
            tape = best_tape(problems[key], program)
            primal = reference(problems[key], program, ["primal"])
            if tape is None or primal is None:
                continue
            checked = True
            ratio = tape.seconds / primal.seconds
            lines.append(f"| {ident} {title} | scalar tape at most {limit:g}x the primal "
                         f"| {ratio:.3f}x (`{program}`, {tape.variant}) | {'met' if ratio <= limit else 'missed'} |")
        if not checked:
            unchecked.append(f"{ident} {title}: the scalar tape's goal (no tape and primal in one program)")

    for key, limit in ARRAY_GOALS:
        checked = False
        for janus in find(problems, key, "janus"):
            hand = reference(problems[key], janus.program, HAND_WRITTEN)
            if hand is None:
                continue
            checked = True
            ratio = janus.seconds / hand.seconds
            lines.append(f"| {problem_label(key)} | array API (janus) at most {limit:.2f}x the {hand.variant} gradient "
                         f"| {ratio:.3f}x (`{janus.program}`) | {'met' if ratio <= limit else 'missed'} |")
        if not checked:
            unchecked.append(f"{problem_label(key)}: the array API's goal (no program times janus's array gradient "
                             "beside a hand-written one)")

    for key in PEER_TAPE_PROBLEMS:
        rows = problems.get(key, [])
        ratios = []  # janus's time over each peer's of the same program
        for program in sorted({row.program for row in rows}):
            janus = reference(rows, program, ["janus_var"])
            if janus is not None:
                ratios += [(janus.seconds / row.seconds, row) for row in rows
                           if row.program == program and row.variant in PEER_TAPES]
        if ratios:
            ratio, best = max(ratios, key=lambda pair: pair[0])
            timed = {row.variant for _, row in ratios}
            untimed = [peer for peer in PEER_TAPES if peer not in timed]
            lines.append(f"| {problem_label(key)} | natural janus::var at most {PEER_TAPE_TIME_LIMIT:g}x the best peer "
                         f"tape's time | {ratio:.3f}x {best.variant}'s (`{best.program}`)"
                         + (f"; {', '.join(untimed)} not timed" if untimed else "")
                         + f" | {'met' if ratio <= PEER_TAPE_TIME_LIMIT else 'missed'} |")
        else:
            unchecked.append(f"{problem_label(key)}: the time goal against the peer tapes (no program times "
                             "janus_var beside Adept or CoDiPack)")
        # A recording's size does not depend on the process: the smallest of any program.
        sizes = [row for row in rows if "bytes_per_statement" in row.counters]
        janus = [row for row in sizes if row.variant == "janus_var"]
        peers = [row for row in sizes if row.variant in PEER_TAPES]
        if janus and peers:
            ours = min(row.counters["bytes_per_statement"] for row in janus)
            best = min(peers, key=lambda row: row.counters["bytes_per_statement"])
            theirs = best.counters["bytes_per_statement"]
            lines.append(f"| {problem_label(key)} | janus::var's tape at most the best peer tape's bytes per statement "
                         f"| {ours:.1f} B against {theirs:.1f} B ({best.variant}) "
                         f"| {'met' if ours <= theirs else 'missed'} |")
        else:
            unchecked.append(f"{problem_label(key)}: the memory goal against the peer tapes (no bytes per statement "
                             "of janus_var and a peer)")

    for key in (("dense_layer", "256"), ("mnist_step", "64"), ("mnist_step", "128")):
        ident, title, _, _ = PROBLEMS[key]
        checked = False
        for program in sorted({row.program for row in problems.get(key, [])}):
            own = [row for row in problems[key] if row.program == program]
            janus = reference(own, program, ["janus_tensor"])
            torch = [row for row in own if row.variant.startswith("libtorch")]
            if janus is None or not torch:
                continue
            checked = True
            best = min(torch, key=lambda row: row.seconds)
            ratio = janus.seconds / best.seconds
            lines.append(f"| {ident} {title} | tensor tape faster than libtorch (one thread) "
                         f"| {ratio:.3f}x libtorch's best, {best.variant} (`{program}`) "
                         f"| {'met' if ratio < 1 else 'missed'} |")
        if not checked:
            unchecked.append(f"{ident} {title}: the tensor tape's goal (libtorch not timed)")

    table = ["| problem | goal | measured | |", "|---|---|---|---|"] + lines
    if unchecked:
        table += ["", "Not checked by these figures: " + "; ".join(unchecked) + "."]
    return table


def peer_tables(problems):
    """Per peer of PEER_RATIOS, one row per variant of it that a program
    times: its time, its ratio to the hand-written gradient and the fastest
    janus variant's ratio to it, both of the same program (below 1: janus is
    the faster)."""
    lines = []
    for peer, prefix in PEER_RATIOS:
        rows = []
        for key in sorted(problems, key=problem_sort_key):
            for program in sorted({row.program for row in problems[key]}):
                own = [row for row in problems[key] if row.program == program]
                theirs = [row for row in own if row.variant == prefix or row.variant.startswith(prefix + "_")]
                if not theirs:
                    continue
                hand = reference(own, program, HAND_WRITTEN)
                ours = [row for row in own if row.variant == "janus" or row.variant.startswith("janus_")]
                janus = min(ours, key=lambda row: row.seconds) if ours else None
                for row in theirs:
                    to_hand = format_ratio(row.seconds / hand.seconds if hand else None)
                    shown = f"{janus.variant}, {format_time(janus.seconds)}" if janus else "not timed"
                    to_peer = format_ratio(janus.seconds / row.seconds if janus else None)
                    rows.append(f"| {problem_label(key)} | `{program}` | {row.variant} | {format_time(row.seconds)} "
                                f"| {to_hand} | {shown} | {to_peer} |")
        lines += [f"#### janus against {peer}", ""]
        if rows:
            lines += [f"Each ratio is of two figures of one program: {peer}'s time over the hand-written gradient's "
                      f"(its `expert`, else `mechanical`), and janus's fastest variant's time over {peer}'s "
                      f"(below 1: janus is the faster).", "",
                      f"| problem | program | {peer} variant | time | {peer} / hand-written | janus (fastest variant) "
                      f"| janus / {peer} |", "|---|---|---|---:|---:|---|---:|"] + rows
        else:
            lines.append(f"No program timed {peer}.")
        lines.append("")
    return lines


def tape_memory_table(problems):
    """One row per variant that reports its tape's size (COUNTERS): what one
    recording leaves on the tape, as the program counts it."""
    rows = []
    for key in sorted(problems, key=problem_sort_key):
        for row in problems[key]:
            counters = row.counters
            if "tape_bytes" not in counters:
                continue
            rows.append(f"| {problem_label(key)} | `{row.program}` | {row.variant} | {counters['statements']:.0f} "
                        f"| {counters['operands']:.0f} | {counters['tape_bytes']:.0f} "
                        f"| {counters['bytes_per_statement']:.1f} |")
    if not rows:
        return []
    return ["### Tape memory, per recording", "",
            "What one recording leaves on each tape (the statement and operand streams, in the library's own "
            "entry sizes; bench/peers/peer_tapes.cpp says how each is counted).", "",
            "| problem | program | variant | statements | operands | bytes | bytes per statement |",
            "|---|---|---|---:|---:|---:|---:|"] + rows + [""]


def chart_data(problems, programs):
    """Bars of each gradient variant's time over its program's primal, grouped
    by problem; a problem or program without a primal has no bars."""
    bars, groups, x = [], [], 0
    for key in sorted(problems, key=problem_sort_key):
        rows = problems[key]
        start = x
        for program in programs:
            primal = reference(rows, program, ["primal"])
            if primal is None:
                continue
            for row in rows:
                if row.program == program and row.variant != "primal":
                    label = f"{row.variant} ({program.removeprefix('bench_')})"
                    bars.append((x, row.seconds / primal.seconds, family(row.variant), label))
                    x += 1
        if x > start:
            groups.append((start, x - 1, describe(key)[2]))
            x += 1  # a gap between problems
    return bars, groups


def draw_chart(problems, programs, png):
    """Writes the bars to a gnuplot data file and has gnuplot draw them into
    `png`; returns why there is no chart, or None."""
    gnuplot = shutil.which("gnuplot")
    if gnuplot is None:
        return "gnuplot is not installed (Debian: gnuplot-nox)"
    bars, groups = chart_data(problems, programs)
    if not bars:
        return "no problem has a primal and a gradient in one program"
    with tempfile.TemporaryDirectory() as folder:
        data = pathlib.Path(folder) / "ratios.dat"
        data.write_text("".join(f'{x} {ratio:.6g} {colour} "{label}"\n' for x, ratio, colour, label in bars))
        top = max(ratio for _, ratio, _, _ in bars)
        bottom = min(ratio for _, ratio, _, _ in bars)
        # noenhanced: the names' underscores are underscores, not subscripts.
        script = [
            f"set terminal pngcairo size {max(1200, 28 * len(bars) + 200)},800 font 'DejaVu Sans,11' noenhanced",
            f"set output '{png}'",
            "set logscale y",
            f"set yrange [{10 ** math.floor(math.log10(min(bottom, 1)) - 0.01)}:{top * 8}]",
            f"set xrange [-1:{bars[-1][0] + 1}]",
            "set ylabel 'time / primal of the same program (log scale)'",
            "set title 'Gradient time over primal time, per problem (bench/report.py)'",
            "set xtics rotate by 90 right nomirror font ',9'",
            # gnuplot leaves too much room under rotated tic labels: about 0.42 lines per character of the longest.
            f"set bmargin {math.ceil(0.42 * max(len(label) for _, _, _, label in bars)) + 2}",
            "set grid ytics mytics",
            "set key outside top center horizontal",
            "set style fill solid 0.85 border -1",
            "set boxwidth 0.8",
            # The primal's own level: a bar under this line is faster than the function alone.
            "set arrow from graph 0, first 1 to graph 1, first 1 nohead front dashtype 2 linewidth 1.5",
        ]
        for start, end, text in groups:
            # Two lines (problem, then size) so that the title of a group of two bars fits above it.
            title = text.replace(" ", "\\n", 1)
            script.append(f'set label "{title}" at {(start + end) / 2}, {top * 2.5} center font ",10"')
            if start > 0:
                script.append(f"set arrow from {start - 1}, graph 0 to {start - 1}, graph 1 nohead lc '#bbbbbb'")
        palette = ", ".join(f"{i} '{colour}'" for i, (_, colour, _) in enumerate(FAMILIES))
        script.append(f"set palette defined ({palette})")
        script.append(f"set cbrange [0:{len(FAMILIES) - 1}]")
        script.append("unset colorbox")
        used = sorted({colour for _, _, colour, _ in bars})
        plots = [f"'{data}' using 1:2:3:xtic(4) with boxes lc palette notitle"]
        # Empty series, one per kind of variant, for the key.
        plots += [f"NaN with boxes lc rgb '{FAMILIES[i][1]}' title '{FAMILIES[i][0]}'" for i in used]
        script.append("plot " + ", ".join(plots))
        png.parent.mkdir(parents=True, exist_ok=True)
        result = subprocess.run([gnuplot], input=("\n".join(script) + "\n").encode(), capture_output=True)
        if result.returncode != 0 or not png.is_file():
            return f"gnuplot failed: {result.stderr.decode(errors='replace').strip()}"
    return None


def cmake_cache(build):
    values = {}
    cache = build / "CMakeCache.txt"
    if cache.is_file():
        for line in cache.read_text().splitlines():
            match = re.match(r"(\w[\w.-]*):\w+=(.*)", line)
            if match:
                values[match.group(1)] = match.group(2)
    return values


def build_folder(binary):
    """The CMake build folder a program was built in: the nearest parent with a CMakeCache.txt."""
    for parent in pathlib.Path(binary).resolve().parents:
        if (parent / "CMakeCache.txt").is_file():
            return parent
    return None


def compiler_version(compiler):
    try:
        result = subprocess.run([compiler, "--version"], capture_output=True, text=True, check=True)
        return result.stdout.splitlines()[0]
    except (OSError, subprocess.CalledProcessError, IndexError):
        return None


def cpu_model():
    try:
        for line in pathlib.Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return None


REPO = pathlib.Path(__file__).resolve().parent.parent


def shown_path(path):
    """A path as the docs show it: relative to the repository when inside it,
    else a placeholder that names what it is, never this machine's layout."""
    resolved = pathlib.Path(path).resolve()
    try:
        return str(resolved.relative_to(REPO))
    except ValueError:
        parts = resolved.parts
        if "bench" in parts:  # a program in some build folder
            return "<build>/" + "/".join(parts[len(parts) - 1 - parts[::-1].index("bench"):])
        return "<" + resolved.name + ">"


def env_prefix():
    shown = {"JANUS_MNIST": lambda value: shown_path(value) if (REPO in pathlib.Path(value).resolve().parents)
             else "<mnist folder>"}
    return "".join(f"{name}={shlex.quote(shown.get(name, str)(os.environ[name]))} "
                   for name in RELEVANT_ENV if name in os.environ)


def run_programs(binaries, flags, folder):
    """Runs each program with JSON output; returns (program, JSON, command) and the failures."""
    results, failures = [], []
    for binary in binaries:
        out = pathlib.Path(folder) / (pathlib.Path(binary).name + ".json")
        command = [binary, "--benchmark_format=json", f"--benchmark_out={out}"] + flags
        print("running", " ".join(shlex.quote(c) for c in command), file=sys.stderr, flush=True)
        shown = " ".join(shlex.quote(c)
                         for c in [shown_path(binary), "--benchmark_format=json", "--benchmark_out=FILE"] + flags)
        try:
            result = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        except OSError as error:
            failures.append(f"`{shown}` did not start: {error.strerror}")
            continue
        sys.stderr.write(result.stderr)
        if result.returncode != 0 or not out.is_file():
            failures.append(f"`{shown}` failed (exit status {result.returncode}): "
                            f"{result.stderr.strip().splitlines()[-1] if result.stderr.strip() else 'no message'}")
            continue
        results.append((pathlib.Path(binary).name, json.loads(out.read_text()), env_prefix() + shown))
    return results, failures


def machine_lines(results, ran_here):
    lines = ["| program | date | CPUs | MHz | load average (1, 5, 15 min) | other context |",
             "|---|---|---:|---:|---|---|"]
    standard = {"date", "host_name", "executable", "num_cpus", "mhz_per_cpu", "cpu_scaling_enabled", "caches",
                "load_avg", "library_build_type", "library_version", "json_schema_version"}
    for program, document, _ in results:
        context = document.get("context", {})
        load = ", ".join(f"{value:.2f}" for value in context.get("load_avg", []))
        other = ", ".join(f"{k}: {v}" for k, v in context.items() if k not in standard)
        lines.append(f"| `{program}` | {context.get('date', '')} | {context.get('num_cpus', '')} "
                     f"| {context.get('mhz_per_cpu', '')} | {load} | {other} |")
    model = cpu_model() if ran_here else None
    if model:
        lines += ["", f"CPU model (`/proc/cpuinfo` of the machine that ran them): {model}."]
    return lines


def code(text):
    """Inline code in Markdown; `` is not code, so an empty value says so."""
    return f"`{text}`" if text else "(empty)"


def compiler_lines(builds):
    lines = []
    for build in builds:
        cache = cmake_cache(build)
        compiler = cache.get("CMAKE_CXX_COMPILER", "unknown")
        version = compiler_version(compiler)
        native = cache.get("JANUS_NATIVE", "unknown")
        lines.append(f"Build `{shown_path(build)}`: compiler `{compiler}`" + (f" ({version})" if version else "")
                     + f", CMAKE_BUILD_TYPE={cache.get('CMAKE_BUILD_TYPE', '')}"
                     + f", CMAKE_CXX_FLAGS_RELEASE={code(cache.get('CMAKE_CXX_FLAGS_RELEASE', ''))}"
                     + f", CMAKE_CXX_FLAGS={code(cache.get('CMAKE_CXX_FLAGS', ''))}"
                     + f", JANUS_NATIVE={native}" + (" (`-march=native`)" if native == "ON" else "")
                     + f", JANUS_WERROR={cache.get('JANUS_WERROR', 'unknown')}.")
    return lines or ["Compiler and flags unknown: no CMakeCache.txt found above the programs (pass --build)."]


def collect(results):
    """The rows of every program, by problem; the programs in order; the benchmarks that reported an error."""
    problems, errors = {}, []
    for program, document, _ in results:
        errors += [f"`{program}` {error}" for error in rows_of(program, document, problems)]
    return problems, [program for program, _, _ in results], errors


def report(results, failures, builds, flags, chart_note, ran_here):
    problems, programs, errors = collect(results)
    filtered = [flag for flag in flags if flag.startswith("--benchmark_filter")]
    lines = [
        f"Generated by `bench/report.py` on {datetime.date.today().isoformat()}. Median time of the repetitions "
        "(CPU time; wall time where marked, for the rows that run several threads), per program: each ratio is to "
        "the primal and to the hand-written gradient of the same program, so a figure is never divided by one "
        "that another process measured. Do not edit by hand: rerun the command below.",
        "",
    ]
    if filtered:
        lines += [f"Only the benchmarks that `{' '.join(filtered)}` selects were run.", ""]
    if failures or errors:
        lines += ["**Not measured:** " + "; ".join(failures + errors) + ".", ""]
    arguments = [shown_path(a) if pathlib.Path(a).exists() else a for a in sys.argv]
    lines += ["Command:", "", "```sh", env_prefix() + " ".join(shlex.quote(a) for a in ["python3"] + arguments), "```",
              ""]
    if ran_here:
        lines += ["which ran:", "", "```sh"] + [command for _, _, command in results] + ["```", ""]
    lines += compiler_lines(builds) + [""]
    lines += ["Machine, from each program's JSON context:", ""] + machine_lines(results, ran_here) + [""]
    lines += ["### Measured against the goals", ""] + check_goals(problems) + [""]
    lines += ["### Against other libraries, in the same program", ""] + peer_tables(problems)
    lines += tape_memory_table(problems)
    if chart_note is None:
        lines += [f"![Each gradient variant's time over the primal's, per problem, log scale]({CHART})", ""]
    else:
        lines += [f"No chart: {chart_note}.", ""]
    lines += ["### Figures per problem", ""]
    for key in sorted(problems, key=problem_sort_key):
        lines += problem_table(key, problems[key], programs)
    return "\n".join(lines).rstrip() + "\n"


def replace_block(document, block):
    text = document.read_text()
    begin, end = text.find(BEGIN), text.find(END)
    if begin < 0 or end < begin:
        raise SystemExit(f"{document} has no {BEGIN} ... {END} block")
    document.write_text(text[:begin + len(BEGIN)] + "\n" + block + text[end:])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    parser.add_argument("programs", nargs="*", help="benchmark programs to run")
    parser.add_argument("--json", nargs="+", default=[], help="Google Benchmark JSON files to read instead")
    parser.add_argument("--flags", default=DEFAULT_FLAGS, help=f"flags for each program (default: {DEFAULT_FLAGS})")
    parser.add_argument("--build", type=pathlib.Path, help="CMake build folder (default: the programs')")
    parser.add_argument("--output", type=pathlib.Path,
                        help=f"write the block here, the chart beside it, instead of into {DOC.relative_to(REPO)}")
    # argparse takes a value that starts with "--" for an option: join "--flags VALUE" into one argument.
    argv, rest = [], sys.argv[1:]
    while rest:
        argument = rest.pop(0)
        argv.append("--flags=" + rest.pop(0) if argument == "--flags" and rest else argument)
    args = parser.parse_args(argv)
    if not args.programs and not args.json:
        parser.error("give benchmark programs, or JSON files with --json")
    flags = shlex.split(args.flags)

    with tempfile.TemporaryDirectory() as folder:
        results, failures = run_programs(args.programs, flags, folder)
    for path in args.json:
        results.append((pathlib.Path(path).stem, json.loads(pathlib.Path(path).read_text()), None))
    if not results:
        raise SystemExit("no program gave figures:\n" + "\n".join(failures))

    if args.build:
        builds = [args.build]
    else:
        found = {build_folder(document.get("context", {}).get("executable", "")) for _, document, _ in results}
        found |= {build_folder(p) for p in args.programs}
        builds = sorted(b for b in found if b is not None)

    target = args.output if args.output else DOC
    target.parent.mkdir(parents=True, exist_ok=True)
    png = target.resolve().parent / CHART
    ran_here = bool(args.programs)
    # The chart first, so that the block can say why it is missing.
    problems, programs, errors = collect(results)
    chart_note = draw_chart(problems, programs, png)
    if chart_note:
        print("no chart:", chart_note, file=sys.stderr)
    block = report(results, failures, builds, flags, chart_note, ran_here)

    if args.output:
        args.output.write_text(block)
    else:
        replace_block(DOC, block)
    print(f"wrote {target}" + ("" if chart_note else f" and {png}"), file=sys.stderr)
    # A program that failed or a benchmark that reported an error (a wrong result) fails CI.
    return 1 if failures or errors else 0


if __name__ == "__main__":
    sys.exit(main())
