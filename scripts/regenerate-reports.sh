#!/usr/bin/env bash
# Regenerates the example reports in Reports/ with the tool itself. Deterministic: fixed seeds and one OpenBLAS
# thread, so running it twice gives the same data files.
set -euo pipefail
cd "$(dirname "$0")/.."
export OPENBLAS_NUM_THREADS=1
swift build -c release --product maxp-diagnose
BIN="$(swift build -c release --show-bin-path)/maxp-diagnose"
OUT=Reports
rm -rf "$OUT.tmp" && mkdir -p "$OUT.tmp"

# µP vs SP on the reference MLP (3 hidden layers, Adam): SP's hidden and readout layers grow after one step.
"$BIN" coord-check --model mlp --input-dim 256 --depth 3 --output-dim 10 --batch 64 \
    --widths 64,128,256,512,1024 --seeds 3 --steps 3 --optimizer adam --lr 0.01 --parametrization mup \
    --quiet --out "$OUT.tmp/mlp-mup"
"$BIN" coord-check --model mlp --input-dim 256 --depth 3 --output-dim 10 --batch 64 \
    --widths 64,128,256,512,1024 --seeds 3 --steps 3 --optimizer adam --lr 0.01 --parametrization sp \
    --quiet --out "$OUT.tmp/mlp-sp"

# The GPT-style model (fixed head count, so the head dimension grows with width).
"$BIN" coord-check --model gpt --heads 4 --seq-len 16 --vocab 64 --depth 2 --batch 8 \
    --widths 64,128,256,512 --seeds 3 --steps 3 --optimizer adam --lr 0.01 --parametrization mup \
    --quiet --out "$OUT.tmp/gpt-mup"

# A planted bug (attention logits scaled by 1/√d instead of 1/d) with its autofix.
"$BIN" coord-check --model gpt --heads 4 --seq-len 16 --vocab 64 --depth 2 --batch 8 \
    --widths 64,128,256,512 --seeds 3 --steps 3 --optimizer adam --lr 0.01 --parametrization mup \
    --inject attention-sqrt-d --autofix --quiet --out "$OUT.tmp/gpt-attention-sqrt-d"

# A planted bug in the MLP: the readout multiplier is missing (a = 0 instead of ½), with its autofix.
"$BIN" coord-check --model mlp --input-dim 256 --depth 3 --output-dim 10 --batch 64 \
    --widths 64,128,256,512,1024 --seeds 3 --steps 3 --optimizer adam --lr 0.01 --parametrization mup \
    --inject missing-readout-multiplier --autofix --quiet --out "$OUT.tmp/mlp-missing-readout-multiplier"

# LR transfer: SP drifts (optimum moves with width), µP transfers.
"$BIN" lr-transfer --model mlp --input-dim 64 --depth 2 --output-dim 10 --batch 64 \
    --widths 64,128,256,512 --seeds 2 --steps 40 --optimizer adam --parametrizations sp,mup \
    --quiet --out "$OUT.tmp/lr-transfer-mlp"

rm -rf "$OUT" && mv "$OUT.tmp" "$OUT"
echo "Reports regenerated in $OUT/"
