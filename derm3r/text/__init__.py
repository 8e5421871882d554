"""The one text-extraction layer: signs read from case text, negation- and scope-aware, traceable.

Public API (see :mod:`derm3r.text.mentions`)::

    extract(kb, case, previous_visits=False, semantic=True) -> list[Mention]
    extract_fields(kb, {field: text}, semantic=True) -> list[Mention]
    Mention(sign_id, label, category, field, span, text, clause, negated,
            scope: present|past|family, method: lexicon|fuzzy|semantic, score).asserted

Steps: :mod:`~derm3r.text.normalize` (traditional → simplified, full-width, misspellings, length
kept), :mod:`~derm3r.text.clauses` (clauses; lab/drug/screening/occupation/season clauses
create no signs), :mod:`~derm3r.text.extract` (lexicon, fuzzy, negation),
:mod:`~derm3r.text.semantic` (sentence-encoder reading of leftovers), :mod:`~derm3r.text.scope`
(family, past, resolved) and :mod:`~derm3r.text.signs` (present/denied sign sets for engines).
"""

from derm3r.text.mentions import Mention, extract, extract_fields, reader_for

__all__ = ["Mention", "extract", "extract_fields", "reader_for"]
