"""The `tangent-ad` output pasted into docs/tutorial.md and README.md is the tool's own.

Each ```console block starts with `$ tangent-ad ...`; the rest of the block is what that
command prints, run from the repository root. When the generated code changes on purpose:
    TANGENT_AD_UPDATE_GOLDEN=1 python -m pytest tests/test_docs.py
rewrites the blocks; review the diff as you would a change to an API.
"""
import os
import pathlib
import re
import shlex

import pytest

from tangent_ad import cli

ROOT = pathlib.Path(__file__).resolve().parent.parent
DOCS = [ROOT / "docs" / "tutorial.md", ROOT / "README.md"]
UPDATE = os.environ.get("TANGENT_AD_UPDATE_GOLDEN") == "1"
BLOCK = re.compile(r"```console\n(\$ tangent-ad [^\n]*)\n(.*?)```", re.S)


def command_output(command, capsys):
    status = cli.main(shlex.split(command)[2:])
    out, err = capsys.readouterr()
    assert status == 0, err
    return out


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: p.name)
def test_pasted_output_is_current(doc, capsys, monkeypatch):
    monkeypatch.chdir(ROOT)
    monkeypatch.delenv("NO_COLOR", raising=False)
    text = doc.read_text()
    blocks = BLOCK.findall(text)
    assert blocks, f"{doc.name} has no ```console blocks"
    stale = []
    for command, shown in blocks:
        out = command_output(command, capsys)
        if out != shown:
            stale.append(command)
            text = text.replace(f"{command}\n{shown}```", f"{command}\n{out}```", 1)
    if UPDATE:
        doc.write_text(text)
    else:
        assert not stale, f"{doc.name}: rerun and paste the output of {stale}"
