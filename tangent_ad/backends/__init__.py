"""Backends: run a generated function as Python, or compile it with numba (CPU)."""
