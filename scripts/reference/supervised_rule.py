#!/usr/bin/env python3
"""Independent NumPy reference for SoftHebb's supervised Hebbian classifier update
(`supervisedsoftkrotov`, spec §4.3): y = one_hot(target), so

    dW[c] = sum_{m : t_m = c} (x_m - u[m, c] * W[c]),   u = x @ W.T   (p = 2)
    dW   <- dW / (max|dW| + 1e-30)

Writes ``Tests/HebbRulesTests/Golden/supervised.json`` (inputs rounded to float32 and stored).
Usage:  python3 scripts/reference/supervised_rule.py [output.json]
"""
import json
import os
import sys

import numpy as np

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
DEFAULT_OUT = os.path.join(ROOT, "Tests", "HebbRulesTests", "Golden", "supervised.json")


def f32(a):
    return np.asarray(a, dtype=np.float32).astype(np.float64)


def case(name, M, N, O, seed):
    rng = np.random.default_rng(seed)
    x = f32(rng.uniform(0.0, 1.0, size=(M, N)))
    W = f32(rng.uniform(0.0, 0.5, size=(O, N)))
    t = rng.integers(0, O, size=M)
    t[0] = 0  # class 0 always present; the last class may be absent (its row must stay 0)
    u = x @ W.T
    dW = np.zeros_like(W)
    for m in range(M):
        c = t[m]
        dW[c] += x[m] - u[m, c] * W[c]
    dW /= np.abs(dW).max() + 1e-30
    return {"name": name, "M": M, "N": N, "O": O, "x": x.ravel().tolist(), "W": W.ravel().tolist(),
            "targets": [int(v) for v in t], "deltaW": dW.ravel().tolist()}


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else DEFAULT_OUT
    data = {"generator": "scripts/reference/supervised_rule.py",
            "cases": [case("small", 6, 5, 4, 21), case("wide", 40, 12, 10, 22)]}
    with open(out, "w") as f:
        json.dump(data, f, indent=1)
        f.write("\n")
    print(f"wrote {out}: {len(data['cases'])} cases")


if __name__ == "__main__":
    main()
