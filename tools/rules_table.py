"""Write the table of supported functions into README.md, from the rule registry.

    python tools/rules_table.py          # rewrite the table in README.md
    python tools/rules_table.py --check  # exit 1 if README.md's table is out of date
"""
import pathlib
import sys

from tangent_ad.rules.registry import all_rules

README = pathlib.Path(__file__).resolve().parent.parent / "README.md"
BEGIN = "<!-- rules-table:begin -->"
END = "<!-- rules-table:end -->"


def table():
    families = {}
    for rule in all_rules():
        if rule.family == "user":
            continue
        label = rule.family + ("" if rule.differentiable else " (no derivative)")
        families.setdefault(label, []).append(rule.name)
    count = sum(len(v) for v in families.values())
    lines = [f"{count} functions and operators.", "", "| family | functions |", "|---|---|"]
    for family in sorted(families):
        names = ", ".join(f"`{n}`" for n in sorted(families[family]))
        lines.append(f"| {family} | {names} |")
    return "\n".join(lines)


def updated(text):
    start, end = text.index(BEGIN) + len(BEGIN), text.index(END)
    return text[:start] + "\n" + table() + "\n" + text[end:]


if __name__ == "__main__":
    text = README.read_text()
    new = updated(text)
    if "--check" in sys.argv:
        sys.exit(0 if new == text else 1)
    README.write_text(new)
