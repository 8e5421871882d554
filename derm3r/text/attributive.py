"""A denied feeling used as an attribute: 无痛性溃疡, 不痛的硬结, 不痒的红斑 deny the feeling, not the lesion.

Syphilis's chancre is a painless ulcer (《梅毒、淋病和生殖道沙眼衣原体感染诊疗指南（2020年）》一期梅毒), and notes
say so as 无痛性/无痛的/不痛的 before the lesion word. :func:`derm3r.text.extract.is_negated` ends
such a denial at 性/的; 没有明显的红斑 stays denied (明显 is no feeling).
"""

from __future__ import annotations

import re

#: A negator, a feeling (masked □ once the lexicon has read it) and 性/的, at the start of the text after the negator.
ATTRIBUTIVE_DENIAL = re.compile(r"^(?:无|不|没有?)(?:痛|疼|痒|瘙痒|疼痛|压痛|触痛|□{1,2})(?:性|的)")
