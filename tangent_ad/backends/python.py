"""The Python backend: the generated function runs as it is, with NumPy.

Python's arithmetic can leave the reals where compiled code cannot (`(-8.0) ** (1 / 3)` is
a complex number in Python, nan in numba), so the results of Python-run code are checked:
a complex one raises instead of being returned as a derivative.
"""
from ..kinds import ComplexValueError, is_complex


def real_results(result, name):
    """`result` (a value or a tuple of values), if no value in it is complex."""
    for value in result if isinstance(result, tuple) else (result,):
        if is_complex(value):
            raise ComplexValueError(
                f"{name} computed a complex number (Python's `**` of a negative base, say): "
                "tangent_ad differentiates real functions of real numbers. Keep the values "
                "real (np.cbrt(x) for a cube root, a guard before the power).")
    return result


class PythonFunction:
    """The generated Python function, its results checked to be real."""

    def __init__(self, fn):
        self.python = fn
        self.__name__ = fn.__name__

    def __call__(self, *args):
        return real_results(self.python(*args), self.__name__)


def compile_function(fn):
    return PythonFunction(fn)
