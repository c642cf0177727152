"""The Python backend: the generated function runs as it is, with NumPy."""


def compile_function(fn):
    return fn
