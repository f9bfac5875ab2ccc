#!/usr/bin/env python3
"""Independent NumPy reference for one Hebbian *convolutional* update (SoftHebb spec §3.3).

Writes ``Tests/HebbRulesTests/Golden/conv.json``.  Computed straight from the convolution
formula, with explicit loops over batch, output positions and kernel offsets and no im2col:

    x_pad = reflect-pad(x, padding)                        (PyTorch 'reflect' == numpy 'reflect')
    u[n, c, i, j] = sum_{ci, a, b} w[c, ci, a, b] * x_pad[n, g*Cg + ci, i*s + a*d, j*s + b*d]
    y[n, :, i, j] = rule(u[n, group channels, i, j])       (competition across a group's filters)
    dW[c, ci, a, b] = sum_{n,i,j} y[n,c,i,j] * x_pad[n, g*Cg + ci, i*s + a*d, j*s + b*d]
                      - (sum_{n,i,j} y[n,c,i,j] * u[n,c,i,j]) * w[c, ci, a, b]
    dW_group <- dW_group / (max|dW_group| + 1e-30)         (each group normalised by its own max)

Rules: soft, softkrotov (mode 0: +s for the arg-max channel, -s for all others), hard,
hardkrotov (+1 winner, -delta for the k-th ranked).  p = 2 (w_hat = w).  Inputs drawn from
numpy.random.default_rng(seed), rounded to float32 and stored, so Swift needs no NumPy RNG.

Usage:  python3 scripts/reference/conv_rule.py [output.json]
"""
import json
import os
import sys

import numpy as np

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
DEFAULT_OUT = os.path.join(ROOT, "Tests", "HebbRulesTests", "Golden", "conv.json")


def f32(a):
    return np.asarray(a, dtype=np.float32).astype(np.float64)


def flat(a):
    return [float(v) for v in np.asarray(a, dtype=np.float64).ravel(order="C")]


def signal(u, rule, t, k, delta):
    """Post-synaptic signal for one competition vector u (channels of one group)."""
    winner = int(np.argmax(u))
    if rule in ("soft", "softkrotov"):
        z = t * u
        s = np.exp(z - z.max())
        s /= s.sum()
        if rule == "soft":
            return s
        y = -s
        y[winner] = s[winner]
        return y
    y = np.zeros_like(u)
    y[winner] = 1.0
    if rule == "hardkrotov":
        order = np.argsort(-u, kind="stable")
        y[order[k - 1]] = -delta
    return y


def conv_update(x, w, rule, stride, padding, dilation, groups, t, k, delta):
    B, C, H, W = x.shape
    O, Cg, K, _ = w.shape
    Og = O // groups
    xp = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)), mode="reflect") if padding else x
    oh = (H + 2 * padding - dilation * (K - 1) - 1) // stride + 1
    ow = (W + 2 * padding - dilation * (K - 1) - 1) // stride + 1
    u = np.zeros((B, O, oh, ow))
    for n in range(B):
        for c in range(O):
            g = c // Og
            for i in range(oh):
                for j in range(ow):
                    acc = 0.0
                    for ci in range(Cg):
                        for a in range(K):
                            for b in range(K):
                                acc += w[c, ci, a, b] * xp[n, g * Cg + ci, i * stride + a * dilation, j * stride + b * dilation]
                    u[n, c, i, j] = acc
    y = np.zeros_like(u)
    for n in range(B):
        for g in range(groups):
            for i in range(oh):
                for j in range(ow):
                    y[n, g * Og:(g + 1) * Og, i, j] = signal(u[n, g * Og:(g + 1) * Og, i, j].copy(), rule, t, k, delta)
    dw = np.zeros_like(w)
    for c in range(O):
        g = c // Og
        decay = float(np.sum(y[:, c] * u[:, c]))
        for ci in range(Cg):
            for a in range(K):
                for b in range(K):
                    acc = 0.0
                    for n in range(B):
                        for i in range(oh):
                            for j in range(ow):
                                acc += y[n, c, i, j] * xp[n, g * Cg + ci, i * stride + a * dilation, j * stride + b * dilation]
                    dw[c, ci, a, b] = acc - decay * w[c, ci, a, b]
    for g in range(groups):
        part = dw[g * Og:(g + 1) * Og]
        dw[g * Og:(g + 1) * Og] = part / (np.abs(part).max() + 1e-30)
    return u, dw


CASES = [
    # name, rule, B, C, H, W, O, K, stride, padding, dilation, groups, t, k, delta, seed
    ("softkrotov_k3_p1", "softkrotov", 2, 3, 6, 6, 4, 3, 1, 1, 1, 1, 1.0, 2, 0.4, 11),
    ("soft_k5_p2_t2", "soft", 2, 3, 7, 6, 5, 5, 1, 2, 1, 1, 2.0, 2, 0.4, 12),
    ("hard_k3_s2", "hard", 3, 2, 7, 7, 4, 3, 2, 1, 1, 1, 1.0, 2, 0.4, 13),
    ("hardkrotov_k3_d2", "hardkrotov", 2, 2, 8, 8, 5, 3, 1, 2, 2, 1, 1.0, 3, 0.4, 14),
    ("softkrotov_groups2", "softkrotov", 2, 4, 5, 5, 6, 3, 1, 1, 1, 2, 0.65, 2, 0.4, 15),
]


def build(case):
    name, rule, B, C, H, W, O, K, s, p, d, g, t, k, delta, seed = case
    rng = np.random.default_rng(seed)
    x = f32(rng.uniform(-1.0, 1.0, size=(B, C, H, W)))
    w = f32(rng.normal(0.0, 0.5, size=(O, C // g, K, K)))
    u, dw = conv_update(x, w, rule, s, p, d, g, t, k, delta)
    return {"name": name, "rule": rule, "B": B, "C": C, "H": H, "W": W, "O": O, "kernel": K,
            "stride": s, "padding": p, "dilation": d, "groups": g, "t": t, "rankingK": k,
            "delta": delta, "x": flat(x), "weight": flat(w), "u": flat(u), "deltaW": flat(dw)}


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else DEFAULT_OUT
    data = {"generator": "scripts/reference/conv_rule.py", "cases": [build(c) for c in CASES]}
    with open(out, "w") as f:
        json.dump(data, f, indent=1)
        f.write("\n")
    print(f"wrote {out}: {len(data['cases'])} cases")


if __name__ == "__main__":
    main()
