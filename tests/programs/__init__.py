"""Whole programs in the styles of the classic AD example collections; see tests/test_programs.py."""
