#!/usr/bin/env python3
"""Independent NumPy references for Oja's rule, plain Hebb and Lagani's competitive rule.

Writes ``Tests/HebbRulesTests/Golden/local_rules.json``.  Plain loops, float64, no shared code
with hebb:

* Oja: PyTorch-Hebbian's OjasRule loop (per sample y = W x; d_ij += y_i (x_j - y_i w_ij); batch
  mean), with c = 1 so that ``deltaW`` is the step at learning rate 1.
* Plain Hebb: d = mean_b y_b x_b^T - lambda W with y = W x; W' = W + eta d, then optionally every
  row divided by its L2 norm.
* Lagani: a port of HebbianMap2d.update (GabrieleLagani/HebbianLearningThesis, hebbmodel/hebb.py):
  similarities per (patch, kernel) from unfolded patches, teacher multiplied into the scores
  (in place, so the 'hebb' modulation sees y*t as in the original), winner mask = row max, losers
  get lfb_value or the SOM kernel (zero-padded cross-correlation of the winner mask with the
  Gaussian kernel, sharpened k <- k^alpha after each update), r = lfb (base) or lfb*y (hebb),
  delta = sum_n |r| * |r| (sign(r) x_n - w) / sum_n |r|, W' = W + eta * delta.  The final
  classifier case uses Lagani's non-competitive path (lfb = teacher).

Fully connected cases are 1x1 "images" of N channels with a 1x1 kernel (Lagani expresses FC
layers as convolutions whose kernel covers the whole map).  Arrays are flat and row-major; rows
of (M, .) matrices are competitions in (sample, y, x) order; patch columns are (c, ky, kx).
Every winner is separated from the runner-up by more than 1e-4.

Usage:  python3 scripts/reference/local_rules.py [output.json]
"""
import json
import math
import os
import sys

import numpy as np

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
DEFAULT_OUT = os.path.join(ROOT, "Tests", "HebbRulesTests", "Golden", "local_rules.json")


def f32(a):
    return np.asarray(a, dtype=np.float32).astype(np.float64)


def flat(a):
    return [float(v) for v in np.asarray(a, dtype=np.float64).ravel(order="C")]


def unfold(x, k):
    """(B, C, H, W) -> (B*oh*ow, C*k*k), rows (b, i, j), columns (c, a, b); no padding, stride 1."""
    B, C, H, W = x.shape
    oh, ow = H - k + 1, W - k + 1
    rows = []
    for b in range(B):
        for i in range(oh):
            for j in range(ow):
                rows.append(x[b, :, i:i + k, j:j + k].reshape(-1))
    return np.array(rows), oh * ow


# ------------------------------------------------------------------------ Oja and Hebb
def oja(x, W):
    K, N = W.shape
    d = np.zeros_like(W)
    for xb in x:
        y = W @ xb
        for i in range(K):
            for j in range(N):
                d[i, j] += y[i] * (xb[j] - y[i] * W[i, j])
    return d / x.shape[0]


def hebb(x, W, decay):
    d = np.zeros_like(W)
    for xb in x:
        d += np.outer(W @ xb, xb)
    return d / x.shape[0] - decay * W


# ------------------------------------------------------------------------------ Lagani
def similarity(kind, patches, W):
    """Layer output s and competition similarity y (Lagani's out / similarity functions)."""
    n = W.shape[1]
    s = np.zeros((patches.shape[0], W.shape[0]))
    for m, p in enumerate(patches):
        for c, w in enumerate(W):
            nw = np.linalg.norm(w) or 1.0
            np_ = np.linalg.norm(p) or 1.0
            if kind == "angular":
                s[m, c] = p @ w / nw / np_
            elif kind == "proj":
                s[m, c] = p @ w / nw
            elif kind == "euclid":
                s[m, c] = math.exp(-np.sum((p - w) ** 2) / (2 * n))
    y = ((s + 1) / 2) ** 2 if kind == "angular" else s.copy()  # raised_cos2d_pow(2)
    return s, y


def som_feedback(mask, shape, tau, t):
    """Lagani's lateral feedback: zero-padded cross-correlation of each row's winner map."""
    shape = np.array(shape)
    radius = (shape - 1) // 2
    sigma = radius.max()
    xs = [np.abs(np.arange(shape[a]) - radius[a]) for a in range(len(shape))]
    dist = np.maximum.outer(xs[0], xs[1])  # L-infinity, 2-D maps
    kernel = np.exp(-dist.astype(float) ** 2 / (2 * sigma ** 2))
    alpha = math.exp(math.log(sigma) / tau) ** 2
    kernel = kernel ** (alpha ** t)  # sharpened after each of the t earlier updates
    out = np.zeros_like(mask)
    for m in range(mask.shape[0]):
        grid = mask[m].reshape(shape)
        padded = np.pad(grid, [(radius[a], shape[a] - 1 - radius[a]) for a in range(2)])
        res = np.zeros(shape)
        for i in range(shape[0]):
            for j in range(shape[1]):
                res[i, j] = np.sum(padded[i:i + shape[0], j:j + shape[1]] * kernel)
        out[m] = np.clip(res.reshape(-1), -1, 1)
    return out


def lagani(patches, W, kind, rule, lfb_value=0.0, teacher=None, som=None, competitive=True):
    s, y = similarity(kind, patches, W)
    scores = y  # the same array, as in HebbianMap2d: the teacher product below changes y too
    if competitive:
        if teacher is not None:
            scores *= teacher
        top = np.sort(scores, axis=1)
        assert (top[:, -1] - top[:, -2]).min() > 1e-4, "tie-prone scores; change the seed"
        mask = (scores == scores.max(axis=1, keepdims=True)).astype(float)
    else:
        mask = np.ones_like(y)
    if som is not None:
        lfb = som_feedback(mask, som["map"], som["tau"], som["updateIndex"])
    else:
        lfb = mask.copy()
        if competitive:
            lfb[lfb == 0] = lfb_value
        elif teacher is not None:
            lfb = teacher.copy()
    r = lfb * y if rule == "hebb" else lfb
    ra = np.abs(r)
    d = np.zeros_like(W)
    rsum = ra.sum(axis=0)
    rsum += (rsum == 0)
    for c in range(W.shape[0]):
        for m in range(patches.shape[0]):
            d[c] += ra[m, c] * ra[m, c] * (np.sign(r[m, c]) * patches[m] - W[c])
        d[c] /= rsum[c]
    return s, r, d


def teacher_matrix(targets, per_class, classes, units):
    t = np.ones((len(targets), units))
    t[:, :per_class * classes] = 0
    for m, c in enumerate(targets):
        t[m, c * per_class:(c + 1) * per_class] = 1
    return t


# -------------------------------------------------------------------------------- cases
def oja_hebb_cases():
    out = []
    rng = np.random.default_rng(401)
    x = f32(rng.uniform(-1, 1, size=(7, 5)))
    W = f32(rng.normal(0, 0.5, size=(3, 5)))
    d = oja(x, W)
    out.append({"name": "oja_linear", "rule": "oja", "M": 7, "N": 5, "O": 3, "eta": 0.1, "x": flat(x), "W": flat(W),
                "u": flat(x @ W.T), "deltaW": flat(d), "updated": flat(W + 0.1 * d)})
    for name, decay, norm in [("hebb_plain", 0.0, False), ("hebb_decay0.1", 0.1, False), ("hebb_norm", 0.0, True)]:
        d = hebb(x, W, decay)
        W1 = W + 0.05 * d
        if norm:
            W1 = W1 / np.linalg.norm(W1, axis=1, keepdims=True)
        out.append({"name": name, "rule": "hebb", "weightDecay": decay, "unitNormalisation": norm, "M": 7, "N": 5, "O": 3,
                    "eta": 0.05, "x": flat(x), "W": flat(W), "u": flat(x @ W.T), "deltaW": flat(d), "updated": flat(W1)})
    return out


LINEAR_WTA = [  # name, similarity, rule, M, N, O, lfb_value, teacher (perClass, classes), som, competitive, seed
    ("wta_angular_base", "angular", "base", 8, 6, 5, 0.0, None, None, True, 411),
    ("wta_euclid_base", "euclid", "base", 8, 6, 5, 0.0, None, None, True, 412),
    ("wta_angular_hebb", "angular", "hebb", 8, 6, 5, 0.0, None, None, True, 413),
    ("wta_angular_loser", "angular", "base", 8, 6, 5, -0.2, None, None, True, 414),
    ("wta_som_3x4", "angular", "base", 10, 6, 12, 0.0, None, {"map": [3, 4], "tau": 10.0, "updateIndex": 3}, True, 415),
    ("wta_teacher", "angular", "base", 9, 6, 8, 0.0, (2, 3), None, True, 416),
    ("wta_teacher_hebb_loser", "angular", "hebb", 9, 6, 8, -0.3, (2, 3), None, True, 417),
    ("centroid_classifier", "proj", "base", 9, 6, 4, 0.0, (1, 4), None, False, 418),
]


def wta_case(name, kind, rule, M, N, O, lfb, teach, som, competitive, seed, x=None, W=None, patches=None, extra=None):
    rng = np.random.default_rng(seed)
    if x is None:
        x = f32(rng.uniform(-1, 1, size=(M, N)))
        W = f32(rng.normal(0, 0.4, size=(O, N)))
        patches, positions = x, 1
    else:
        positions = patches.shape[0] // x.shape[0]
    targets, tmat = None, None
    if teach is not None:
        targets = [int(v) for v in rng.integers(0, teach[1], size=x.shape[0])]
        rows = [t for t in targets for _ in range(positions)]
        tmat = teacher_matrix(rows, teach[0], teach[1], O)
    s, r, d = lagani(patches, W, kind, rule, lfb, tmat, som, competitive)
    case = {"name": name, "similarity": kind, "modulation": rule, "loserValue": lfb, "M": patches.shape[0],
            "N": patches.shape[1], "O": O, "eta": 0.1, "x": flat(x), "W": flat(W), "s": flat(s), "r": flat(r),
            "deltaW": flat(d), "updated": flat(W + 0.1 * d), "som": som,
            "teacher": None if teach is None else {"targets": targets, "kernelsPerClass": teach[0], "classCount": teach[1]}}
    case.update(extra or {})
    return case


def conv_cases():
    out = []
    for name, kind, rule, teach, seed in [("wta_conv_angular_teacher", "angular", "base", (2, 2), 421),
                                          ("wta_conv_euclid_hebb", "euclid", "hebb", None, 422)]:
        rng = np.random.default_rng(seed)
        B, C, H, W_, O, k = 2, 2, 5, 6, 6, 3
        x = f32(rng.uniform(0, 1, size=(B, C, H, W_)))
        W = f32(rng.normal(0.3, 0.4, size=(O, C * k * k)))
        patches, _ = unfold(x, k)
        out.append(wta_case(name, kind, rule, 0, 0, O, 0.0, teach, None, True, seed + 100, x=x, W=W, patches=patches,
                            extra={"B": B, "C": C, "H": H, "W_": W_, "kernel": k}))
    rng = np.random.default_rng(431)
    x = f32(rng.uniform(0, 1, size=(2, 1, 5, 5)))
    W = f32(rng.normal(0, 0.3, size=(3, 9)))
    patches, _ = unfold(x, 3)
    d = oja(patches, W)
    out.append({"name": "oja_conv", "rule": "oja", "B": 2, "C": 1, "H": 5, "W_": 5, "kernel": 3, "M": patches.shape[0],
                "N": 9, "O": 3, "eta": 0.1, "x": flat(x), "W": flat(W), "s": flat(patches @ W.T), "deltaW": flat(d),
                "updated": flat(W + 0.1 * d)})
    return out


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else DEFAULT_OUT
    doc = {"generator": "scripts/reference/local_rules.py", "classic": oja_hebb_cases(),
           "wta": [wta_case(*c) for c in LINEAR_WTA], "conv": conv_cases()}
    with open(out, "w") as fh:
        json.dump(doc, fh, indent=1)
        fh.write("\n")
    for group in ("classic", "wta", "conv"):
        for c in doc[group]:
            print(f"{c['name']:26s} max|dW| = {np.abs(np.array(c['deltaW'])).max():.5f}")
    print("wrote", os.path.relpath(out, os.getcwd()))


if __name__ == "__main__":
    main()
