"""filmbot benchmarks: `python -m bench` (see README). Every figure is a ratio to a baseline of the same run."""
