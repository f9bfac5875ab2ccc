#!/usr/bin/env python3
"""NumPy port of Krotov & Hopfield's notebook update loop (DimaKrotov/Biological_Learning,
Unsupervised_learning_algorithm_MNIST.ipynb; PNAS 116:7723, 2019).

Writes ``Tests/HebbRulesTests/Golden/krotov_notebook.json``.  ``notebook_training`` below is the
notebook's training cell with its constants turned into arguments; nothing else is changed:

    synapses ~ N(mu, sigma^2)                            (hid, N)
    for nep in range(Nep):
        eps = eps0 * (1 - nep / Nep)
        M = M[permutation]                               (the notebook draws np.random.permutation(Ns))
        for i in range(Ns // Num):
            inputs = M[i*Num:(i+1)*Num, :].T              (N, Num)
            sig = sign(synapses)
            tot_input = dot(sig * |synapses|**(p-1), inputs)
            y = argsort(tot_input, axis=0)
            yl = zeros((hid, Num)); yl[y[hid-1], arange(Num)] = 1.0; yl[y[hid-k], arange(Num)] = -delta
            xx = sum(yl * tot_input, 1)
            ds = dot(yl, inputs.T) - tile(xx[:, None], (1, N)) * synapses
            nc = max(|ds|); if nc < prec: nc = prec
            synapses += eps * ds / nc

Permutations are drawn here and stored in the JSON (so the Swift test never needs NumPy's RNG);
all inputs are rounded to float32 first; float64 compute.  The script asserts that no ranking
decision is closer than 1e-4 (so float32 and float64 rank alike).

Usage:  python3 scripts/reference/krotov_notebook.py [output.json]
"""
import json
import os
import sys

import numpy as np

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
DEFAULT_OUT = os.path.join(ROOT, "Tests", "HebbRulesTests", "Golden", "krotov_notebook.json")
MARGIN = 1e-4


def f32(a):
    return np.asarray(a, dtype=np.float32).astype(np.float64)


def flat(a):
    return [float(v) for v in np.asarray(a, dtype=np.float64).ravel(order="C")]


def check_margins(tot_input, k):
    """Every rank decision the update depends on is separated by more than MARGIN."""
    ordered = np.sort(tot_input, axis=0)[::-1]  # descending per column
    hid = tot_input.shape[0]
    gaps = [ordered[0] - ordered[1], ordered[k - 2] - ordered[k - 1]]
    if k < hid:
        gaps.append(ordered[k - 1] - ordered[k])
    assert min(g.min() for g in gaps) > MARGIN, "ranking too close to call in float32; change the seed"


def notebook_update(synapses, inputs, eps, prec, delta, p, k):
    """One minibatch of the notebook (inputs (N, Num)); returns the new synapses."""
    hid, Num = synapses.shape[0], inputs.shape[1]
    N = synapses.shape[1]
    sig = np.sign(synapses)
    tot_input = np.dot(sig * np.absolute(synapses) ** (p - 1), inputs)
    check_margins(tot_input, k)
    y = np.argsort(tot_input, axis=0)
    yl = np.zeros((hid, Num))
    yl[y[hid - 1, :], np.arange(Num)] = 1.0
    yl[y[hid - k], np.arange(Num)] = -delta
    xx = np.sum(np.multiply(yl, tot_input), 1)
    ds = np.dot(yl, np.transpose(inputs)) - np.multiply(np.tile(xx.reshape(xx.shape[0], 1), (1, N)), synapses)
    nc = np.amax(np.absolute(ds))
    if nc < prec:
        nc = prec
    return synapses + eps * np.true_divide(ds, nc), tot_input, yl, ds / nc


def notebook_training(M, synapses, permutations, eps0, Nep, Num, prec, delta, p, k):
    """The notebook's epoch loop with the given permutations; returns the weights and the eps used."""
    Ns = M.shape[0]
    etas = []
    for nep in range(Nep):
        eps = eps0 * (1 - nep / Nep)
        M = M[permutations[nep], :]
        for i in range(Ns // Num):
            inputs = np.transpose(M[i * Num:(i + 1) * Num, :])
            synapses, _, _, _ = notebook_update(synapses, inputs, eps, prec, delta, p, k)
            etas.append(eps)
    return synapses, etas


SINGLE = [  # name, hid, N, Num, p, k, delta, eps, seed
    ("notebook_defaults_p2_k2", 10, 16, 5, 2.0, 2, 0.4, 2e-2, 301),
    ("mnist_paper_p3_k7", 12, 20, 6, 3.0, 7, 0.4, 4e-2, 302),
    ("p4_k3_delta0.3", 8, 12, 4, 4.0, 3, 0.3, 4e-2, 303),
]

TRAJECTORY = {"name": "three_epochs_p3_k3", "hid": 9, "N": 14, "Ns": 12, "Num": 4, "p": 3.0, "k": 3,
              "delta": 0.4, "eps0": 0.04, "Nep": 3, "seed": 310}


def single_case(name, hid, N, Num, p, k, delta, eps, seed):
    rng = np.random.default_rng(seed)
    W = f32(rng.normal(0.0, 1.0, size=(hid, N)))  # mu = 0, sigma = 1 as the notebook
    V = f32(rng.uniform(0.0, 1.0, size=(Num, N)))  # rows = samples, pixels in [0, 1]
    W1, tot_input, yl, step = notebook_update(W, V.T, eps, 1e-30, delta, p, k)
    return {"name": name, "hid": hid, "N": N, "Num": Num, "p": p, "k": k, "delta": delta, "eps": eps,
            "W": flat(W), "inputs": flat(V), "currents": flat(tot_input.T), "signal": flat(yl.T),
            "step": flat(step), "updated": flat(W1)}


def trajectory_case(t):
    rng = np.random.default_rng(t["seed"])
    W = f32(rng.normal(0.0, 1.0, size=(t["hid"], t["N"])))
    M = f32(rng.uniform(0.0, 1.0, size=(t["Ns"], t["N"])))
    perms = [rng.permutation(t["Ns"]) for _ in range(t["Nep"])]
    W_end, etas = notebook_training(M, W, perms, t["eps0"], t["Nep"], t["Num"], 1e-30, t["delta"], t["p"], t["k"])
    out = dict(t)
    out.update({"W": flat(W), "samples": flat(M), "permutations": [[int(i) for i in q] for q in perms],
                "etas": etas, "final": flat(W_end)})
    return out


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else DEFAULT_OUT
    doc = {"generator": "scripts/reference/krotov_notebook.py",
           "notebook": "DimaKrotov/Biological_Learning Unsupervised_learning_algorithm_MNIST.ipynb",
           "single": [single_case(*c) for c in SINGLE], "trajectory": trajectory_case(TRAJECTORY)}
    with open(out, "w") as fh:
        json.dump(doc, fh, indent=1)
        fh.write("\n")
    for c in doc["single"]:
        print(f"{c['name']:26s} max|step| = {np.abs(np.array(c['step'])).max():.6f}")
    print("trajectory etas:", [round(e, 5) for e in doc["trajectory"]["etas"]])
    print("wrote", os.path.relpath(out, os.getcwd()))


if __name__ == "__main__":
    main()
