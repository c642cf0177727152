"""A differential fuzzer: random valid NumPy functions, differentiated in both modes and on
both backends, compared with central differences and with each other.

``python -m tools.fuzz --n 100000`` runs it (see ``__main__.py``); ``tests/test_fuzz.py``
runs a bounded number of programs in the test suite. `grammar` builds the programs,
`checker` runs one, `shrink` reduces a failing one to a minimal program.
"""
