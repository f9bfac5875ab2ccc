#!/usr/bin/env python3
"""Independent NumPy reference for the Hebbian learning rules used by SoftHebb.

Writes the golden file ``Tests/HebbRulesTests/Golden/rules.json`` consumed by the
Swift ``HebbRulesTests`` target.  Plain NumPy, float64 internally.

References
----------
* A. Journé, H. G. Rodriguez, Q. Guo, T. Moraitis, "Hebbian deep learning without
  feedback", ICLR 2023 (SoftHebb): soft-WTA plasticity, radius-adaptive learning rate,
  Lebesgue-norm weights.
* D. Krotov, J. J. Hopfield, "Unsupervised learning by competing hidden units",
  PNAS 116(16), 2019: hard WTA with anti-Hebbian k-th ranked unit.

Notation
--------
x (M, N) inputs, W (O, N) weights, p Lebesgue power, effective weight
w_hat = sign(W) * |W|**(p-1) (== W for p = 2), currents u = x @ w_hat.T (M, O).
Post-synaptic y (M, O) depends on the rule ("hard", "soft", "softkrotov",
"hardkrotov"); the weight change is, for every rule,

    dW = y.T @ x - (sum_m y[m, c] * u[m, c])[:, None] * W      (decay uses W, not w_hat)

followed by a global max-abs normalisation (see ``normalise``).

All inputs are drawn from ``numpy.random.default_rng(seed)``, rounded to float32 and
written into the JSON, so the Swift side never needs NumPy's RNG.  Every array in the
JSON is a flat, row-major list of numbers.  Running the script twice yields a
byte-identical file.

Usage:  python3 scripts/reference/hebbian_rules.py [output.json]
"""
import json
import math
import os
import sys

import numpy as np

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
DEFAULT_OUT = os.path.join(ROOT, "Tests", "HebbRulesTests", "Golden", "rules.json")


def f32(a):
    """Round to float32 and return as float64 (exact float32 values)."""
    return np.asarray(a, dtype=np.float32).astype(np.float64)


def flat(a):
    """Row-major flat list of Python floats."""
    return [float(v) for v in np.asarray(a, dtype=np.float64).ravel(order="C")]


# ----------------------------------------------------------------------------- rules
def effective_weight(W, p):
    """w_hat = sign(W) * |W|**(p-1); exactly W for p = 2."""
    return W.copy() if p == 2 else np.sign(W) * np.abs(W) ** (p - 1)


def currents(x, W, p):
    return x @ effective_weight(W, p).T  # (M, O)


def softmax(z):
    z = z - z.max(axis=1, keepdims=True)  # numerically stable
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def post_synaptic(u, rule, t=1.0, k=2, delta=0.4):
    """y (M, O) for the given rule.  Ties: lowest unit index wins / ranks first."""
    M, O = u.shape
    rows = np.arange(M)
    win = np.argmax(u, axis=1)  # np.argmax returns the lowest index on ties
    if rule == "hard":
        y = np.zeros_like(u)
        y[rows, win] = 1.0
    elif rule == "soft":
        y = softmax(t * u)
    elif rule == "softkrotov":
        s = softmax(t * u)
        y = -s
        y[rows, win] = s[rows, win]
    elif rule == "hardkrotov":
        assert 2 <= k <= O
        order = np.argsort(-u, axis=1, kind="stable")  # rank by u descending
        y = np.zeros_like(u)
        y[rows, order[:, 0]] = 1.0
        y[rows, order[:, k - 1]] = -delta
    else:
        raise ValueError(rule)
    return y


def normalise(d, rule):
    """Global max-abs normalisation.

    SoftHebb (soft / hard / softkrotov): d / (max|d| + 1e-30).
    Krotov notebook (hardkrotov):        d / max(max|d|, prec), prec = 1e-30.
    Both agree to float precision whenever max|d| >> 1e-30.
    """
    if rule == "hardkrotov":
        return d / max(np.abs(d).max(), 1e-30)
    return d / (np.abs(d).max() + 1e-30)


def delta_w(x, W, y, u, rule):
    d = y.T @ x - (y * u).sum(axis=0)[:, None] * W
    return normalise(d, rule)


def radii(W, p):
    """Lebesgue p-norm of each unit's weight row: (sum_i |W_ci|^p)^(1/p)."""
    return (np.abs(W) ** p).sum(axis=1) ** (1.0 / p)


def step(x, W, rule, p, t=1.0, k=2, delta=0.4):
    u = currents(x, W, p)
    y = post_synaptic(u, rule, t, k, delta)
    return u, y, delta_w(x, W, y, u, rule)


# ------------------------------------------------------------------------- schedules
def adaptive_eta(W, p, lr, power_lr):
    """SoftHebb "v1": eta_c = lr * (|r_c - 1| + 1e-10)**power_lr, per unit."""
    return lr * (np.abs(radii(W, p) - 1.0) + 1e-10) ** power_lr


def linear_eta(k, lr, nb_epochs, batch_size, training_sample):
    """SoftHebb "v0": eta_k = max(0, lr - k * lr * ratio / nbEpochs), ratio = bs / N."""
    ratio = batch_size / training_sample
    return max(0.0, lr - k * lr * ratio / nb_epochs)


# ------------------------------------------------------------------------ init scale
def dfact(x):
    """Double factorial with x!! = x for x <= 2."""
    return x if x <= 2 else x * dfact(x - 2)


def init_scales(p, radius, n):
    R = radius ** p
    tau = dfact(p - 1) * (math.sqrt(2.0 / math.pi) if p % 2 == 1 else 1.0)
    return {"p": p, "radius": float(radius), "fanIn": n, "tau": tau,
            "normalStd": (R / (n * tau)) ** (1.0 / p),
            "uniformRange": ((p + 1) * R / n) ** (1.0 / p)}


# ----------------------------------------------------------------------------- build
CASES = [  # name, rule, t, p, k, delta, O, seed
    ("hard_p2", "hard", 1.0, 2, 2, 0.4, 4, 101),
    ("soft_t1.7_p2", "soft", 1.7, 2, 2, 0.4, 4, 102),
    ("softkrotov_t1_p2", "softkrotov", 1.0, 2, 2, 0.4, 4, 103),
    ("softkrotov_t12_p2", "softkrotov", 12.0, 2, 2, 0.4, 4, 104),
    ("hardkrotov_p2_k2", "hardkrotov", 1.0, 2, 2, 0.4, 4, 105),
    ("hardkrotov_p3_k3_O8", "hardkrotov", 1.0, 3, 3, 0.4, 8, 106),
    ("soft_t1_p3", "soft", 1.0, 3, 2, 0.4, 4, 107),
]
M, N = 6, 5


def build_case(name, rule, t, p, k, delta, O, seed):
    rng = np.random.default_rng(seed)
    x = f32(rng.uniform(0.0, 1.0, size=(M, N)))  # non-negative patches
    W = f32(rng.normal(0.0, 1.0, size=(O, N)))  # signed weights (exercise sign(W))
    u, y, d = step(x, W, rule, p, t, k, delta)
    return {"name": name, "rule": rule, "seed": seed, "M": M, "N": N, "O": O,
            "t": t, "p": p, "rankingK": k, "delta": delta,
            "x": flat(x), "W": flat(W), "u": flat(u), "y": flat(y),
            "deltaW": flat(d), "radii": flat(radii(W, p))}


def trajectory(W0, xs, rule, p, t, eta_fn):
    W, steps = W0.copy(), []
    for i, x in enumerate(xs):
        r = radii(W, p)
        eta = np.broadcast_to(np.asarray(eta_fn(i, W), dtype=np.float64), (W.shape[0],))
        u, y, d = step(x, W, rule, p, t)
        W = W + eta[:, None] * d
        steps.append({"x": flat(x), "u": flat(u), "y": flat(y), "deltaW": flat(d),
                      "radiiBefore": flat(r), "eta": flat(eta), "W": flat(W),
                      "radiiAfter": flat(radii(W, p))})
    return steps


def build_schedules(seed=200, O=4, n_steps=3):
    rng = np.random.default_rng(seed)
    W0 = f32(3.0 * math.sqrt(3.0 / N) * rng.uniform(0.0, 1.0, size=(O, N)))  # radius ~3
    xs = [f32(rng.uniform(0.0, 1.0, size=(M, N))) for _ in range(n_steps)]
    lr, plr = 0.05, 0.5
    adaptive = {"rule": "softkrotov", "t": 1.0, "p": 2, "lr": lr, "powerLR": plr,
                "seed": seed, "M": M, "N": N, "O": O, "W0": flat(W0),
                "steps": trajectory(W0, xs, "softkrotov", 2, 1.0,
                                    lambda i, W: adaptive_eta(W, 2, lr, plr))}
    lr2, ep, bs, ts = 0.1, 1, 6, 18
    lin = {"rule": "hard", "t": 1.0, "p": 2, "lr": lr2, "nbEpochs": ep,
           "batchSize": bs, "trainingSample": ts, "seed": seed, "M": M, "N": N, "O": O,
           "W0": flat(W0),
           "steps": trajectory(W0, xs, "hard", 2, 1.0,
                               lambda i, W: linear_eta(i, lr2, ep, bs, ts)),
           "etaAfter": [linear_eta(k, lr2, ep, bs, ts) for k in range(n_steps, n_steps + 2)]}
    return {"adaptive": adaptive, "linearDecay": lin}


def build():
    return {
        "generator": "scripts/reference/hebbian_rules.py",
        "numpy": "float64 compute; inputs rounded to float32; arrays flat row-major",
        "cases": [build_case(*c) for c in CASES],
        "schedules": build_schedules(),
        "initScales": [init_scales(p, r, n) for p in (2, 3) for r in (25, 35)
                       for n in (75, 784)],
    }


def dumps(obj, ind=0):
    """Deterministic JSON: objects indented, numeric lists on one line."""
    pad, pad1 = "  " * ind, "  " * (ind + 1)
    if isinstance(obj, dict):
        items = [f"{pad1}{json.dumps(k)}: {dumps(v, ind + 1)}" for k, v in obj.items()]
        return "{\n" + ",\n".join(items) + "\n" + pad + "}"
    if isinstance(obj, list) and any(isinstance(v, (dict, list)) for v in obj):
        return "[\n" + ",\n".join(pad1 + dumps(v, ind + 1) for v in obj) + "\n" + pad + "]"
    return json.dumps(obj, allow_nan=False)


def checks(doc):
    s = {(d["p"], d["radius"], d["fanIn"]): d for d in doc["initScales"]}
    sig, rng_ = s[(2, 25.0, 75)]["normalStd"], s[(2, 35.0, 784)]["uniformRange"]
    print(f"p=2 R=25 n=75   normal sigma  = {sig:.4f} (expect 2.8868)")
    print(f"p=2 R=35 n=784  uniform range = {rng_:.4f} (expect 2.1651)")
    assert abs(sig - 2.8868) < 1e-4 and abs(rng_ - 2.1651) < 1e-4
    etas = [st["eta"][0] for st in doc["schedules"]["linearDecay"]["steps"]]
    print("linearDecay eta =", [round(e, 4) for e in etas], "next",
          doc["schedules"]["linearDecay"]["etaAfter"])
    assert np.allclose(etas, [0.1, 0.2 / 3, 0.1 / 3]) and doc["schedules"]["linearDecay"]["etaAfter"][0] == 0.0
    print("adaptive W0 radii =", [round(r, 4) for r in doc["schedules"]["adaptive"]["steps"][0]["radiiBefore"]])
    for c in doc["cases"]:
        d = np.array(c["deltaW"])
        assert abs(np.abs(d).max() - 1.0) < 1e-12, c["name"]
        print(f"case {c['name']:22s} max|dW|={np.abs(d).max():.6f} y[0]={np.round(c['y'][:c['O']], 4).tolist()}")


if __name__ == "__main__":
    out = sys.argv[1] if len(sys.argv) > 1 else DEFAULT_OUT
    doc = build()
    text = dumps(doc) + "\n"
    os.makedirs(os.path.dirname(out), exist_ok=True)
    with open(out, "w") as fh:
        fh.write(text)
    checks(json.loads(open(out).read()))
    print("wrote", os.path.relpath(out, os.getcwd()))
