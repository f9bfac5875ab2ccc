"""Shared by the NumPy and PyTorch peers: options, data, model shapes, timing, JSON output.

Each peer script measures ONE row per process (so peak RSS is that row's) and prints one JSON
line per measurement: {"impl", "row", "seconds", "images", "rss_mib", "note", "extrapolated"}.
scripts/bench/table.py turns the lines of hebb-bench and both peers into the benchmark table.
"""
import argparse
import gzip
import json
import os
import resource
import sys
import time

# Thread counts must be fixed before NumPy / PyTorch load their BLAS.
THREADS = int(os.environ.get("HEBB_PEER_THREADS", "2"))
for _name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_name, str(THREADS))

import numpy as np  # noqa: E402

ROWS = [
    "roofline", "krotov-1024", "krotov-100", "softmlp-32",
    "cifar-b0", "cifar-b1", "cifar-b2", "cifar-fwd", "cifar-clf",
    "mnist-b0", "mnist-b1", "mnist-b2", "mnist-fwd", "mnist-clf",
]

# The three softkrotov conv blocks of 4SoftHebbCnnCIFAR and 4SoftHebbCnnMNIST (softhebb.md §1.8):
# BN2d (affine-free) → reflect pad → conv → triangle_q → pool; normal init σ = 25/√fan-in.
CONV_BLOCKS = [
    dict(cout=96, k=5, pad=2, t=1.0, lr=0.08, lp=0.5, tri=0.7, pool=("max", 4, 2, 1)),
    dict(cout=384, k=3, pad=1, t=0.65, lr=0.005, lp=0.5, tri=1.4, pool=("max", 4, 2, 1)),
    dict(cout=1536, k=3, pad=1, t=0.25, lr=0.01, lp=0.5, tri=1.0, pool=("avg", 2, 2, 0)),
]
# Per stack: input shape, unsupervised batch, classifier batch (CIFAR10_1 / CIFAR10_50, MNIST_1 / MNIST_10).
STACKS = {
    "cifar": dict(shape=(3, 32, 32), batch=10, clf_batch=64, source="synthetic 3×32×32"),
    "mnist": dict(shape=(1, 28, 28), batch=32, clf_batch=32, source="MNIST"),
}
KROTOV = dict(hidden=2000, p=3, k=7, delta=0.4, eps=0.04, prec=1e-30)  # KrotovMlpMNIST (ε0 0.04)
SOFT_MLP = dict(hidden=2000, t=12.0, lr=0.045, lp=0.2, radius=35.0)  # 2SoftMlpMNIST block 0


def parse_args(impl):
    parser = argparse.ArgumentParser(description=f"{impl} peer of hebb-bench: measures one row")
    parser.add_argument("--row", required=True, choices=ROWS)
    parser.add_argument("--quick", action="store_true", help="time ~0.3 s per row (script check, not for reporting)")
    parser.add_argument("--datasets", default=os.environ.get("HEBB_DATASETS", "../shared/datasets"))
    parser.add_argument("--seconds", type=float, default=None, help="minimum timed seconds per row (default 5, quick 0.3)")
    args = parser.parse_args()
    if args.seconds is None:
        args.seconds = 0.3 if args.quick else 5.0
    return args


def load_mnist(datasets):
    """The 60 000 MNIST training images as uint8 (60000, 784), read from the IDX gzip files."""
    for name in ("train-images-idx3-ubyte.gz", "train-images-idx3-ubyte"):
        path = os.path.join(datasets, "mnist", name)
        if os.path.exists(path):
            opener = gzip.open if name.endswith(".gz") else open
            with opener(path, "rb") as f:
                raw = f.read()
            count = int.from_bytes(raw[4:8], "big")
            return np.frombuffer(raw, dtype=np.uint8, offset=16).reshape(count, 784), "MNIST"
    rng = np.random.default_rng(7)
    return rng.integers(0, 256, size=(60000, 784), dtype=np.uint8), "synthetic MNIST"


def stack_images(stack, datasets, count):
    """`count` float32 images in [0, 1] shaped (count, C, H, W) for a conv stack, and their source."""
    spec = STACKS[stack]
    if stack == "mnist":
        pixels, source = load_mnist(datasets)
        pixels = pixels[:count]
    else:
        rng = np.random.default_rng(11)
        pixels, source = rng.integers(0, 256, size=(count, int(np.prod(spec["shape"]))), dtype=np.uint8), spec["source"]
    return (pixels.astype(np.float32) / 255).reshape((count,) + spec["shape"]), source


def stack_shapes(stack):
    """(C, H, W) entering each conv block and leaving the last one, for a stack."""
    c, h, w = STACKS[stack]["shape"]
    shapes = [(c, h, w)]
    for block in CONV_BLOCKS:
        kind, k, s, p = block["pool"]
        h, w = (h + 2 * p - k) // s + 1, (w + 2 * p - k) // s + 1
        c = block["cout"]
        shapes.append((c, h, w))
    return shapes


def init_conv(cin, block, rng):
    """(W (Cout, Cin, k, k) float32, σ = 25/√fan-in normal init) as in softhebb.md §1.5."""
    fan_in = cin * block["k"] ** 2
    return (rng.standard_normal((block["cout"], cin, block["k"], block["k"])) * (25 / np.sqrt(fan_in))).astype(np.float32)


def timed_batches(step, batch, pool_size, min_seconds, warmup=2):
    """Runs `step(indices)` on consecutive minibatches of `batch` rows of a pool of `pool_size`
    (wrapping around) until `min_seconds` have passed; the first `warmup` ones are not timed.
    Returns (seconds, images timed)."""
    position = 0

    def next_indices():
        nonlocal position
        if position + batch > pool_size:
            position = 0
        rows = np.arange(position, position + batch)
        position += batch
        return rows

    for _ in range(warmup):
        step(next_indices())
    began = time.perf_counter()
    images = 0
    while True:
        step(next_indices())
        images += batch
        elapsed = time.perf_counter() - began
        if elapsed >= min_seconds:
            return elapsed, images


def best_seconds(body, repeats):
    """Fastest of `repeats` timed calls of `body`, after one untimed call."""
    body()
    best = float("inf")
    for _ in range(repeats):
        began = time.perf_counter()
        body()
        best = min(best, time.perf_counter() - began)
    return best


def peak_rss_mib():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def emit(impl, row, seconds, images, note, extrapolated=True, **extra):
    record = dict(impl=impl, row=row, seconds=seconds, images=images, rss_mib=peak_rss_mib(),
                  note=note, extrapolated=extrapolated, **extra)
    print(json.dumps(record, sort_keys=True), flush=True)
    rate = images / seconds if seconds else 0
    print(f"{impl}-peer: {row}  {seconds:.2f} s  {images} images  {rate:.1f} img/s  ({note})", file=sys.stderr)
