"""Guard: the PyTorch and NumPy peers compute the same SoftHebb math (to 1e-4).

On fixed small inputs it compares the softkrotov conv update (SoftHebb's convolution-form Δw in
PyTorch against the im2col form in NumPy: the normalised Δw, the weights after one adaptive step,
the BatchNorm running statistics), a frozen block's evaluation forward (triangle + both pools),
the 'soft' linear update, and one Krotov step (float32 argpartition vs topk). The NumPy conv Δw is
also compared with scripts/reference/conv_rule.py, the loop-form oracle that hebb's own golden
tests (Tests/HebbRulesTests/Golden/conv.json) come from. Exit status 1 on a mismatch.
Usage: python check.py
"""
import os
import sys

import common
import numpy as np
import numpy_peer as npp
import torch
import torch_peer as tp

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "reference"))
import conv_rule  # noqa: E402

TOLERANCE = 1e-4
failures = []


def compare(what, a, b):
    a = a.detach().numpy() if isinstance(a, torch.Tensor) else np.asarray(a)
    b = b.detach().numpy() if isinstance(b, torch.Tensor) else np.asarray(b)
    scale = max(1.0, float(np.abs(b).max()))
    error = float(np.abs(a - b).max()) / scale
    status = "ok" if error <= TOLERANCE else "MISMATCH"
    print(f"check: {what:<48} max |a − b| / max(1, max|b|) = {error:.2e}  {status}")
    if error > TOLERANCE:
        failures.append(what)


rng = np.random.default_rng(42)
for index, (block, cin, side) in enumerate([
    (dict(common.CONV_BLOCKS[0], cout=6), 3, 9),   # k5 pad 2, max pool 4/2/1
    (dict(common.CONV_BLOCKS[2], cout=8), 4, 6),   # k3 pad 1, avg pool 2/2/0
]):
    x = rng.random((3, cin, side, side), dtype=np.float32)
    W = common.init_conv(cin, block, rng)
    np_state = dict(W=W.copy(), r=np.linalg.norm(W.reshape(block["cout"], -1), axis=1),
                    rm=np.zeros(cin, np.float32), rv=np.ones(cin, np.float32))
    layer = tp.SoftKrotovConv(torch.from_numpy(W.copy()), block)
    normalised = npp.batch_norm(x, dict(np_state), training=True).astype(np.float64)
    _, oracle = conv_rule.conv_update(normalised, W.astype(np.float64), "softkrotov", 1, block["pad"], 1, 1, block["t"], 2, 0.4)
    compare(f"conv {index}: Δw, NumPy peer vs loop-form oracle", npp.conv_delta(block, dict(np_state), x), oracle)
    compare(f"conv {index}: normalised Δw", layer.delta(torch.from_numpy(x)), npp.conv_delta(block, np_state, x))
    compare(f"conv {index}: BN running mean / var", torch.cat([layer.rm, layer.rv]), np.concatenate([np_state["rm"], np_state["rv"]]))
    layer.learn(torch.from_numpy(x))
    npp.conv_train_step(block, np_state, x)
    compare(f"conv {index}: weights after one update", layer.W, np_state["W"])
    compare(f"conv {index}: frozen forward (triangle, pool)", layer.forward(torch.from_numpy(x)), npp.conv_eval_forward(block, np_state, x))

sp = common.SOFT_MLP
x = rng.random((5, 20), dtype=np.float32)
W = rng.random((7, 20), dtype=np.float32) * 2
radii = npp.soft_linear_step(W_np := W.copy(), np.linalg.norm(W, axis=1), x, sp["t"] / 10, sp["lr"], sp["lp"])
linear = tp.SoftLinear(torch.from_numpy(W.copy()), sp["t"] / 10, sp["lr"], sp["lp"])
linear.step(torch.from_numpy(x))
compare("soft linear: weights after one update", linear.W, W_np)

kp = common.KROTOV
x = rng.random((9, 30), dtype=np.float32)
W = rng.standard_normal((12, 30)).astype(np.float32)
npp.krotov_idiomatic_step(W_np := W.copy(), x, kp["eps"], kp["p"], kp["k"], kp["delta"], kp["prec"])
krotov = tp.Krotov(torch.from_numpy(W.copy()), 9, kp["p"], kp["k"], kp["delta"], kp["eps"], kp["prec"])
krotov.step(torch.from_numpy(x))
compare("Krotov (p 3, k 7): weights after one update", krotov.W, W_np)
synapses = W.astype(np.float64).copy()
npp.krotov_notebook_step(synapses, x.T.astype(np.float64), kp["eps"], kp["p"], kp["k"], kp["delta"], kp["prec"])
compare("Krotov notebook (float64) vs topk (float32)", krotov.W, synapses)

if failures:
    print(f"check: FAILED: {', '.join(failures)}")
    sys.exit(1)
print("check: the PyTorch and NumPy peers agree")
