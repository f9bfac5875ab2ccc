"""Checks a hebb run's TensorBoard event files with TensorBoard's EventAccumulator.

Expected content (Sources/HebbExperiment/Visual/RunVisuals.swift): per metrics.jsonl line (step =
line number) the scalars <kind>/learning_rate, <kind>/{accuracy,loss}_{train,test} and, for the
phase's last Hebbian block i, b<i>/{convergence,r1,mean_radius}; per epoch of a phase training a
Hebbian block i, the histogram b<i>/weights and the image b<i>/weight_mosaic (a PNG equal to
pictures/b<i>-epoch<NNN>.png when that exists). The last histogram of each block must describe
that block's weights in model.safetensors, and the plugin accumulator behind TensorBoard's web UI
must list the same tags. Usage: tensorboard_check.py RUN_FOLDER.
"""
import json
import math
import os
import struct
import sys
import zlib

import numpy as np
import tensorboard
from tensorboard.backend.event_processing import event_accumulator, plugin_event_accumulator


def fail(message):
    print(f"tensorboard-check: FAILED: {message}", file=sys.stderr)
    sys.exit(1)


def close(a, b, tolerance=1e-6):
    return math.isclose(a, b, rel_tol=tolerance, abs_tol=tolerance)


def safetensors(path):
    with open(path, "rb") as file:
        size = struct.unpack("<Q", file.read(8))[0]
        header = json.loads(file.read(size))
        data = file.read()
    tensors = {}
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        start, end = entry["data_offsets"]
        tensors[name] = np.frombuffer(data[start:end], dtype="<f4").reshape(entry["shape"])
    return tensors


def png_size(data):
    if data[:8] != b"\x89PNG\r\n\x1a\n" or data[12:16] != b"IHDR":
        fail("an image is not a PNG")
    width, height = struct.unpack(">II", data[16:24])
    position, idat = 8, b""
    while position < len(data):
        length = struct.unpack(">I", data[position:position + 4])[0]
        kind = data[position + 4:position + 8]
        if kind == b"IDAT":
            idat += data[position + 8:position + 8 + length]
        position += 12 + length
    channels = 3 if data[25] == 2 else 1
    if len(zlib.decompress(idat)) != height * (width * channels + 1):
        fail("a PNG's IDAT does not inflate to its IHDR size")
    return width, height


def main(run):
    board = os.path.join(run, "tensorboard")
    if not os.path.isdir(board) or not any("tfevents" in name for name in os.listdir(board)):
        fail(f"no event file in {board}; train with --tensorboard true")
    records = [json.loads(line) for line in open(os.path.join(run, "metrics.jsonl")) if line.strip()]
    config = json.load(open(os.path.join(run, "config.json")))
    hebbian = [block["config"]["layer"]["kind"] != "BP" for block in config["model"]["blocks"]]

    accumulator = event_accumulator.EventAccumulator(board, size_guidance={"scalars": 0, "histograms": 0, "images": 0})
    accumulator.Reload()
    tags = accumulator.Tags()

    expected = {}
    for step, record in enumerate(records, start=1):
        kind = record["kind"]
        values = {"learning_rate": record.get("learningRate"), "accuracy_train": record.get("trainAccuracy"),
                  "accuracy_test": record.get("testAccuracy"), "loss_train": record.get("trainLoss"),
                  "loss_test": record.get("testLoss")}
        for name, value in values.items():
            if value is not None:
                expected.setdefault(f"{kind}/{name}", {})[step] = value
        last = [b for b in record["blocks"] if hebbian[b]]
        if last:
            for name, key in (("convergence", "convergence"), ("r1", "r1"), ("mean_radius", "meanRadius")):
                if record.get(key) is not None:
                    expected.setdefault(f"b{last[-1]}/{name}", {})[step] = record[key]
    if sorted(tags["scalars"]) != sorted(expected):
        fail(f"scalar tags {sorted(tags['scalars'])} differ from the expected {sorted(expected)}")
    points = 0
    for tag, by_step in expected.items():
        found = {event.step: event.value for event in accumulator.Scalars(tag)}
        if sorted(found) != sorted(by_step):
            fail(f"scalar {tag}: steps {sorted(found)}, expected {sorted(by_step)}")
        for step, value in by_step.items():
            if not close(found[step], float(np.float32(value))):
                fail(f"scalar {tag} at step {step}: {found[step]} != {value}")
            points += 1

    weights = safetensors(os.path.join(run, "model.safetensors"))
    histograms = images = 0
    trained = {}
    for step, record in enumerate(records, start=1):
        for block in (b for b in record["blocks"] if hebbian[b]):
            trained.setdefault(block, []).append((step, record["epoch"]))
    if sorted(tags["histograms"]) != sorted(f"b{b}/weights" for b in trained):
        fail(f"histogram tags {tags['histograms']}, expected one per trained Hebbian block {sorted(trained)}")
    if sorted(tags["images"]) != sorted(f"b{b}/weight_mosaic" for b in trained):
        fail(f"image tags {tags['images']}, expected one per trained Hebbian block {sorted(trained)}")
    for block, epochs in trained.items():
        histogram = {event.step: event.histogram_value for event in accumulator.Histograms(f"b{block}/weights")}
        pictures = {event.step: event for event in accumulator.Images(f"b{block}/weight_mosaic")}
        if sorted(histogram) != [s for s, _ in epochs] or sorted(pictures) != [s for s, _ in epochs]:
            fail(f"block {block}: histogram steps {sorted(histogram)} / image steps {sorted(pictures)}, expected {[s for s, _ in epochs]}")
        for step, epoch in epochs:
            value = histogram[step]
            if value.num != sum(value.bucket) or len(value.bucket) != len(value.bucket_limit):
                fail(f"histogram b{block}/weights at step {step} is inconsistent")
            histograms += 1
            image = pictures[step]
            if png_size(image.encoded_image_string) != (image.width, image.height):
                fail(f"image b{block}/weight_mosaic at step {step}: PNG size differs from the summary's")
            path = os.path.join(run, "pictures", f"b{block}-epoch{epoch:03d}.png")
            if os.path.exists(path) and open(path, "rb").read() != image.encoded_image_string:
                fail(f"image b{block}/weight_mosaic at step {step} differs from {path}")
            images += 1
        final = histogram[epochs[-1][0]]
        tensor = weights[f"blocks.{block}.layer.weight"].astype(np.float64)
        if final.num != tensor.size or not close(final.min, tensor.min()) or not close(final.max, tensor.max()) \
                or not close(final.sum, tensor.sum(), 1e-4) or not close(final.sum_squares, (tensor ** 2).sum(), 1e-4):
            fail(f"last histogram of b{block}/weights does not describe model.safetensors "
                 f"(num {final.num} vs {tensor.size}, sum {final.sum} vs {tensor.sum()})")
    # What TensorBoard's web UI reads: the plugin accumulator migrates these legacy summaries.
    plugins = plugin_event_accumulator.EventAccumulator(board, size_guidance={"tensors": 0})
    plugins.Reload()
    for plugin, wanted in (("scalars", expected), ("histograms", tags["histograms"]), ("images", tags["images"])):
        if sorted(plugins.PluginTagToContent(plugin)) != sorted(wanted):
            fail(f"the {plugin} plugin sees {sorted(plugins.PluginTagToContent(plugin))}, expected {sorted(wanted)}")
    print(f"tensorboard {tensorboard.__version__}: {len(expected)} scalar tags ({points} points), "
          f"{histograms} histograms, {images} images: OK")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        fail("usage: tensorboard_check.py RUN_FOLDER")
    main(sys.argv[1])
