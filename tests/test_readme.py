"""The README shows what the code prints: its Python results and its first-steps session."""
import doctest
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from classifier import load_model

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
_CHECKER = doctest.OutputChecker()


def _python_examples():
    """(expression, shown result) for README lines followed by a `# <result>` line."""
    block = README.split("## Use from Python", 1)[1].split("```python", 1)[1].split("```", 1)[0]
    lines = block.splitlines()
    out = []
    for line, nxt in zip(lines, lines[1:]):
        if line.startswith("model.") and nxt.startswith("# ") and nxt[2:3] in "[{(":
            out.append((line, nxt[2:]))
    return out


@pytest.mark.parametrize("expression, shown", _python_examples())
def test_python_examples_show_what_the_shipped_model_returns(expression, shown):
    got = repr(eval(expression, {"model": load_model()}))  # noqa: S307 - our own README
    assert _CHECKER.check_output(shown + "\n", got + "\n", doctest.ELLIPSIS), got


def _first_steps():
    section = README.split("## First steps", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```(bash|console)\n(.*?)```", section, flags=re.S)


def test_the_readme_has_a_first_steps_session():
    kinds = [kind for kind, _ in _first_steps()]
    commands = [b for k, b in _first_steps() if k == "console"]
    assert kinds.count("console") >= 4
    assert any("sectors train" in c and "--out" in c for c in commands)
    assert any("sectors evaluate" in c for c in commands) and any("--explain" in c for c in commands)


def test_first_steps_print_what_the_readme_shows(tmp_path):
    env = {**os.environ, "COLUMNS": "100", "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    for kind, body in _first_steps():
        if kind == "bash":
            subprocess.run(["bash", "-c", body], cwd=tmp_path, check=True, env=env)
            continue
        command, *shown = body.rstrip("\n").split("\n")
        assert command.startswith("$ ")
        res = subprocess.run(["bash", "-c", command[2:]], cwd=tmp_path, env=env, text=True,
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=300)
        assert res.returncode == 0, res.stdout
        assert res.stdout.rstrip("\n").split("\n") == shown, command
