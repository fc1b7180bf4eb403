// maxp-bench: speed targets as ratios against baselines measured in the same run.
print("maxp-bench: no benchmarks yet")
