"""The pipeline's benchmark: stage timings, whole runs and two baselines, side by side (issue 6)."""
