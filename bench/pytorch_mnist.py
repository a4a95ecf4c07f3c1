#!/usr/bin/python3
"""pytorch_mnist.py: the networks of bench_mnist_step trained in PyTorch on
the same machine, one epoch and one step, printed beside janus's times.

    A = 784-64-64-10,   batch 64,  SGD 0.1
    B = 784-256-256-10, batch 128, SGD 0.1 momentum 0.9

Run with the system's Python and Debian's python3-torch:

    /usr/bin/python3 bench/pytorch_mnist.py [--threads N] [--janus build/bench/bench_mnist_step]

With --janus, it runs that benchmark (same thread count) and prints both.
With one thread both sides are timed in process CPU time, which other
programs on a busy machine do not inflate; with more, in wall-clock time.
MNIST comes from $JANUS_MNIST or data/mnist (raw or .gz IDX files); without
it, random images of the same shape stand in.
"""
import argparse
import ctypes
import gzip
import json
import os
import subprocess
import sys
import time

import torch

NETWORKS = {
    "A": dict(sizes=[784, 64, 64, 10], batch=64, momentum=0.0),
    "B": dict(sizes=[784, 256, 256, 10], batch=128, momentum=0.9),
}
# bench_mnist_step names network A's benchmarks mnist_step_small, mnist_epoch_small.
JANUS_SUFFIX = {"A": "_small", "B": ""}


def openblas():
    """The OpenBLAS that PyTorch's BLAS calls end in (Debian links it), or None."""
    try:
        library = ctypes.CDLL("libopenblas.so.0")
        library.openblas_get_corename.restype = ctypes.c_char_p
        return library
    except OSError:
        return None


def read_idx(path):
    opener = gzip.open if open(path, "rb").read(2) == b"\x1f\x8b" else open
    with opener(path, "rb") as f:
        data = f.read()
    rank = data[3]
    shape = [int.from_bytes(data[4 + 4 * i: 8 + 4 * i], "big") for i in range(rank)]
    return torch.frombuffer(bytearray(data[4 + 4 * rank:]), dtype=torch.uint8).reshape(shape)


def training_set():
    folder = os.environ.get("JANUS_MNIST", "data/mnist")
    names = ["train-images-idx3-ubyte", "train-labels-idx1-ubyte"]
    paths = []
    for name in names:
        found = [p for p in (os.path.join(folder, name), os.path.join(folder, name + ".gz")) if os.path.exists(p)]
        paths.append(found[0] if found else None)
    if None in paths:
        print("MNIST not found in $JANUS_MNIST or data/mnist: timing on random images", file=sys.stderr)
        generator = torch.Generator().manual_seed(1)
        return torch.rand(60000, 784, generator=generator), torch.randint(0, 10, (60000,), generator=generator)
    images = read_idx(paths[0]).reshape(-1, 784).float() / 255.0
    images = (images - images.mean()) / images.std()
    return images, read_idx(paths[1]).long()


def make_model(sizes):
    layers = []
    for i in range(len(sizes) - 1):
        layers.append(torch.nn.Linear(sizes[i], sizes[i + 1]))
        if i + 2 < len(sizes):
            layers.append(torch.nn.ReLU())
    return torch.nn.Sequential(*layers)


def step(model, optimizer, x, y):
    loss = torch.nn.functional.cross_entropy(model(x), y)
    optimizer.zero_grad(set_to_none=False)
    loss.backward()
    optimizer.step()
    return loss


def time_network(net, images, labels, clock):
    torch.manual_seed(1)
    model = make_model(net["sizes"])
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=net["momentum"])
    batch = net["batch"]
    x, y = images[:batch].contiguous(), labels[:batch].contiguous()
    for _ in range(20):
        step(model, optimizer, x, y)
    rounds = 2000 if net["sizes"][1] < 128 else 500
    start = clock()
    for _ in range(rounds):
        step(model, optimizer, x, y)
    step_seconds = (clock() - start) / rounds

    epochs = []
    for _ in range(3):
        order = torch.randperm(images.shape[0])
        start = clock()
        for first in range(0, images.shape[0], batch):
            index = order[first:first + batch]
            step(model, optimizer, images[index], labels[index])
        epochs.append(clock() - start)
    return step_seconds, min(epochs)


def janus_times(program, threads):
    """Step and epoch seconds per network from bench_mnist_step's JSON output."""
    result = subprocess.run([program, "--benchmark_format=json", f"--benchmark_filter=/threads:{threads}(/|$)"],
                            check=True, capture_output=True, text=True)
    times = {}
    for run in json.loads(result.stdout)["benchmarks"]:
        # Names are problem/variant/batch/threads:N, e.g. mnist_step_small/janus_tensor/64/threads:1.
        problem, variant = run["name"].split("/")[:2]
        if variant != "janus_tensor":
            continue
        scale = {"ns": 1e-9, "us": 1e-6, "ms": 1e-3, "s": 1.0}[run["time_unit"]]
        times[problem] = run["cpu_time" if threads == 1 else "real_time"] * scale
    return times


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=1, help="intra-op threads for PyTorch and OpenBLAS")
    parser.add_argument("--janus", help="path of bench_mnist_step, to print its times beside")
    args = parser.parse_args()
    # PyTorch's OpenMP pool and OpenBLAS's own pool both get the thread count
    # (through their APIs, not the environment): two pools of two threads on
    # two cores spin against each other.
    torch.set_num_threads(args.threads)
    torch.set_num_interop_threads(1)
    blas = openblas()
    if blas is not None:
        blas.openblas_set_num_threads(args.threads)
    images, labels = training_set()
    janus = janus_times(args.janus, args.threads) if args.janus else {}
    kernel = blas.openblas_get_corename().decode() if blas is not None else "unknown BLAS"
    print(f"PyTorch {torch.__version__}, {args.threads} thread(s), OpenBLAS kernel {kernel}")
    print(f"{'network':<22}{'step PyTorch':>14}{'step janus':>12}{'epoch PyTorch':>15}{'epoch janus':>13}")
    for name, net in NETWORKS.items():
        clock = time.process_time if args.threads == 1 else time.perf_counter
        step_seconds, epoch_seconds = time_network(net, images, labels, clock)
        suffix = JANUS_SUFFIX[name]
        janus_step = janus.get("mnist_step" + suffix)
        janus_epoch = janus.get("mnist_epoch" + suffix)
        label = f"{name} {'-'.join(map(str, net['sizes']))}"
        print(f"{label:<22}{step_seconds * 1e6:>11.0f} us"
              + (f"{janus_step * 1e6:>9.0f} us" if janus_step else f"{'-':>12}")
              + f"{epoch_seconds:>13.3f} s"
              + (f"{janus_epoch:>11.3f} s" if janus_epoch else f"{'-':>13}"))


if __name__ == "__main__":
    main()
