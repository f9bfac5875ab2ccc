# Helpers shared by the results-table scripts (sourced, not run). Settings, from the environment:
#   HEBB       hebb executable (default: hebb on PATH)
#   HEBB_DATA  data root: results under $HEBB_DATA/hebb/result, tables under $HEBB_DATA/hebb/tables (default ./data)
#   DATASETS   datasets folder passed as --datasets (default: none; hebb then searches $HEBB_DATASETS, <data root>/datasets, /usr/share/datasets)
#   RUNNER     parallel (default: hebb search --emit parallel, then GNU parallel) or local (hebb search --jobs)
#   JOBS       trials at once (default 4)
#   CONFIG     search space per configuration (default seed: unsup seeds 0…3; one_seed for a quick look)
#   THREADS    OpenBLAS threads per trial (default: hebb's choice)
HEBB=${HEBB:-hebb}
DATA_ROOT=${HEBB_DATA:-$PWD/data}
RUNNER=${RUNNER:-parallel}
JOBS=${JOBS:-4}
CONFIG=${CONFIG:-seed}
extra_options=()
if [ -n "${DATASETS:-}" ]; then extra_options+=(--datasets "$DATASETS"); fi
if [ -n "${THREADS:-}" ]; then extra_options+=(--threads "$THREADS"); fi

# search FOLDER PRESET UNSUP_KEY SUP_KEY [more hebb search options…]
# Runs one configuration over the $CONFIG space; trials become runs FOLDER/tNNN.
search() {
  local folder=$1 preset=$2 unsup=$3 sup=$4
  shift 4
  local options=(--preset "$preset" --dataset-unsup "$unsup" --dataset-sup "$sup" --config "$CONFIG"
    --folder-name "$folder" --data-root "$DATA_ROOT" --hebb "$HEBB" "${extra_options[@]}" "$@")
  echo "== $folder: $preset on $unsup / $sup $*"
  if [ "$RUNNER" = parallel ]; then
    command -v parallel >/dev/null || { echo "GNU parallel is missing: apt-get install parallel, or RUNNER=local" >&2; exit 1; }
    "$HEBB" search "${options[@]}" --emit parallel
    parallel --will-cite --jobs "$JOBS" < "$DATA_ROOT/hebb/search/$folder/jobs.txt" || echo "warning: some trials of $folder failed" >&2
    "$HEBB" search --collect --folder-name "$folder" --data-root "$DATA_ROOT" || true
  else
    "$HEBB" search "${options[@]}" --jobs "$JOBS" || echo "warning: some trials of $folder failed" >&2
  fi
}

# report NAME FOLDER… — mean ± std over seeds of the searches' runs, printed and written to
# $DATA_ROOT/hebb/tables/NAME.md and NAME.csv.
report() {
  local name=$1
  shift
  local runs=()
  for folder in "$@"; do
    if [ -d "$DATA_ROOT/hebb/result/network/$folder" ]; then runs+=("$DATA_ROOT/hebb/result/network/$folder"); fi
  done
  if [ ${#runs[@]} -eq 0 ]; then echo "no finished runs for table $name" >&2; return 1; fi
  mkdir -p "$DATA_ROOT/hebb/tables"
  "$HEBB" report "${runs[@]}" --markdown "$DATA_ROOT/hebb/tables/$name.md" --csv "$DATA_ROOT/hebb/tables/$name.csv"
}

# layers_table PREFIX UNSUP SUP "SOFTHEBB PRESETS" "HARD PRESETS" "BP PRESETS"
# SoftHebb, hard WTA, Random (SoftHebb presets, classifier only) and end-to-end BP, per depth.
layers_table() {
  local prefix=$1 unsup=$2 sup=$3 soft=$4 hard=$5 backprop=$6 folders=() preset blocks
  for preset in $soft; do
    search "$prefix-$preset" "$preset" "$unsup" "$sup"
    folders+=("$prefix-$preset")
    # Random: Hebbian blocks stay at their initial weights, only the classifier (last block) learns.
    blocks=$("$HEBB" presets "$preset" | grep -c '^  b[0-9]')
    search "$prefix-random-$preset" "$preset" "$unsup" "$sup" --training-mode consecutive --training-blocks $((blocks - 1))
    folders+=("$prefix-random-$preset")
  done
  for preset in $hard; do search "$prefix-$preset" "$preset" "$unsup" "$sup"; folders+=("$prefix-$preset"); done
  # BP baselines end to end (consecutive), not greedily layer by layer (spec quirk 13).
  for preset in $backprop; do
    search "$prefix-$preset" "$preset" "$unsup" "$sup" --training-mode consecutive
    folders+=("$prefix-$preset")
  done
  report "$prefix" "${folders[@]}"
}
