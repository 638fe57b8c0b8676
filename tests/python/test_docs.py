"""The README's Python examples and the package's docstring examples run as tests."""

import doctest
import pathlib
import re

import coalitional
import coalitional._allocation
import coalitional._game
import coalitional._interval
import coalitional._scenario
import coalitional._structured

README = pathlib.Path(__file__).resolve().parents[2] / "README.md"


def python_blocks():
    return re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), flags=re.S)


def cluster_blocks():
    """```py blocks: snippets that need a cluster (a Slurm login node, a Dask scheduler), compiled
    but not run."""
    return re.findall(r"```py\n(.*?)```", README.read_text(encoding="utf-8"), flags=re.S)


def test_readme_cluster_snippets_compile():
    blocks = cluster_blocks()
    assert len(blocks) >= 2
    for block in blocks:
        compile(block, str(README), "exec")


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
                   coalitional._power, coalitional._classes, coalitional._structured,
                   coalitional._oracle):
        result = doctest.testmod(module, raise_on_error=False)
        assert result.failed == 0, module.__name__


def test_backends_docstring_examples():
    result = doctest.testmod(coalitional.backends, raise_on_error=False)
    assert result.attempted > 0 and result.failed == 0
