"""PyTorch (CPU) peer of hebb-bench: one row per process (see common.py), 2 threads.

- krotov-1024 / krotov-100: the Krotov–Hopfield rule with topk and in-place ops (the best peer of
  shared/spec/peer-speeds.md);
- softmlp-32: a faithful minimal SoftHebb "soft" linear layer (softhebb.md §3.2, §3.5);
- {cifar,mnist}-b{j}: a faithful minimal softkrotov conv layer (§3.3) with SoftHebb's own Δw
  computation (a convolution of the padded input with the batch as the contracted axis and the
  signal as kernel), BatchNorm2d(affine=False), after the frozen blocks' evaluation forward for
  every minibatch (as SoftHebb does; it does not cache features);
- {cifar,mnist}-fwd: evaluation forward of the three conv blocks (chunks of 100 images; 20 with --quick);
- {cifar,mnist}-clf: Dropout(0.5) + Linear + cross-entropy + torch.optim.Adam on cached features.

Flush-to-zero is on (torch.set_flush_denormal) unless HEBB_PEER_FTZ=0: SoftHebb as shipped runs
2–3× slower in its first epoch on subnormal numbers (peer-speeds.md); the table compares with the
stronger setting.
"""
import os

import common
import numpy as np
import torch
import torch.nn.functional as F

IMPL = "torch"
torch.set_num_threads(common.THREADS)
FTZ = os.environ.get("HEBB_PEER_FTZ", "1") != "0"
torch.set_flush_denormal(FTZ)
torch.set_grad_enabled(False)


# ---------------------------------------------------------------------------- Krotov–Hopfield
class Krotov:
    """KrotovsRule with topk and preallocated, in-place buffers: W (hid, N), X (B, N)."""

    def __init__(self, W, batch, p, k, delta, eps, prec):
        self.W, self.p, self.k, self.delta, self.eps, self.prec = W, p, k, delta, eps, prec
        hid, n = W.shape
        self.Wp = torch.empty_like(W)
        self.currents = torch.empty(batch, hid)
        self.g = torch.empty(batch, hid)
        self.ds = torch.empty(hid, n)

    def step(self, X):
        W = self.W
        torch.mul(W, W.abs(), out=self.Wp) if self.p == 3 else torch.mul(W.sign(), W.abs().pow(self.p - 1), out=self.Wp)
        torch.mm(X, self.Wp.t(), out=self.currents)
        _, ranked = self.currents.topk(self.k, dim=1)
        self.g.zero_()
        self.g.scatter_(1, ranked[:, :1], 1.0)
        self.g.scatter_(1, ranked[:, self.k - 1:], -self.delta)
        xx = (self.g * self.currents).sum(0)
        torch.mm(self.g.t(), X, out=self.ds)
        self.ds.addcmul_(xx.unsqueeze(1), W, value=-1)
        nc = max(self.ds.abs().max().item(), self.prec)
        W.add_(self.ds, alpha=self.eps / nc)


# ---------------------------------------------------------------------------- SoftHebb layers
def adaptive_rates(lr, lp, radii):
    """η_c = lr · (|r_c − 1| + 1e-10)^power_lr (softhebb.md §3.5)."""
    return lr * ((radii - 1).abs() + 1e-10) ** lp


class SoftLinear:
    """SoftHebb's 'soft' linear layer in learning mode (p = 2: ŵ = w)."""

    def __init__(self, W, t, lr, lp):
        self.W, self.t, self.lr, self.lp = W, t, lr, lp
        self.radii = W.norm(dim=1)

    def step(self, x):
        W = self.W
        u = x @ W.t()
        y = torch.softmax(self.t * u, dim=1)
        dw = y.t() @ x - (y * u).sum(0).unsqueeze(1) * W
        dw /= dw.abs().max() + 1e-30
        W += adaptive_rates(self.lr, self.lp, self.radii).unsqueeze(1) * dw
        self.radii = W.norm(dim=1)


class SoftKrotovConv:
    """One conv block of 4SoftHebbCnnCIFAR: BatchNorm2d(affine=False) → reflect pad → softkrotov
    conv (learning) or → triangle → pool (frozen, evaluation mode)."""

    def __init__(self, W, block):
        self.W, self.block = W, block
        cin = W.shape[1]
        self.rm, self.rv = torch.zeros(cin), torch.ones(cin)
        self.radii = W.flatten(1).norm(dim=1)

    def padded(self, x, training):
        x = F.batch_norm(x, self.rm, self.rv, None, None, training, 0.1, 1e-5)
        p = self.block["pad"]
        return F.pad(x, (p, p, p, p), mode="reflect")

    def delta(self, x):
        """The normalised Δw of one minibatch (also updates the BN running statistics)."""
        b = self.block
        xp = self.padded(x, training=True)
        u = F.conv2d(xp, self.W)
        s = torch.softmax(b["t"] * u, dim=1)
        winners = u.argmax(dim=1, keepdim=True)
        y = -s
        y.scatter_(1, winners, s.gather(1, winners))  # +s for the winner, −s for every other filter
        # SoftHebb's Σ_{n,h,w} y·x_pad: batch as the contracted channel axis, y as the kernel.
        yx = F.conv2d(xp.transpose(0, 1), y.transpose(0, 1)).transpose(0, 1)[:, :, :b["k"], :b["k"]]
        dw = yx - (y * u).sum((0, 2, 3)).view(-1, 1, 1, 1) * self.W
        return dw / (dw.abs().max() + 1e-30)

    def learn(self, x):
        dw = self.delta(x)
        self.W += adaptive_rates(self.block["lr"], self.block["lp"], self.radii).view(-1, 1, 1, 1) * dw
        self.radii = self.W.flatten(1).norm(dim=1)

    def forward(self, x):
        b = self.block
        u = F.conv2d(self.padded(x, training=False), self.W)
        a = torch.relu(u - u.mean(dim=1, keepdim=True)).pow_(b["tri"])
        kind, k, s, p = b["pool"]
        return F.max_pool2d(a, k, s, p) if kind == "max" else F.avg_pool2d(a, k, s, p)


def make_stack(stack, seed=0):
    rng = np.random.default_rng(seed)
    return [SoftKrotovConv(torch.from_numpy(common.init_conv(cin, block, rng)), block)
            for (cin, _, _), block in zip(common.stack_shapes(stack), common.CONV_BLOCKS)]


# ---------------------------------------------------------------------------- rows
def run(args):
    row = args.row
    ftz = "flush-to-zero" if FTZ else "no flush-to-zero"
    if row == "roofline":
        a = torch.rand(2048, 2048)
        best = common.best_seconds(lambda: a @ a, repeats=3)
        common.emit(IMPL, row, 0, 0, f"sgemm 2048³ best of 3, {common.THREADS} threads, torch {torch.__version__}",
                    gflops=2 * 2048 ** 3 / best / 1e9)
        return
    if row in ("krotov-1024", "krotov-100", "softmlp-32"):
        pixels, source = common.load_mnist(args.datasets)
        batch = int(row.split("-")[1])
        order = torch.from_numpy(np.random.default_rng(0).permutation(len(pixels)))
        X = torch.from_numpy(pixels.astype(np.float32) / 255)
        torch.manual_seed(0)
        if row.startswith("krotov"):
            kp = common.KROTOV
            rule = Krotov(torch.randn(kp["hidden"], 784), batch, kp["p"], kp["k"], kp["delta"], kp["eps"], kp["prec"])
            what = "Krotov rule, topk + in-place ops"
        else:
            sp = common.SOFT_MLP
            rule = SoftLinear(torch.rand(sp["hidden"], 784) * (sp["radius"] * (3 / 784) ** 0.5), sp["t"], sp["lr"], sp["lp"])
            what = f"SoftHebb 'soft' linear rule, radius-adaptive rate, {ftz}"
        seconds, images = common.timed_batches(lambda rows: rule.step(X[order[torch.from_numpy(rows)]]), batch, len(pixels), args.seconds)
        common.emit(IMPL, row, seconds, images, f"{what}, batch {batch}, {source}; {images // batch} minibatches timed")
        return
    stack, part = row.split("-")
    spec = common.STACKS[stack]
    blocks = make_stack(stack)
    if part == "clf":
        run_classifier(row, int(np.prod(common.stack_shapes(stack)[-1])), spec["clf_batch"], args.seconds)
        return
    pixels, source = common.stack_images(stack, args.datasets, 2000)
    images = torch.from_numpy(pixels)
    if part == "fwd":
        def step(rows):
            h = images[torch.from_numpy(rows)]
            for block in blocks:
                h = block.forward(h)
        chunk = 20 if args.quick else 100
        seconds, count = common.timed_batches(step, chunk, len(images), args.seconds, warmup=1)
        common.emit(IMPL, row, seconds, count, f"3 frozen conv blocks, evaluation forward, chunks of {chunk} {source} images")
        return
    j = int(part[1])

    def step(rows):
        h = images[torch.from_numpy(rows)]
        for i in range(j):
            h = blocks[i].forward(h)
        blocks[j].learn(h)
    seconds, count = common.timed_batches(step, spec["batch"], len(images), args.seconds)
    common.emit(IMPL, row, seconds, count,
                f"block {j} softkrotov update + frozen-prefix forward per minibatch, batch {spec['batch']}, {source}, {ftz}")


def run_classifier(row, features, batch, min_seconds, n=2000):
    torch.manual_seed(3)
    X = torch.rand(n, features)
    labels = torch.randint(0, 10, (n,))
    model = torch.nn.Sequential(torch.nn.Dropout(0.5), torch.nn.Linear(features, 10))
    model.train()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)

    def step(rows):
        with torch.enable_grad():
            loss = F.cross_entropy(model(X[torch.from_numpy(rows)]), labels[torch.from_numpy(rows)])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
    seconds, count = common.timed_batches(step, batch, n, min_seconds)
    common.emit(IMPL, row, seconds, count, f"Dropout + Linear {features}→10 + CE + Adam on cached features, batch {batch}")


if __name__ == "__main__":
    run(common.parse_args(IMPL))
