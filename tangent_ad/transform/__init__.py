"""Transforms: normalized function → derivative function (forward or reverse), optimized."""
