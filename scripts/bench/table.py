#!/usr/bin/env python3
"""Merges the JSON lines of hebb-bench and the peers (scripts/bench/peers) into one Markdown table.

Usage: table.py RESULTS.jsonl [--quick]   (standard library only)

Every measured line has impl (hebb / torch / numpy), row, seconds (timed wall time), images
(images in the timed work); hebb's also flop_per_image, rss_mib, bound_mib. A row's workload time is
N × seconds / images with N the workload's images (extrapolated when fewer were timed); derived
rows (full recipes) add their parts. See README, Benchmarks.
"""
import json
import sys

CIFAR, MNIST = 50000, 60000
# id, label, workload images N
ROWS = [
    ("roofline", "sgemm roofline, GFLOP/s", None),
    ("krotov-1024", "KrotovMlpMNIST unsup epoch, batch 1024", MNIST),
    ("krotov-100", "KrotovMlpMNIST unsup epoch, batch 100", MNIST),
    ("softmlp-32", "2SoftMlpMNIST unsup epoch, batch 32", MNIST),
    ("cifar-b0", "4SoftHebbCnnCIFAR block 0 unsup phase, 50k img, batch 10", CIFAR),
    ("cifar-b1", "4SoftHebbCnnCIFAR block 1 unsup phase, 50k img, batch 10", CIFAR),
    ("cifar-b2", "4SoftHebbCnnCIFAR block 2 unsup phase, 50k img, batch 10", CIFAR),
    ("cifar-fwd", "4SoftHebbCnnCIFAR frozen conv forward, 50k+10k img (feature cache)", CIFAR + 10000),
    ("cifar-clf", "4SoftHebbCnnCIFAR classifier epoch on cached features, batch 64", CIFAR),
    ("cifar-recipe", "4SoftHebbCnnCIFAR full recipe (b0+b1+b2+fwd+50 clf epochs)", None),
    ("mnist-b0", "4SoftHebbCnnMNIST block 0 unsup phase, 60k img, batch 32", MNIST),
    ("mnist-b1", "4SoftHebbCnnMNIST block 1 unsup phase, 60k img, batch 32", MNIST),
    ("mnist-b2", "4SoftHebbCnnMNIST block 2 unsup phase, 60k img, batch 32", MNIST),
    ("mnist-fwd", "4SoftHebbCnnMNIST frozen conv forward, 60k+10k img (feature cache)", MNIST + 10000),
    ("mnist-clf", "4SoftHebbCnnMNIST classifier epoch on cached features, batch 32", MNIST),
    ("mnist-recipe", "4SoftHebbCnnMNIST full recipe (b0+b1+b2+fwd+10 clf epochs)", None),
    ("mnist-recipe-real", "4SoftHebbCnnMNIST full recipe, `hebb train` measured", None),
]
RECIPES = {
    "cifar-recipe": [("cifar-b0", 1), ("cifar-b1", 1), ("cifar-b2", 1), ("cifar-fwd", 1), ("cifar-clf", 50)],
    "mnist-recipe": [("mnist-b0", 1), ("mnist-b1", 1), ("mnist-b2", 1), ("mnist-fwd", 1), ("mnist-clf", 10)],
}
IMPLS = ("hebb", "torch", "numpy")


def load(path):
    results = {}
    with open(path) as f:
        for line in f:
            line = line.strip()
            if line.startswith("{"):
                record = json.loads(line)
                results[(record["impl"], record["row"])] = record
    return results


def workload(results, impl, row, n):
    """(seconds for the whole workload, images timed, whether extrapolated, FLOP, RSS, bound) or None."""
    if row in RECIPES:
        parts = [workload(results, impl, part, dict((r, m) for r, _, m in ROWS)[part]) for part, _ in RECIPES[row]]
        if any(p is None or p.get("error") for p in parts):
            return None
        times = [count for _, count in RECIPES[row]]
        return dict(seconds=sum(p["seconds"] * t for p, t in zip(parts, times)),
                    flop=sum(p["flop"] * t for p, t in zip(parts, times)), extrapolated=True, images=None,
                    rss=max(p["rss"] for p in parts), bound=max((p["bound"] or 0) for p in parts))
    record = results.get((impl, row))
    if record is None:
        return None
    if "error" in record:
        return dict(error=record["error"])
    if n is None:  # measured whole (the real recipe)
        return dict(seconds=record["seconds"], flop=0, extrapolated=False, images=None,
                    rss=record.get("rss_mib"), bound=record.get("bound_mib"))
    per_image = record["seconds"] / record["images"]
    return dict(seconds=n * per_image, flop=n * record.get("flop_per_image", 0), images=record["images"],
                extrapolated=record["images"] < n, rss=record.get("rss_mib"), bound=record.get("bound_mib"))


def fmt_seconds(s):
    if s >= 600:
        return f"{s:.0f} ({s / 60:.1f} min)"
    return f"{s:.1f}" if s >= 10 else f"{s:.2f}"


def fmt(value, digits=0):
    return "–" if value is None else f"{value:.{digits}f}"


def main():
    path = sys.argv[1]
    quick = "--quick" in sys.argv[2:]
    results = load(path)
    roof = results.get(("hebb", "roofline"), {}).get("gflops")
    print("| workload | hebb s | img/s | GFLOP/s | % roofline | peak RSS MiB | RSS bound MiB | PyTorch s | NumPy s "
          "| hebb÷PyTorch | hebb÷NumPy | images timed (hebb / torch / numpy) |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for row, label, n in ROWS:
        if row == "roofline":
            g = {impl: results.get((impl, row), {}).get("gflops") for impl in IMPLS}
            ratio = lambda peer: f"{g['hebb'] / g[peer]:.2f}×" if g["hebb"] and g[peer] else "–"
            print(f"| {label} | – | – | {fmt(g['hebb'], 1)} | 100 | {fmt(results.get(('hebb', row), {}).get('rss_mib'))} | – "
                  f"| {fmt(g['torch'], 1)} GFLOP/s | {fmt(g['numpy'], 1)} GFLOP/s | {ratio('torch')} | {ratio('numpy')} | sgemm |")
            continue
        real_n = n
        w = {impl: workload(results, impl, row, real_n) for impl in IMPLS}
        if row == "mnist-recipe-real":
            if w["hebb"] is None:
                continue  # only with --full-recipe
            w["torch"], w["numpy"] = workload(results, "torch", "mnist-recipe", None), workload(results, "numpy", "mnist-recipe", None)
        h = w["hebb"]
        if h is None or "error" in h:
            cells = ["error" if h else "not run"] + ["–"] * 6
        else:
            gflops = h["flop"] / h["seconds"] / 1e9 if h["flop"] else None
            mark = "~" if h["extrapolated"] else ""
            rate = n / h["seconds"] if n else None
            cells = [mark + fmt_seconds(h["seconds"]), fmt(rate), fmt(gflops, 1),
                     fmt(100 * gflops / roof if gflops and roof else None), fmt(h["rss"]), fmt(h["bound"])]
        peers, ratios = [], []
        for impl in ("torch", "numpy"):
            p = w[impl]
            if p is None or "error" in p:
                peers.append("error" if p else "–")
                ratios.append("–")
                continue
            peers.append("~" + fmt_seconds(p["seconds"]))
            ratios.append(f"{p['seconds'] / h['seconds']:.2f}×" if h and "error" not in h else "–")
        basis = "sum of the rows above" if row in RECIPES else " / ".join(
            str(w[i]["images"]) if w[i] and w[i].get("images") else "–" for i in IMPLS)
        if row == "mnist-recipe-real":
            basis = "hebb measured; peers: their recipe sum"
        print(f"| {label} | " + " | ".join(cells + peers + ratios + [basis]) + " |")
    print()
    if quick:
        print("**--quick run: few images per row on a possibly busy machine — these timings are NOT for reporting.**")
        print()
    print("hebb s: wall seconds of the whole workload for hebb; `~` = extrapolated from the images timed (last column).")
    print("img/s = workload images ÷ hebb s. GFLOP/s = counted FLOP ÷ hebb s (README, Benchmarks: what is counted);")
    print("% roofline = that ÷ hebb's sgemm GFLOP/s measured in this run. Peak RSS = hebb's process for that row;")
    print("RSS bound = 2 × (dataset + parameters + one batch of activations). PyTorch s / NumPy s: the peers'")
    print("time for the same workload (always extrapolated from a fixed number of timed minibatches).")
    print("hebb÷PyTorch, hebb÷NumPy = peer seconds ÷ hebb seconds (speed-up of hebb; > 1 means hebb is faster).")
    print("Peers: NumPy Krotov batch 100 = the 2019 notebook verbatim (float64, argsort), batch 1024 = float32 +")
    print("argpartition; PyTorch Krotov = topk + in-place ops. Conv rows: peers run the frozen blocks' forward every")
    print("minibatch (as SoftHebb); hebb caches it once per phase (included in its time). Recipes give all cached features.")
    for impl in IMPLS:
        record = results.get((impl, "roofline"))
        if record:
            print(f"{impl}: {record['note']}")
    missing = [impl for impl in ("torch", "numpy") if not any(k[0] == impl for k in results)]
    for impl in missing:
        print(f"{impl}: not run (see the run.sh output for why)")
    for key, record in sorted(results.items()):
        if "error" in record:
            print(f"error: {key[0]} {key[1]}: {record['error']}")


if __name__ == "__main__":
    main()
