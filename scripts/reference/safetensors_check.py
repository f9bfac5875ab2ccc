#!/usr/bin/env python3
"""Cross-checks hebb's Swift safetensors reader/writer against the Python `safetensors` package.

Usage: python3 scripts/reference/safetensors_check.py   (needs swiftc, numpy, safetensors)

1. Python writes files (F32 only, and mixed F32/F16/F64 with metadata).
2. A throwaway Swift program, compiled from Sources/HebbExperiment/Checkpoint/{AtomicFile,
   SafeTensors}.swift plus a stub `Tensor`, loads each file and re-saves it (all F32).
3. Python loads the Swift files and compares values and metadata; for the F32-only file the
   Swift bytes must equal Python's bytes exactly.
4. Truncated / corrupted copies must be rejected by both implementations.

Not used by the XCTests; run by hand when the checkpoint format code changes.
"""

import pathlib
import subprocess
import sys
import tempfile

import numpy as np
from safetensors import safe_open
from safetensors.numpy import load_file, save, save_file

ROOT = pathlib.Path(__file__).resolve().parents[2]
CHECKPOINT = ROOT / "Sources" / "HebbExperiment" / "Checkpoint"

TENSOR_STUB = """
public struct Tensor: Equatable, Sendable {
    public var shape: [Int]
    public var scalars: [Float]
    public init(shape: [Int], scalars: [Float]) { self.shape = shape; self.scalars = scalars }
}
"""

DRIVER = """
import Foundation
let arguments = CommandLine.arguments
do {
    let archive = try SafeTensorsArchive.load(from: URL(fileURLWithPath: arguments[1]))
    if arguments.count > 2 { try archive.save(to: URL(fileURLWithPath: arguments[2])) }
    print("ok \\(archive.tensors.count) tensors")
} catch {
    print("error: \\(error)")
    exit(1)
}
"""


def build_driver(work: pathlib.Path) -> pathlib.Path:
    sources = [CHECKPOINT / "AtomicFile.swift", CHECKPOINT / "SafeTensors.swift"]
    text = "\n".join(
        line for path in sources for line in path.read_text().splitlines()
        if line.strip() != "import HebbTensor")
    (work / "Checkpoint.swift").write_text(text)
    (work / "Tensor.swift").write_text(TENSOR_STUB)
    (work / "main.swift").write_text(DRIVER)
    binary = work / "safetensors_driver"
    subprocess.run(
        ["swiftc", "-O", "-o", str(binary), str(work / "main.swift"),
         str(work / "Checkpoint.swift"), str(work / "Tensor.swift")], check=True)
    return binary


def fixtures() -> dict:
    rng = np.random.default_rng(0)
    f32 = {
        "blocks.0.weight": rng.standard_normal((4, 3, 2, 2)).astype(np.float32),
        "blocks.0.bias": np.array([1.0, -2.0, np.inf], dtype=np.float32),
        "scalar": np.array(3.5, dtype=np.float32),
        "empty": np.zeros((0, 5), dtype=np.float32),
        'odd "name" é': np.array([-1.0], dtype=np.float32),
    }
    mixed = dict(f32)
    mixed["half"] = np.array([1.0, -2.0, 0.5, 6e-8, 65504.0, -np.inf], dtype=np.float16)
    mixed["double"] = rng.standard_normal((3, 3)).astype(np.float64)
    return {"f32": f32, "mixed": mixed}


def main() -> int:
    failures = []
    # Python orders a multi-key __metadata__ randomly (Rust HashMap), so the byte-identity check
    # uses the single-key metadata; the mixed file checks several keys by value.
    metadatas = {
        "f32": {"note": 'line1\nline2 "quoted" \\ é \x01'},
        "mixed": {"epoch": "3", "note": "x", "": "empty key"},
    }
    with tempfile.TemporaryDirectory() as tmp:
        work = pathlib.Path(tmp)
        driver = build_driver(work)
        for name, tensors in fixtures().items():
            metadata = metadatas[name]
            source, copy = work / f"{name}.py.safetensors", work / f"{name}.swift.safetensors"
            save_file(tensors, str(source), metadata=metadata)
            result = subprocess.run([str(driver), str(source), str(copy)], capture_output=True, text=True)
            if result.returncode != 0:
                failures.append(f"{name}: Swift could not read Python's file: {result.stdout}")
                continue
            loaded = load_file(str(copy))
            with safe_open(str(copy), framework="numpy") as handle:
                if handle.metadata() != metadata:
                    failures.append(f"{name}: metadata {handle.metadata()} != {metadata}")
            if set(loaded) != set(tensors):
                failures.append(f"{name}: names {sorted(loaded)} != {sorted(tensors)}")
            for key, value in tensors.items():
                got, want = loaded.get(key), value.astype(np.float32)
                if got is None or got.dtype != np.float32 or got.shape != want.shape \
                        or not np.array_equal(got, want):
                    failures.append(f"{name}: tensor {key!r} differs")
            if name == "f32" and copy.read_bytes() != save(tensors, metadata=metadata):
                failures.append("f32: Swift bytes differ from Python's bytes")
            print(f"{name}: round trip Python -> Swift -> Python checked ({len(tensors)} tensors)")

        source = (work / "f32.py.safetensors").read_bytes()
        corrupt = {
            "truncated-data": source[:-3],
            "truncated-header": source[:20],
            "short": source[:5],
            "trailing": source + b"\0\0\0\0",
            "huge-length": source[:7] + b"\x80" + source[8:],
        }
        for label, data in corrupt.items():
            path = work / f"{label}.safetensors"
            path.write_bytes(data)
            try:
                load_file(str(path))
                python_rejects = False
            except Exception:  # noqa: BLE001 - any rejection counts
                python_rejects = True
            swift = subprocess.run([str(driver), str(path)], capture_output=True, text=True)
            if not python_rejects or swift.returncode == 0:
                failures.append(f"{label}: python rejects={python_rejects}, swift rc={swift.returncode}")
            print(f"{label}: {swift.stdout.strip()}")
    for failure in failures:
        print("FAIL", failure)
    print("OK" if not failures else f"{len(failures)} failure(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
