"""Signs of LLM answers are read from the model's words with the lexicon, never taken from the model."""

from __future__ import annotations

from typing import Any

import numpy as np

from derm3r.llm.ground import ground_findings, ground_representation, image_quality
from derm3r.llm.schemas import RecOutput, RepOutput
from derm3r.llm.structured import parse_output


def test_rec_signs_come_from_the_words_and_invented_ids_are_ignored(kb: Any) -> None:
    reply = (
        '{"color": ["鲜红"], "scale": ["银白色鳞屑"], "description": "鲜红斑块，无脓疱",'
        ' "signs": [{"term": "made.up", "label": "x", "category": "y", "source": "text"}], "source": "image:z"}'
    )
    output = parse_output(reply, RecOutput)
    findings = ground_findings(kb, output, "text")
    terms = {sign.term for sign in findings.signs}
    assert {"color.bright_red", "morphology.plaque"} <= terms
    assert "made.up" not in terms and findings.source == "text"
    assert "morphology.pustule" in {sign.term for sign in findings.negated}  # 无脓疱 is a denial, not a sign
    assert all(sign.source.startswith("text.") for sign in findings.signs)


def test_rep_fuses_rec_signs_with_its_summary_and_a_denied_sign_stated_elsewhere_stays(kb: Any) -> None:
    text = ground_findings(kb, RecOutput(description="鲜红斑块，覆银白色鳞屑"), "text")
    output = RepOutput(summary="进行期鲜红斑块，可见同形反应，无鳞屑", stage="进行期", pathogenesis="血分热盛")
    representation = ground_representation(kb, output, [text])
    terms = {sign.term for sign in representation.signs}
    assert "color.bright_red" in terms  # from Rec
    assert any(term.endswith("koebner") for term in terms), terms  # only in Rep's summary
    denied = {sign.term for sign in representation.negated}
    assert not denied & terms  # Rep's 无鳞屑 cannot erase the scale Rec read
    assert representation.stage == "进行期" and representation.pathogenesis == "血分热盛"


def test_an_unusable_llm_image_is_reported_as_excluded_with_the_reason(kb: Any) -> None:
    dark = np.full((400, 400, 3), 5, dtype=np.uint8)
    quality = image_quality(dark, "img/dark.jpg", "closeup")
    assert not quality.usable and quality.reasons
    dark_red = RecOutput(description="暗红斑块")
    image = ground_findings(kb, dark_red, "image:img/dark.jpg", view="closeup", quality=quality)
    text = ground_findings(kb, RecOutput(description="鲜红斑块"), "text")
    representation = ground_representation(kb, RepOutput(summary="鲜红斑块"), [text, image])
    assert representation.images_used == []
    assert representation.images_excluded and representation.images_excluded[0].startswith("img/dark.jpg")
    assert "color.dark_red" not in {sign.term for sign in representation.signs}
