"""Code generation: names, rule templates, source text, loading as a module."""
