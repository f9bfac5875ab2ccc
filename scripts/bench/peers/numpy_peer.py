"""NumPy peer of hebb-bench: one row per process (see common.py), NumPy's bundled OpenBLAS.

- krotov-100: the Krotov–Hopfield notebook's loop verbatim (float64, full argsort; peers.md §2.3),
  with the MNIST hyper-parameters (2000 hidden, p = 3, k = 7, Δ = 0.4);
- krotov-1024: the same rule written idiomatically (float32, argpartition);
- softmlp-32: the SoftHebb linear rule ("soft", softhebb.md §3.2) with the radius-adaptive rate;
- {cifar,mnist}-b{j}: the softkrotov conv update (§3.3) via im2col, after the frozen blocks'
  evaluation forward for every minibatch (as SoftHebb does);
- {cifar,mnist}-fwd: evaluation forward of the three conv blocks (chunks of 100 images; 20 with --quick);
- {cifar,mnist}-clf: dropout + linear + cross-entropy + Adam on cached features.
"""
import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

import common

IMPL = "numpy"


# ---------------------------------------------------------------------------- Krotov–Hopfield
def krotov_notebook_step(synapses, inputs, eps, p, k, delta, prec):
    """One minibatch of the notebook, verbatim: synapses (hid, N), inputs (N, Num), float64."""
    hid, N = synapses.shape
    Num = inputs.shape[1]
    sig = np.sign(synapses)
    tot_input = np.dot(sig * np.absolute(synapses) ** (p - 1), inputs)
    y = np.argsort(tot_input, axis=0)
    yl = np.zeros((hid, Num))
    yl[y[hid - 1, :], np.arange(Num)] = 1.0
    yl[y[hid - k], np.arange(Num)] = -delta
    xx = np.sum(np.multiply(yl, tot_input), 1)
    ds = np.dot(yl, np.transpose(inputs)) - np.multiply(np.tile(xx.reshape(xx.shape[0], 1), (1, N)), synapses)
    nc = np.amax(np.absolute(ds))
    if nc < prec:
        nc = prec
    synapses += eps * np.true_divide(ds, nc)


def krotov_idiomatic_step(W, X, eps, p, k, delta, prec):
    """The same rule in float32 with argpartition: W (hid, N), X (B, N)."""
    Wp = W * np.abs(W) if p == 3 else np.sign(W) * np.abs(W) ** (p - 1)
    currents = X @ Wp.T  # (B, hid)
    ranked = np.argpartition(-currents, (0, k - 1), axis=1)
    rows = np.arange(X.shape[0])
    g = np.zeros_like(currents)
    g[rows, ranked[:, 0]] = 1.0
    g[rows, ranked[:, k - 1]] = -delta
    xx = (g * currents).sum(0)
    ds = g.T @ X - xx[:, None] * W
    W += (eps / max(np.abs(ds).max(), prec)) * ds


# ---------------------------------------------------------------------------- SoftHebb rules
def softmax(z, axis):
    z = z - z.max(axis=axis, keepdims=True)
    np.exp(z, out=z)
    z /= z.sum(axis=axis, keepdims=True)
    return z


def adaptive_rates(lr, lp, radii):
    """η_c = lr · (|r_c − 1| + 1e-10)^power_lr (softhebb.md §3.5)."""
    return lr * (np.abs(radii - 1) + 1e-10) ** lp


def soft_linear_step(W, radii, x, t, lr, lp):
    """One 'soft' linear update (§3.2): W (O, N) float32, x (B, N); returns the new radii."""
    u = x @ W.T
    y = softmax(t * u, 1)
    dw = y.T @ x - (y * u).sum(0)[:, None] * W
    dw /= np.abs(dw).max() + 1e-30
    W += adaptive_rates(lr, lp, radii)[:, None].astype(np.float32) * dw
    return np.linalg.norm(W, axis=1)


def batch_norm(x, state, training, eps=1e-5, momentum=0.1):
    """Affine-free BatchNorm2d over (B, C, H, W) with running statistics in `state`."""
    if training:
        mean, var = x.mean((0, 2, 3)), x.var((0, 2, 3))
        n = x.size / x.shape[1]
        state["rm"] = (1 - momentum) * state["rm"] + momentum * mean
        state["rv"] = (1 - momentum) * state["rv"] + momentum * var * n / (n - 1)
    else:
        mean, var = state["rm"], state["rv"]
    return ((x - mean[None, :, None, None]) / np.sqrt(var + eps)[None, :, None, None]).astype(np.float32)


def im2col(x, pad, k):
    """Reflect-padded patches of x (B, C, H, W): (B·H·W, C·k·k), rows ordered (b, y, x)."""
    xp = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)), mode="reflect")
    B, C = x.shape[:2]
    windows = sliding_window_view(xp, (k, k), axis=(2, 3))  # (B, C, H, W, k, k)
    H, W = windows.shape[2:4]
    return np.ascontiguousarray(windows.transpose(0, 2, 3, 1, 4, 5)).reshape(B * H * W, C * k * k), (B, H, W)


def conv_delta(block, state, x):
    """The normalised softkrotov Δw (Cout, Cin, k, k) of one minibatch x (B, Cin, H, W)."""
    xn = batch_norm(x, state, training=True)
    patches, _ = im2col(xn, block["pad"], block["k"])
    W2 = state["W"].reshape(block["cout"], -1)
    u = patches @ W2.T  # (M, Cout): one competition per row
    s = softmax(block["t"] * u, 1)
    y = -s
    rows = np.arange(u.shape[0])
    winners = u.argmax(1)
    y[rows, winners] = s[rows, winners]
    dw = y.T @ patches - (y * u).sum(0)[:, None] * W2
    dw /= np.abs(dw).max() + 1e-30
    return dw.reshape(state["W"].shape)


def conv_train_step(block, state, x):
    dw = conv_delta(block, state, x)
    state["W"] += adaptive_rates(block["lr"], block["lp"], state["r"])[:, None, None, None].astype(np.float32) * dw
    state["r"] = np.linalg.norm(state["W"].reshape(block["cout"], -1), axis=1)


def conv_eval_forward(block, state, x):
    """Frozen block: BN (running statistics) → reflect pad → conv → triangle → pool."""
    xn = batch_norm(x, state, training=False)
    patches, (B, H, W) = im2col(xn, block["pad"], block["k"])
    u = (patches @ state["W"].reshape(block["cout"], -1).T).reshape(B, H, W, block["cout"])
    a = np.maximum(u - u.mean(-1, keepdims=True), 0) ** block["tri"]
    a = np.ascontiguousarray(a.transpose(0, 3, 1, 2))
    kind, k, s, p = block["pool"]
    if kind == "max":
        a = np.pad(a, ((0, 0), (0, 0), (p, p), (p, p)), constant_values=-np.inf)
        return sliding_window_view(a, (k, k), axis=(2, 3))[:, :, ::s, ::s].max((-2, -1))
    a = np.pad(a, ((0, 0), (0, 0), (p, p), (p, p)))  # count_include_pad
    return sliding_window_view(a, (k, k), axis=(2, 3))[:, :, ::s, ::s].mean((-2, -1))


def make_stack(stack, seed=0):
    rng = np.random.default_rng(seed)
    states = []
    for (cin, _, _), block in zip(common.stack_shapes(stack), common.CONV_BLOCKS):
        W = common.init_conv(cin, block, rng)
        states.append(dict(W=W, r=np.linalg.norm(W.reshape(block["cout"], -1), axis=1),
                           rm=np.zeros(cin, np.float32), rv=np.ones(cin, np.float32)))
    return states


# ---------------------------------------------------------------------------- rows
def run(args):
    row = args.row
    if row == "roofline":
        a = np.random.default_rng(1).random((2048, 2048), dtype=np.float32)
        best = common.best_seconds(lambda: a @ a, repeats=3)
        common.emit(IMPL, row, 0, 0, f"sgemm 2048³ best of 3, {common.THREADS} threads, numpy {np.__version__}", gflops=2 * 2048 ** 3 / best / 1e9)
        return
    if row in ("krotov-1024", "krotov-100", "softmlp-32"):
        pixels, source = common.load_mnist(args.datasets)
        batch = int(row.split("-")[1])
        rng = np.random.default_rng(0)
        order = rng.permutation(len(pixels))
        kp = common.KROTOV
        if row == "krotov-100":
            M = pixels.astype(np.float64) / 255
            synapses = rng.normal(0.0, 1.0, (kp["hidden"], 784))

            def step(rows):
                inputs = np.transpose(M[order[rows], :])
                krotov_notebook_step(synapses, inputs, kp["eps"], kp["p"], kp["k"], kp["delta"], kp["prec"])
            what = "Krotov notebook verbatim (float64, argsort)"
        elif row == "krotov-1024":
            X = pixels.astype(np.float32) / 255
            W = rng.normal(0.0, 1.0, (kp["hidden"], 784)).astype(np.float32)

            def step(rows):
                krotov_idiomatic_step(W, X[order[rows]], kp["eps"], kp["p"], kp["k"], kp["delta"], kp["prec"])
            what = "Krotov rule, idiomatic float32 + argpartition"
        else:
            sp = common.SOFT_MLP
            X = pixels.astype(np.float32) / 255
            W = (rng.random((sp["hidden"], 784), dtype=np.float32) * sp["radius"] * np.sqrt(3 / 784)).astype(np.float32)
            state = dict(r=np.linalg.norm(W, axis=1))

            def step(rows):
                state["r"] = soft_linear_step(W, state["r"], X[order[rows]], sp["t"], sp["lr"], sp["lp"])
            what = "SoftHebb 'soft' linear rule, radius-adaptive rate"
        seconds, images = common.timed_batches(step, batch, len(pixels), args.seconds)
        common.emit(IMPL, row, seconds, images, f"{what}, batch {batch}, {source}; {images // batch} minibatches timed")
        return
    stack, part = row.split("-")
    spec = common.STACKS[stack]
    states = make_stack(stack)
    blocks = common.CONV_BLOCKS
    if part == "clf":
        features = int(np.prod(common.stack_shapes(stack)[-1]))
        run_classifier(row, features, spec["clf_batch"], args.seconds)
        return
    images, source = common.stack_images(stack, args.datasets, 2000)
    if part == "fwd":
        def step(rows):
            h = images[rows]
            for block, state in zip(blocks, states):
                h = conv_eval_forward(block, state, h)
        chunk = 20 if args.quick else 100
        seconds, count = common.timed_batches(step, chunk, len(images), args.seconds, warmup=1)
        common.emit(IMPL, row, seconds, count, f"3 frozen conv blocks, evaluation forward (im2col), chunks of {chunk} {source} images")
        return
    j = int(part[1])

    def step(rows):
        h = images[rows]
        for i in range(j):
            h = conv_eval_forward(blocks[i], states[i], h)
        conv_train_step(blocks[j], states[j], h)
    seconds, count = common.timed_batches(step, spec["batch"], len(images), args.seconds)
    common.emit(IMPL, row, seconds, count,
                f"block {j} softkrotov update (im2col) + frozen-prefix forward per minibatch, batch {spec['batch']}, {source}")


def run_classifier(row, features, batch, min_seconds, n=2000, p_drop=0.5, lr=1e-3):
    rng = np.random.default_rng(3)
    X = rng.random((n, features), dtype=np.float32)
    labels = rng.integers(0, 10, n)
    bound = 1 / np.sqrt(features)
    W = rng.uniform(-bound, bound, (10, features)).astype(np.float32)
    b = np.zeros(10, np.float32)
    moments = [[np.zeros_like(W), np.zeros_like(W)], [np.zeros_like(b), np.zeros_like(b)]]
    clock = [0]

    def step(rows):
        x = X[rows]
        x = x * (rng.random(x.shape, dtype=np.float32) >= p_drop) / (1 - p_drop)
        z = x @ W.T + b
        g = softmax(z, 1)
        g[np.arange(len(rows)), labels[rows]] -= 1
        g /= len(rows)
        clock[0] += 1
        for param, grad, (m, v) in ((W, g.T @ x, moments[0]), (b, g.sum(0), moments[1])):
            m *= 0.9
            m += 0.1 * grad
            v *= 0.999
            v += 0.001 * grad * grad
            mhat = m / (1 - 0.9 ** clock[0])
            vhat = v / (1 - 0.999 ** clock[0])
            param -= lr * mhat / (np.sqrt(vhat) + 1e-8)
    seconds, count = common.timed_batches(step, batch, n, min_seconds)
    common.emit(IMPL, row, seconds, count, f"dropout + linear {features}→10 + CE + Adam on cached features, batch {batch}")


if __name__ == "__main__":
    run(common.parse_args(IMPL))
