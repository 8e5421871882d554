"""Who the note is about, past vs present, current vs resolved: the scope dev sentences and the rules they check.

The answers follow how a consultation is taken (《诊断学》问诊; 《中医诊断学》问诊): the chief complaint is the
patient's own complaint even when a carer words it ("爷爷肚子上起大水泡"), a relative's illness belongs to the
family history (母亲有银屑病史), past illnesses to the past history (既往史, 小时候常晒伤), and a fever that has
gone (烧已经退了) is not a fever now; 恶寒发热 is feeling cold together with a fever, not chills on a cold day.
"""

from __future__ import annotations

import re
from pathlib import Path

from derm3r.evaluation.extraction import load_annotated

SCOPE_DEV = Path(__file__).resolve().parents[1] / "data" / "text" / "annotated_scope_dev.yaml"


def test_the_scope_dev_set_is_well_formed_and_covers_its_traps(kb) -> None:
    sentences = load_annotated(SCOPE_DEV)
    assert len(sentences) >= 60
    for record in sentences:
        for key in ("present", "optional", "absent", "past"):
            unknown = [term for term in record.get(key, []) if term not in kb.terms]
            assert not unknown, (record["text"], key, unknown)
        assert record.get("field", "history") in {"chief_complaint", "history", "lesion_description", "symptoms"}
    texts = [record["text"] for record in sentences]
    english = [text for text in texts if text.isascii()]
    traditional = [text for text in texts if re.search(r"[爺媽癢發燒現經臉曬銀屑皰頭紅長腳還塊]", text)]
    negated = [text for text in texts if re.search(r"[无不没否]|\bno\b|none", text)]
    family = [text for text in texts if re.search(r"母|父|妈|家族|舅|外婆|mum|mother|dad|grandad", text)]
    assert len(english) >= 10 and len(traditional) >= 5 and len(negated) >= 10 and len(family) >= 15
    assert sum(1 for record in sentences if record.get("past")) >= 10
    assert sum(1 for record in sentences if record.get("field") == "chief_complaint") >= 12
