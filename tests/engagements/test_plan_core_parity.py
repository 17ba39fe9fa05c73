"""The plan core in JS (static/js/plan_core.js) and in Python (engagements.drawing.geometry)
give the same layout warnings, storage capacity, clamping and free spot on the same cases."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from engagements.drawing.geometry import (
    bounding_box,
    clamp_inside,
    first_free_spot,
    layout_warnings,
    storage_capacity_fm,
)
from survey.models.storage import capacity_fm

ROOT = Path(__file__).resolve().parents[2]
CASES = Path(__file__).with_name("plan_cases.json")

NODE_RUNNER = """
const core = require(process.argv[1]);
const cases = require(process.argv[2]);
const out = {
  warnings: cases.warnings.map((c) => core.layoutWarnings(c.items, c.min_aisle).map(
    (w) => [w.kind, w.a.label, w.b.label, w.gap, w.inherited])),
  capacity: cases.capacity.map(([w, s]) => core.storageCapacityFm(w, s)),
  clamp: cases.clamp.map((c) => {
    const p = core.clampInside(c.item, { w: c.floor[0], d: c.floor[1] });
    return [p.x, p.y];
  }),
  free_spot: cases.free_spot.map((c) => {
    const p = core.firstFreeSpot({ w: c.floor[0], d: c.floor[1] }, c.size[0], c.size[1], c.items);
    return p && [p.x, p.y];
  }),
};
process.stdout.write(JSON.stringify(out));
"""


def _box(item: dict):
    return bounding_box(item.get("label", ""), item["x"], item["y"], item["w"], item["d"],
                        item["r"], surveyed=item.get("surveyed", False))


def python_results(cases: dict) -> dict:
    return {
        "warnings": [
            [[w.kind, w.first, w.second, w.gap_mm, w.inherited]
             for w in layout_warnings([_box(i) for i in c["items"]], c["min_aisle"])]
            for c in cases["warnings"]
        ],
        "capacity": [str(storage_capacity_fm(w, s)) for w, s in cases["capacity"]],
        "clamp": [list(clamp_inside(c["item"]["x"], c["item"]["y"], c["item"]["w"],
                                    c["item"]["d"], c["item"]["r"], *c["floor"]))
                  for c in cases["clamp"]],
        "free_spot": [
            (lambda p: p and list(p))(first_free_spot(*c["floor"], *c["size"],
                                                      [_box(i) for i in c["items"]]))
            for c in cases["free_spot"]
        ],
    }


@pytest.fixture(scope="module")
def js_results() -> dict:
    node = shutil.which("node")
    assert node, "node is needed to run the plan core's JS"
    done = subprocess.run(
        [node, "-e", NODE_RUNNER, str(ROOT / "static/js/plan_core.js"), str(CASES)],
        capture_output=True, text=True, check=True, timeout=60,
    )
    return json.loads(done.stdout)


@pytest.fixture(scope="module")
def cases() -> dict:
    return json.loads(CASES.read_text())


@pytest.mark.parametrize("key", ["warnings", "capacity", "clamp", "free_spot"])
def test_js_and_python_agree(cases, js_results, key):
    assert js_results[key] == python_results(cases)[key]


def test_the_cases_are_not_trivial(cases):
    # the cases hold overlaps, narrow aisles, inherited warnings and each kind of rounding
    results = python_results(cases)
    kinds = {(w[0], w[4]) for case in results["warnings"] for w in case}
    assert {("overlap", False), ("aisle", False), ("overlap", True)} <= kinds
    assert results["capacity"][1] == "1.24" and results["capacity"][2] == "1.24"
    assert None in results["free_spot"] and [200, 200] in results["free_spot"]


def test_the_storage_model_uses_the_shared_formula(cases):
    for width, shelves in cases["capacity"]:
        assert capacity_fm(width, shelves) == storage_capacity_fm(width, shelves)
