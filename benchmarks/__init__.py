"""Benchmarks for the reel; ``python -m benchmarks`` runs the full set (see run.py)."""
