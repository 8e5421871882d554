"""Sample files are JSONL split at \\n only: a record whose strings hold other line breaks stays one record."""

from __future__ import annotations

import json
from pathlib import Path

from derm3r.training.data import Sample, load_samples

#: Characters str.splitlines() breaks a line at besides \n: \x1c (json.dumps escapes it), \x85 and \u2028 (written
#: as they are with ensure_ascii=False, as Sample.to_json writes).
BREAKS = "皮损\x1c瘙痒\u2028夜间加重\x85抓后渗出"


def _sample(sample_id: str) -> Sample:
    return Sample(
        agent="rep",
        sample_id=sample_id,
        case_id="c1",
        patient="p1",
        messages=[{"role": "user", "content": BREAKS}],
        images=[],
        target=json.dumps({"summary": BREAKS}, ensure_ascii=False),
        prompt_hash="h",
    )


def test_a_sample_holding_x1c_and_u2028_in_its_strings_loads_as_one_record(tmp_path: Path) -> None:
    path = tmp_path / "rep.train.jsonl"
    samples = [_sample("s1"), _sample("s2")]
    path.write_text("\n".join(sample.to_json() for sample in samples) + "\n\n", encoding="utf-8")
    assert "\u2028" in path.read_text(encoding="utf-8")  # the break is in the file as it is, not escaped
    assert load_samples(path) == samples
