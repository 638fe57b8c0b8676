"""Render the figures shown in the README (run from the repository root after installing the
package with the plot extra): ``python examples/make_figures.py``. Writes
``docs/g60_settlement.png``. The G60 figures are illustrative (see examples/make_g60.py)."""

import pathlib

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402

import coalitional as co  # noqa: E402
import coalitional.plot as cp  # noqa: E402

PROVINCES = {
    "Shanghai": ["Songjiang"],
    "Jiangsu": ["Suzhou"],
    "Zhejiang": ["Jiaxing", "Hangzhou", "Jinhua", "Huzhou"],
    "Anhui": ["Xuancheng", "Wuhu", "Hefei"],
}


def main() -> None:
    g = co.example("g60_corridor")
    today = co.example_status_quo("g60_corridor")
    nu = g.nucleolus()
    fig, (left, right) = plt.subplots(1, 2, figsize=(13, 5.2))
    cp.allocations(
        g,
        {"today (status quo)": today, "Shapley value": g.shapley(), "Owen value (by province)": g.owen(list(PROVINCES.values())), "nucleolus": nu},
        ax=left,
        title="G60 corridor: today's split and fair splits (illustrative figures)",
    )
    left.set_ylabel("saving, million yuan a year")
    cp.settlement(co.settle(g, nu, status_quo=today), ax=right, title="payments from today's split to the nucleolus")
    fig.tight_layout()
    out = pathlib.Path(__file__).resolve().parent.parent / "docs" / "g60_settlement.png"
    fig.savefig(out, dpi=90)
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
