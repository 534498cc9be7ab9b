"""Runs every Python block of docs/python.md, in order, from the repository's root."""
import os
import re


def test_docs_python_md_runs(source, monkeypatch, capsys):
    with open(os.path.join(source, "docs", "python.md")) as f:
        blocks = re.findall(r"```python\n(.*?)```", f.read(), re.S)
    assert len(blocks) >= 3
    monkeypatch.chdir(source)
    scope = {}
    for block in blocks:
        exec(compile(block, "docs/python.md", "exec"), scope)
    out = capsys.readouterr().out
    assert "mine.yaml 2 24" in out
    assert "bad duration" in out
