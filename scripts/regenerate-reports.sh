#!/usr/bin/env bash
# Regenerates the example reports in Reports/ with the tool itself. Deterministic: fixed seeds and one OpenBLAS
# thread, so running it twice gives the same data files.
set -euo pipefail
cd "$(dirname "$0")/.."
export OPENBLAS_NUM_THREADS=1
swift build -c release --product maxp-diagnose
BIN="$(swift build -c release --show-bin-path)/maxp-diagnose"
OUT=Reports
# Each run writes its files atomically (temporary names, then rename) into a fresh folder, so a report's
# "reproduce with" line names the folder it lives in.
for name in mlp-mup mlp-sp gpt-mup gpt-attention-sqrt-d mlp-missing-readout-multiplier lr-transfer-mlp three-methods; do
    rm -rf "${OUT:?}/$name"
done
mkdir -p "$OUT"

# µP vs SP on the reference MLP (3 hidden layers, Adam): SP's hidden and readout layers grow after one step.
"$BIN" coord-check --model mlp --input-dim 256 --depth 3 --output-dim 10 --batch 64 \
    --widths 64,128,256,512,1024 --seeds 3 --steps 3 --optimizer adam --lr 0.01 --parametrization mup \
    --quiet --out "$OUT/mlp-mup"
"$BIN" coord-check --model mlp --input-dim 256 --depth 3 --output-dim 10 --batch 64 \
    --widths 64,128,256,512,1024 --seeds 3 --steps 3 --optimizer adam --lr 0.01 --parametrization sp \
    --quiet --out "$OUT/mlp-sp"

# The GPT-style model (fixed head count, so the head dimension grows with width).
"$BIN" coord-check --model gpt --heads 4 --seq-len 16 --vocab 64 --depth 2 --batch 8 \
    --widths 64,128,256,512 --seeds 3 --steps 3 --optimizer adam --lr 0.01 --parametrization mup \
    --quiet --out "$OUT/gpt-mup"

# A planted bug (attention logits scaled by 1/√d instead of 1/d) with its autofix.
"$BIN" coord-check --model gpt --heads 4 --seq-len 16 --vocab 64 --depth 2 --batch 8 \
    --widths 64,128,256,512 --seeds 3 --steps 3 --optimizer adam --lr 0.01 --parametrization mup \
    --inject attention-sqrt-d --autofix --quiet --out "$OUT/gpt-attention-sqrt-d"

# A planted bug in the MLP: the readout multiplier is missing (a = 0 instead of ½), with its autofix.
"$BIN" coord-check --model mlp --input-dim 256 --depth 3 --output-dim 10 --batch 64 \
    --widths 64,128,256,512,1024 --seeds 3 --steps 3 --optimizer adam --lr 0.01 --parametrization mup \
    --inject missing-readout-multiplier --autofix --quiet --out "$OUT/mlp-missing-readout-multiplier"

# LR transfer: SP drifts (optimum moves with width), µP transfers.
"$BIN" lr-transfer --model mlp --input-dim 64 --depth 2 --output-dim 10 --batch 64 \
    --widths 64,128,256,512 --seeds 2 --steps 40 --optimizer adam --parametrizations sp,mup \
    --lrs 0.0001,0.0003,0.001,0.003,0.01,0.03,0.1,0.3,1,3 \
    --quiet --out "$OUT/lr-transfer-mlp"

# Three methods (maxP's headline experiment): maxP (µP, alignment measured, learning-rate exponents re-solved) vs µP
# with the full / no alignment preset (exponents fixed), each over 6 learning rates × 3 widths × 2 seeds, on the MLP
# and the GPT (Examples/three-methods/*.yaml). The grids' run folders stay out of the repository, in $GRIDS.
GRIDS=.build/three-methods
rm -rf "$GRIDS"
for method in maxp mup-full mup-no; do
    for model in mlp gpt; do
        "$BIN" grid --config "Examples/three-methods/$model-$method.yaml" --quiet --out "$GRIDS/$method/$model"
    done
done
"$BIN" compare --exp maxp="$GRIDS/maxp" --exp mup-full="$GRIDS/mup-full" --exp mup-no="$GRIDS/mup-no" \
    --metric train_loss --group-by model.name model.width --select-by loss --smoothing 0.1 --out "$OUT/three-methods"

echo "Reports regenerated in $OUT/"
