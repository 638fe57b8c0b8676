"""Memory limits: an address-space limit (RLIMIT_AS, what a container or `ulimit -v` sets) gives
GameTooLarge, never an abort (SIGABRT) or a MemoryError from deep inside Rust.

Each case runs in a subprocess with the limit set before numpy and coalitional are imported, so
that the test process itself is not limited.
"""

import subprocess
import sys
import textwrap

import pytest

resource = pytest.importorskip("resource")

GIB = 1 << 30


def run_limited(limit_bytes: int, body: str) -> subprocess.CompletedProcess:
    script = textwrap.dedent(
        f"""
        import resource
        resource.setrlimit(resource.RLIMIT_AS, ({limit_bytes}, {limit_bytes}))
        import numpy as np
        import coalitional as co
        """
    ) + textwrap.dedent(body)
    return subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300)


def test_a_dense_game_beyond_the_address_space_limit_is_game_too_large():
    # 2^28 values: numpy's array takes 2 GiB of the 3 GiB, and the game's own copy (2 GiB more)
    # cannot fit. Before issue 13 the memory check read only MemAvailable and the process
    # aborted in the allocation.
    proc = run_limited(
        3 * GIB,
        """
        values = np.ones(2**28)
        values[0] = 0.0
        try:
            co.Game(values)
        except co.GameTooLarge as exc:
            print("GameTooLarge:", exc)
        """,
    )
    assert proc.returncode == 0, (proc.returncode, proc.stderr[-2000:])
    assert "GameTooLarge:" in proc.stdout, proc.stdout
    assert "available" in proc.stdout or "refused" in proc.stdout, proc.stdout


def test_from_function_beyond_the_limit_is_refused_before_any_call():
    proc = run_limited(
        2 * GIB,
        """
        calls = []
        try:
            co.Game.from_function([f"p{i}" for i in range(29)], lambda s: calls.append(1) or 0.0)
        except co.GameTooLarge as exc:
            print("GameTooLarge:", exc, "calls:", len(calls))
        """,
    )
    assert proc.returncode == 0, (proc.returncode, proc.stderr[-2000:])
    assert "GameTooLarge:" in proc.stdout and "calls: 0" in proc.stdout, proc.stdout


def test_games_that_fit_still_work_under_the_limit():
    proc = run_limited(
        3 * GIB,
        """
        g = co.Game.from_function([f"p{i}" for i in range(16)], lambda s: float(len(s)) ** 2)
        phi = np.asarray(g.shapley())
        assert abs(phi.sum() - 256.0) < 1e-9
        nu = np.asarray(g.nucleolus())
        assert abs(nu.sum() - 256.0) < 1e-9 and np.allclose(nu, 16.0)
        print("ok")
        """,
    )
    assert proc.returncode == 0, (proc.returncode, proc.stderr[-2000:])
    assert "ok" in proc.stdout
