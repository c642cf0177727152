"""Source objects (print, terminal colour, notebooks) and the side-by-side views.

The HTML view is rendered in headless Chromium (Debian's `chromium` package). Without it
the browser test is skipped, with the command that installs it; under CI (`CI` set, where
`.ci/run` installs it) it fails instead, so CI never passes without looking.
"""
import io
import json
import os
import pathlib
import shutil
import subprocess
import sys

import pytest

import tangent_ad as ta
from tangent_ad.display import Source, side_by_side_html, side_by_side_text, use_color
from tangent_ad.explain import explain
from tangent_ad.stages import Stages

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "examples"))
import logistic_regression as logreg  # noqa: E402  (an example, imported for its functions)

TEXT = "def f_grad(x):\n    # return x ** 2 < 3\n    x_bar = 2.0 * x\n    return x_bar\n"


class _Terminal(io.StringIO):
    def isatty(self):
        return True


@pytest.fixture
def no_color_unset(monkeypatch):
    monkeypatch.delenv("NO_COLOR", raising=False)


def test_source_prints_plainly():
    src = Source(TEXT, "f_grad")
    assert str(src) == repr(src) == TEXT and src.name == "f_grad"


def test_colour_only_on_a_terminal(no_color_unset, monkeypatch):
    pytest.importorskip("pygments")
    src = Source(TEXT)
    assert "\x1b[" in src.highlighted(stream=_Terminal())
    assert src.highlighted(stream=io.StringIO()) == TEXT          # a pipe or a file
    assert src.highlighted(color="never", stream=_Terminal()) == TEXT
    assert "\x1b[" in src.highlighted(color="always", stream=io.StringIO())
    monkeypatch.setenv("NO_COLOR", "1")
    assert src.highlighted(stream=_Terminal()) == TEXT
    assert use_color("always", io.StringIO())  # an explicit request wins over NO_COLOR


def test_notebook_representations():
    src = Source(TEXT)
    page = src._repr_html_()
    assert page.startswith("<pre") and "x_bar" in page and "< 3" not in page  # escaped
    assert src._repr_markdown_() == f"```python\n{TEXT}```\n"


def test_without_pygments(monkeypatch, no_color_unset):
    monkeypatch.setitem(sys.modules, "pygments", None)  # `import pygments` now fails
    src = Source(TEXT)
    assert src.highlighted(color="always") == TEXT
    assert "&lt; 3" in src._repr_html_()


def test_api_source_is_a_source():
    src = ta.source(ta.grad(lambda x: x * x, backend="python"), 3.0)
    assert isinstance(src, Source) and "x_bar" in src


def _logreg_explanation(mode="reverse"):
    stages = Stages(logreg.loss, (logreg.W, logreg.b), (0, 1), mode)
    return explain(stages.parsed, stages.generated, mode)


def test_side_by_side_text():
    text = side_by_side_text(_logreg_explanation())
    rows = text.splitlines()
    assert rows[0].startswith("reverse mode: loss (") and rows[0].endswith(") -> loss_grad")
    bars = {line.index(" | ") for line in rows if " | " in line}
    assert len(bars) == 1  # one column edge
    assert any(line.endswith("| bwd     W_bar = inputs.T @ v2_bar") for line in rows)


# -- the HTML page in a real browser -------------------------------------------------------
PROBE = """<script>
const box = el => { const r = el.getBoundingClientRect();
                    return {left: r.left, top: r.top, width: r.width, height: r.height}; };
const cells = cls => [...document.querySelectorAll("td." + cls)].map(
    td => ({box: box(td), text: td.innerText,
            tops: [...td.querySelectorAll("code, .ln, .tag")].map(el => box(el).top)}));
const pre = document.createElement("pre");
pre.id = "layout";
pre.textContent = JSON.stringify({heads: [...document.querySelectorAll("thead th")].map(box),
                                  source: cells("source"), derivative: cells("derivative")});
document.body.appendChild(pre);
</script>"""


def chromium_layout(page, tmp_path):
    """The boxes and text of the page's columns, as laid out by headless Chromium."""
    browser = shutil.which("chromium")
    if browser is None:
        missing = pytest.fail if os.environ.get("CI") else pytest.skip
        missing("this test renders the HTML view in headless Chromium, which is not "
                "installed: apt-get install -y chromium")
    path = tmp_path / "page.html"
    path.write_text(page.replace("</body>", PROBE + "</body>"))
    command = [browser, "--headless", "--no-sandbox", "--disable-gpu",
               "--disable-background-networking", "--disable-component-update",
               "--disable-sync", "--no-first-run", f"--user-data-dir={tmp_path / 'profile'}",
               "--window-size=1400,1000", "--dump-dom", path.as_uri()]
    dom = subprocess.run(command, capture_output=True, text=True, timeout=120).stdout
    start = dom.index('<pre id="layout">') + len('<pre id="layout">')
    text = dom[start:dom.index("</pre>", start)]
    return json.loads(text.replace("&quot;", '"').replace("&lt;", "<").replace("&gt;", ">")
                      .replace("&amp;", "&"))


def test_html_view_shows_two_columns_in_a_browser(tmp_path):
    explanation = _logreg_explanation()
    layout = chromium_layout(side_by_side_html(explanation), tmp_path)
    left, right = layout["heads"]
    assert left["width"] > 200 and right["width"] > 200
    assert left["top"] == right["top"] and left["left"] + left["width"] <= right["left"]
    pairs = list(zip(layout["source"], layout["derivative"]))
    rows = [row for section in explanation.sections for row in section.rows]
    assert len(pairs) == len(rows)
    for (src, gen), row in zip(pairs, rows):
        assert src["box"]["top"] == gen["box"]["top"]  # side by side, on one row
        assert src["box"]["left"] + src["box"]["width"] <= gen["box"]["left"]
        assert row.source.strip() in src["text"]
        if row.source:
            assert len(set(src["tops"])) == 1, row  # a line of your code is never wrapped
        for line in row.derived:
            assert line.text in gen["text"]
    assert any("W_bar = inputs.T @ v2_bar" in gen["text"] for _, gen in pairs)


def test_html_view_of_forward_mode(tmp_path):
    page = side_by_side_html(_logreg_explanation("forward"))
    assert "generated code (forward mode)" in page and "W_dot" in page
    assert "<script" not in page and "http" not in page  # standalone: nothing to fetch
