"""The README's Python examples and the package's docstring examples run as tests."""

import doctest
import pathlib
import re

import coalitional
import coalitional._allocation
import coalitional._game
import coalitional._interval
import coalitional._scenario

README = pathlib.Path(__file__).resolve().parents[2] / "README.md"


def python_blocks():
    return re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), flags=re.S)


def test_readme_has_python_examples():
    assert len(python_blocks()) >= 2


def test_readme_python_examples_run(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    namespace: dict = {}
    for block in python_blocks():
        exec(compile(block, str(README), "exec"), namespace)


def test_docstring_examples():
    for module in (coalitional, coalitional._game, coalitional._allocation, coalitional._report_doc,
                   coalitional._interval, coalitional._scenario, coalitional._rules,
                   coalitional._power, coalitional._classes, coalitional._oracle):
        result = doctest.testmod(module, raise_on_error=False)
        assert result.failed == 0, module.__name__
