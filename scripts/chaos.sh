#!/usr/bin/env bash
# Chaos test of crash-safe persistence (issue 9, item 2).
#
# Builds release, writes a tiny deterministic MNIST-format dataset (2000 train / 500 test images
# of ten easy synthetic classes) into a temporary folder, trains once without interruption, then
# trains the same run again while killing it with SIGKILL at random moments (at least $KILLS
# times, delays drawn from bash's $RANDOM seeded with $CHAOS_SEED), resuming with `--resume all`
# after every kill until it finishes. After every kill all files must parse (JSON, JSON lines,
# safetensors with finite F32 values); at the end there must be no temporary file left, and the
# final accuracy, weights, block folders and metrics must equal the uninterrupted run's.
#
# Usage: scripts/chaos.sh            (KILLS=20, CHAOS_SEED=$RANDOM, SCRATCH=.build, KEEP=0)
# Exit status 0 when every check passes, 1 otherwise.
set -euo pipefail
cd "$(dirname "$0")/.."

KILLS=${KILLS:-20}
CHAOS_SEED=${CHAOS_SEED:-$RANDOM}
SCRATCH=${SCRATCH:-.build}
PRESET=${PRESET:-2SoftMlpMNIST}
RANDOM=$CHAOS_SEED

echo "chaos: seed $CHAOS_SEED, at least $KILLS kills, preset $PRESET"
swift build -c release --scratch-path "$SCRATCH" 2>&1 | grep -E "error|warning: |Compiling|Build complete" | tail -3
hebb=$(swift build -c release --scratch-path "$SCRATCH" --show-bin-path)/hebb

work=$(mktemp -d "${TMPDIR:-/tmp}/hebb-chaos.XXXXXX")
if [ "${KEEP:-0}" = 1 ]; then echo "chaos: work folder $work (kept)"; else trap 'rm -rf "$work"' EXIT; fi

# --- a deterministic dataset: IDX files, gzipped, standard library only ---------------------
python3 - "$work/datasets/mnist" <<'EOF'
import gzip, os, random, struct, sys
out = sys.argv[1]
os.makedirs(out, exist_ok=True)
rng = random.Random(7)

def samples(n):
    # Class k is a bright 7×7 square at its own place on a 4×4 grid, jittered by a pixel, on dim noise.
    images, labels = bytearray(n * 784), bytearray(n)
    for i in range(n):
        label = i % 10
        labels[i] = label
        base = i * 784
        for j in range(784):
            images[base + j] = rng.randrange(40)
        top = (label // 4) * 7 + rng.randrange(3) - 1
        left = (label % 4) * 7 + rng.randrange(3) - 1
        for y in range(max(0, top), min(28, top + 7)):
            for x in range(max(0, left), min(28, left + 7)):
                images[base + y * 28 + x] = 200 + rng.randrange(56)
    return bytes(images), bytes(labels)

for prefix, n in (("train", 2000), ("t10k", 500)):
    images, labels = samples(n)
    for kind, dims, payload in (("images-idx3-ubyte", [n, 28, 28], images), ("labels-idx1-ubyte", [n], labels)):
        header = bytes([0, 0, 8, len(dims)]) + b"".join(struct.pack(">I", d) for d in dims)
        with open(os.path.join(out, f"{prefix}-{kind}.gz"), "wb") as raw:
            with gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as f:
                f.write(header + payload)
EOF

# --- the checker: every file under a results root parses -------------------------------------
cat > "$work/check.py" <<'EOF'
"""check.py ROOT [final]: every JSON, JSON-lines and safetensors file under ROOT must parse
(safetensors: header, dtype F32, shapes matching contiguous offsets, finite values). With
`final`, temporary files (.NAME.tmp-PID-RANDOM) are errors too. Prints one line, exits 1 on
any problem."""
import array, json, math, os, struct, sys

root, final = sys.argv[1], len(sys.argv) > 2
problems, counts, temporaries = [], {"json": 0, "jsonl": 0, "safetensors": 0}, []

def safetensors(path):
    data = open(path, "rb").read()
    if len(data) < 8:
        raise ValueError("shorter than 8 bytes")
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + n])
    meta = header.pop("__metadata__", {})
    if "record" in meta:
        json.loads(meta["record"])
    cursor = 0
    for name, entry in sorted(header.items(), key=lambda kv: kv[1]["data_offsets"]):
        begin, end = entry["data_offsets"]
        size = 4 * math.prod(entry["shape"])
        if entry["dtype"] != "F32" or begin != cursor or end - begin != size:
            raise ValueError(f"bad entry {name}: {entry}")
        values = array.array("f", data[8 + n + begin:8 + n + end])
        if not all(math.isfinite(v) for v in values):
            raise ValueError(f"non-finite values in {name}")
        cursor = end
    if 8 + n + cursor != len(data):
        raise ValueError(f"{len(data)} bytes, tensors end at {8 + n + cursor}")

for folder, _, files in os.walk(root):
    for name in files:
        path = os.path.join(folder, name)
        if ".tmp-" in name:
            temporaries.append(path)
            continue
        try:
            if name.endswith(".jsonl"):
                text = open(path).read()
                if text and not text.endswith("\n"):
                    raise ValueError("torn last line")
                for line in text.splitlines():
                    json.loads(line)
                counts["jsonl"] += 1
            elif name.endswith(".json"):
                json.load(open(path))
                counts["json"] += 1
            elif name.endswith(".safetensors"):
                safetensors(path)
                counts["safetensors"] += 1
        except Exception as error:  # noqa: BLE001 - any failure to parse is the finding
            problems.append(f"{path}: {error}")
if final and temporaries:
    problems += [f"{path}: temporary file left over" for path in temporaries]
summary = ", ".join(f"{v} {k}" for k, v in counts.items())
print(f"{summary} ok, {len(temporaries)} temporary" if not problems else "CORRUPT: " + "; ".join(problems))
sys.exit(1 if problems else 0)
EOF

args=(train --preset "$PRESET" --dataset-unsup MNIST_20 --dataset-sup MNIST_10 --datasets "$work/datasets"
  --seed 1 --threads 1 --model-name chaos)
net=hebb/result/network/chaos
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

# --- the uninterrupted reference -------------------------------------------------------------
start=$(date +%s.%N)
"$hebb" "${args[@]}" --data-root "$work/reference" > "$work/reference.log" 2>&1 || { cat "$work/reference.log"; exit 1; }
seconds=$(echo "$(date +%s.%N) - $start" | bc)
echo "reference: $(grep -E '^test accuracy' "$work/reference.log") (wall $(printf %.1f "$seconds") s)"

# When to kill: each attempt draws a target progress (metrics lines) between what the checkpoint
# covers and twice the average share of what is left per remaining kill, waits until its log has
# reached it, then waits a further random 0–1000 ms (capped by the reference's time for the
# epochs still to come, so the run cannot finish first) and kills. The kills thus land at random
# moments spread over the whole run: start-up, both phases, epoch and phase checkpoints.
total_lines=$(wc -l < "$work/reference/$net/metrics.jsonl")
# remaining_ms[i]: the reference's epoch time after its first i epochs, in ms.
read -r -a remaining_ms <<< "$(python3 -c '
import json, sys
s = [json.loads(l)["seconds"] for l in open(sys.argv[1])]
print(" ".join(str(int(1000 * sum(s[i:]))) for i in range(len(s) + 1)))' "$work/reference/$net/metrics.jsonl")"
covered() {  # metrics lines the chaos checkpoint covers
  python3 -c 'import json,sys; print(json.load(open(sys.argv[1])).get("metricsLines") or 0)' \
    "$work/chaos/$net/config.json" 2>/dev/null || echo 0
}
kills=0 resumes=0 attempt=0 rc=0
while :; do
  extra=()
  [ "$attempt" -gt 0 ] && extra=(--resume all) && resumes=$((resumes + 1))
  start_lines=$(covered)
  : > "$work/attempt.$attempt.log"
  "$hebb" "${args[@]}" --data-root "$work/chaos" "${extra[@]}" > "$work/attempt.$attempt.log" 2>&1 &
  pid=$!
  if [ "$kills" -lt "$KILLS" ]; then
    span=$((2 * (total_lines - start_lines) / (KILLS - kills + 1)))
    target=$((start_lines + RANDOM % (span + 1)))
    [ "$target" -lt "$total_lines" ] || target=$((total_lines - 1))
    while kill -0 "$pid" 2>/dev/null \
      && [ $((start_lines + $(grep -c '^Epoch:' "$work/attempt.$attempt.log" || true))) -lt "$target" ]; do
      sleep 0.02
    done
    cap=${remaining_ms[$target]}
    [ "$cap" -lt 1000 ] || cap=1000
    delay_ms=$((RANDOM % (cap + 1)))
    sleep "$(printf '%d.%03d' $((delay_ms / 1000)) $((delay_ms % 1000)))"
    if kill -KILL "$pid" 2>/dev/null; then
      wait "$pid" 2>/dev/null || true
      kills=$((kills + 1))
      echo "kill $kills at epoch line $target + $delay_ms ms: $(python3 "$work/check.py" "$work/chaos" || echo CORRUPT)" \
        | tee -a "$work/kills.log" | sed 's/^/  /'
      grep -q CORRUPT "$work/kills.log" && { fail "corrupt file after kill $kills"; break; }
      attempt=$((attempt + 1))
      continue
    fi
  fi
  wait "$pid" && rc=0 || rc=$?
  break
done

# --- what each attempt did (from its log) ----------------------------------------------------
python3 - "$work" "$attempt" <<'EOF'
import re, sys
work, last = sys.argv[1], int(sys.argv[2])
worst = {"unsupervised": 0, "supervised": 0}
previous = None  # (phase, last epoch logged) of the attempt before
for n in range(last + 1):
    lines = open(f"{work}/attempt.{n}.log").read().splitlines()
    skipped = sum("already finished; skipped" in l for l in lines)
    began, end, kinds = None, None, {}
    for line in lines:
        if m := re.match(r"Phase (\d+): (\w+) blocks \[.*\] continue after epoch (\d+) of", line):
            kinds[int(m[1])] = m[2]
            began = began or (int(m[1]), int(m[3]) + 1)
        elif m := re.match(r"Phase (\d+): (\w+) learning of", line):
            kinds[int(m[1])] = m[2]
            began = began or (int(m[1]), 1)
        elif (m := re.match(r"Epoch: \[(\d+)/", line)) and kinds:
            end = (max(kinds), int(m[1]))
    note = ""
    if previous and began and previous[0] == began[0]:
        redone = previous[1] - began[1] + 1
        kind = kinds[began[0]]
        worst[kind] = max(worst[kind], redone)
        note = f", redoing {redone} epoch(s) logged before the kill ({kind})"
    state = "finished" if any(l.startswith("test accuracy") for l in lines) else "killed"
    start = f"phase {began[0]} epoch {began[1]}" if began else "no training (killed at start-up)"
    print(f"  attempt {n}: skipped {skipped} phase(s), began at {start}{note}; last epoch logged {end}; {state}")
    previous = end or previous
print(f"  most epochs redone after one kill: unsupervised phases {worst['unsupervised']}, "
      f"supervised phases {worst['supervised']}")
EOF

# --- the verdict -----------------------------------------------------------------------------
echo "kills: $kills, resumes: $resumes, final exit status: $rc"
[ "$kills" -ge "$KILLS" ] || fail "only $kills kills"
[ "$rc" -eq 0 ] || { fail "the last resume exited with $rc"; tail -3 "$work/attempt.$attempt.log"; }
final=$(python3 "$work/check.py" "$work/chaos" final) || fail "final files: $final"
echo "final files: $final"
accuracy() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["test_accuracy"])' "$1/$net/summary.json" 2>/dev/null || echo missing; }
echo "final test accuracy: uninterrupted $(accuracy "$work/reference") %, killed and resumed $(accuracy "$work/chaos") %"
[ "$(accuracy "$work/reference")" = "$(accuracy "$work/chaos")" ] || fail "accuracies differ"
cmp -s "$work/reference/$net/model.safetensors" "$work/chaos/$net/model.safetensors" \
  && echo "model.safetensors: bit-identical" || fail "model.safetensors differs"
(cd "$work/reference/hebb/result/layer" && find . -type f | sort | xargs sha256sum) > "$work/blocks.reference"
(cd "$work/chaos/hebb/result/layer" 2>/dev/null && find . -type f | sort | xargs sha256sum) > "$work/blocks.chaos" || true
cmp -s "$work/blocks.reference" "$work/blocks.chaos" \
  && echo "block folders: $(wc -l < "$work/blocks.reference") files, identical" || fail "block folders differ"
strip() { python3 -c 'import json,sys; [print(json.dumps({k: v for k, v in json.loads(l).items() if k != "seconds"}, sort_keys=True)) for l in open(sys.argv[1])]' "$1/$net/metrics.jsonl"; }
if [ "$(strip "$work/reference")" = "$(strip "$work/chaos")" ]; then
  echo "metrics.jsonl: $(wc -l < "$work/reference/$net/metrics.jsonl") lines, equal but for wall times"
else
  fail "metrics.jsonl differs"
fi
[ "$failures" -eq 0 ] && echo "chaos: PASS" || echo "chaos: FAIL ($failures)"
[ "$failures" -eq 0 ]
