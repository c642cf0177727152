"""Front end: source text → checked, normalized gast tree with activity information."""
