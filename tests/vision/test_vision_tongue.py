from __future__ import annotations

import pytest

from derm3r.testing.synthetic_tongue import paint_tongue
from derm3r.vision.tongue import analyze_tongue

CASES = [
    ("淡白", "白", "薄", False),
    ("淡红", "白", "薄", False),
    ("红", "黄", "薄", False),
    ("绛", "黄", "厚", True),
    ("紫暗", "白", "厚", False),
    ("淡白", "白", "厚", True),
    ("淡红", "黄", "厚", False),
    ("红", "黄", "厚", True),
    ("绛", "白", "薄", False),
    ("紫暗", "黄", "薄", False),
]


@pytest.mark.parametrize(
    ("seed", "body", "coat", "thickness", "greasy"), [(i, *c) for i, c in enumerate(CASES)]
)
def test_recovers_body_and_coat(seed: int, body: str, coat: str, thickness: str, greasy: bool) -> None:
    rgb, truth = paint_tongue(
        500 + seed,
        body=body,  # type: ignore[arg-type]
        coat_color=coat,  # type: ignore[arg-type]
        coat_thickness=thickness,  # type: ignore[arg-type]
        greasy=greasy,
    )
    f = analyze_tongue(rgb)
    assert f.body_color == truth.body
    assert f.coat_color == truth.coat_color
    assert f.coat_thickness == truth.coat_thickness
    assert f.coat_greasy == truth.greasy


def test_summary_reads_like_a_tongue_description() -> None:
    red, _ = paint_tongue(3, body="红", coat_color="黄", coat_thickness="薄")
    assert analyze_tongue(red).summary_zh == "舌红，苔薄黄"
    greasy, _ = paint_tongue(4, body="淡红", coat_color="白", coat_thickness="厚", greasy=True)
    assert analyze_tongue(greasy).summary_zh == "舌淡红，苔白厚腻"
