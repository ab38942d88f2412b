"""Benchmarks: each script prints the figure its issue names."""
