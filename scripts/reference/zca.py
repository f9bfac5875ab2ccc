#!/usr/bin/env python3
"""Golden values for hebb's pre-processing (HebbData/Preprocessing.swift), computed independently.

Per-channel standardisation (mean and population std of byte/255 over the training rows), then
ZCA whitening: C = (X − μ)ᵀ(X − μ)/n over the standardised training rows, Z = U·diag(1/√(s+ε))·Uᵀ
(numpy.linalg.svd of C, ε = 0.1), applied as (x − μ)·Z. Writes
Tests/HebbDataTests/Golden/zca.json. Usage: python3 scripts/reference/zca.py
"""
import json
import os

import numpy as np

rng = np.random.default_rng(5)
n, c, h, w = 40, 3, 2, 3
pixels = rng.integers(0, 256, size=(n, c, h, w), dtype=np.uint8)
# Correlate the channels so whitening has something to undo.
pixels[:, 1] = np.clip(pixels[:, 0].astype(int) // 2 + pixels[:, 1] // 2, 0, 255)
train_rows = list(range(0, 30))
test_rows = list(range(30, 40))
epsilon = 0.1

values = pixels.astype(np.float64) / 255.0
train = values[train_rows]
mean_c = train.mean(axis=(0, 2, 3))
std_c = train.std(axis=(0, 2, 3))
standardised = (values - mean_c[None, :, None, None]) / std_c[None, :, None, None]
x = standardised.reshape(n, -1)
x_train = x[train_rows]
mu = x_train.mean(axis=0)
cov = (x_train - mu).T @ (x_train - mu) / len(train_rows)
u, s, _ = np.linalg.svd(cov)
z = u @ np.diag(1.0 / np.sqrt(s + epsilon)) @ u.T
whitened = (x - mu) @ z

out = {
    "shape": [n, c, h, w],
    "pixels": pixels.reshape(-1).tolist(),
    "train_rows": train_rows,
    "epsilon": epsilon,
    "channel_mean": mean_c.tolist(),
    "channel_std": std_c.tolist(),
    "mean": mu.tolist(),
    "matrix": z.reshape(-1).tolist(),
    "whitened": whitened.reshape(-1).tolist(),
}
path = os.path.join(os.path.dirname(__file__), "..", "..", "Tests", "HebbDataTests", "Golden", "zca.json")
os.makedirs(os.path.dirname(path), exist_ok=True)
with open(path, "w") as f:
    json.dump(out, f)
print("wrote", os.path.normpath(path))
