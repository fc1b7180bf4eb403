// MaxPPlot module (placeholder file; removed once real sources exist).
