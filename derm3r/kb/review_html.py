"""The review sheet as HTML a pharmacist can read: labelled fields, one herb a line, names for ids, links to users.

Rendering only; :mod:`derm3r.kb.review` gathers the entries. No script: the pages are static tables that print.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from typing import Any

from derm3r.kb.review import ReviewEntry

#: Chinese labels for the kinds of entry (page titles).
KIND_LABELS = {
    "terms": "术语", "diseases": "病种", "syndromes": "证型", "formulas": "方剂", "herbs": "中药",
    "incompatibilities": "配伍禁忌（十八反、十九畏）", "dose_rules": "年龄剂量折算", "red_flags": "转诊组合规则",
    "red_flag_signs": "转诊体征", "allergen_classes": "过敏药类", "follow_up_questions": "追问问题",
    "staging": "分期规则", "thresholds": "阈值与常数", "syndrome_elements": "证素",
}

#: Chinese labels for the fields a reviewer reads most; any other field shows its own name.
FIELD_LABELS = {
    "aliases": "别名", "origin": "出处", "actions": "功用", "herbs": "组成", "modifications": "加减",
    "source_herbs": "原书组成", "source_omits": "原书有而本方不用", "source_note": "原书核对", "variant_of": "所本之方",
    "combines": "合方", "western": "西医病名", "synonyms": "同义词", "scope": "处理", "summary": "概述",
    "referral_advice": "转诊意见", "syndromes": "证型", "indicative_signs": "提示体征", "contra_signs": "反证",
    "disease": "病种", "pathogenesis": "病机", "treatment_principle": "治法", "formulas": "方剂", "signs": "体征",
    "pinyin": "拼音", "latin": "拉丁名", "english": "英文名", "homonyms": "同名异物", "nature": "性",
    "flavour": "味", "meridians": "归经", "toxicity": "毒性", "pregnancy": "孕妇", "internal_use": "内服",
    "decoction_method": "煎法", "lactation": "哺乳期", "notes": "注意", "kind": "类别", "herbs_a": "甲方",
    "herbs_b": "乙方", "note": "说明", "reason": "理由", "category": "类别", "implies": "上位术语",
    "red_flag": "须先转诊", "external_treatment": "外治", "lifestyle": "调护", "typical_stage": "常见分期",
    "scheme_names": "各家证名", "all_of": "须同时具备", "none_of": "任一则不适用", "min_age": "最小年龄",
    "max_age": "最大年龄", "question": "问题", "factor": "系数", "value": "数值", "unit": "单位",
}

#: Fields shown first, in this order (a formula's composition beside its source's list; a herb's safety facts).
FIRST = [
    "origin", "herbs", "source_herbs", "source_omits", "source_note", "variant_of", "combines", "actions",
    "modifications", "toxicity", "pregnancy", "internal_use", "decoction_method", "lactation", "notes",
]
#: Fields shown last (names in other scripts and languages).
LAST = ["aliases", "synonyms", "homonyms", "pinyin", "latin", "english"]

#: Readable values of the coded fields.
VALUE_LABELS = {
    "toxicity": {"none": "无毒", "low": "小毒", "moderate": "有毒", "high": "大毒"},
    "pregnancy": {"none": "—", "caution": "慎用", "forbidden": "禁用"},
    "internal_use": {"decoction": "入煎剂", "pills_powders": "入丸散，不入煎剂", "none": "不内服（外用或炮制后用）"},
    "lactation": {"none": "—", "caution": "慎用", "avoid": "忌用"},
    "scope": {"treat": "可辨证论治", "refer": "须转诊"},
    "red_flag": {"True": "是", "False": "否"},
}
#: The schools a syndrome links its formulas with.
SCHEME_LABELS = {"textbook": "教材", "beijing": "京派", "guideline": "指南"}

STYLE = """
body{font-family:"Noto Sans CJK SC","Noto Sans SC","PingFang SC","Microsoft YaHei",system-ui,sans-serif;
font-size:14px;line-height:1.5;margin:16px;color:#1a1a1a}
nav{margin-bottom:8px;font-size:13px}nav a{margin-right:10px}
table{border-collapse:collapse;width:100%;table-layout:fixed}
th{position:sticky;top:0;background:#e8eef3;text-align:left;padding:6px;border:1px solid #b8c4cc}
td{vertical-align:top;padding:6px;border:1px solid #d4dbe0;overflow-wrap:anywhere}
tr:nth-child(even) td{background:#f7f9fa}
.name{font-weight:bold;font-size:15px}.id,.file{color:#667;font-size:12px}
dl{margin:0;display:grid;grid-template-columns:max-content 1fr;column-gap:10px;row-gap:2px}
dt{font-weight:bold;color:#345;white-space:nowrap}dd{margin:0}
ul{margin:0;padding-left:1.2em}.flag{color:#a00;font-weight:bold}
col.entry{width:13%}col.content{width:47%}col.source{width:20%}col.file{width:7%}col.users{width:13%}
"""


def render_index(counts: Mapping[str, int]) -> str:
    """The index page: one link per kind with its number of entries."""
    items = "".join(
        f'<li><a href="{kind}.html">{KIND_LABELS.get(kind, kind)}</a> {kind} ({count})</li>'
        for kind, count in counts.items()
    )
    return _page("derm3r 知识库审校表", f"<h1>derm3r 知识库审校表</h1><ul>{items}</ul>")


def render_kind(
    kind: str,
    rows: Sequence[ReviewEntry],
    names: Mapping[str, str],
    kind_of: Mapping[str, str],
    counts: Mapping[str, int],
) -> str:
    """One kind's table: entry (name, id), content, source, file and the entries that use it (linked)."""
    nav = " ".join(f'<a href="{other}.html">{KIND_LABELS.get(other, other)}</a>' for other in counts)
    head = (
        '<colgroup><col class="entry"><col class="content"><col class="source"><col class="file"><col class="users">'
        "</colgroup><tr><th>条目 entry</th><th>内容 content</th><th>出处 source</th><th>文件 file</th>"
        "<th>被引用 used by</th></tr>"
    )
    body = "".join(_row(entry, names, kind_of) for entry in rows)
    title = f"{KIND_LABELS.get(kind, kind)} {kind} ({len(rows)})"
    return _page(
        f"derm3r knowledge review: {kind}",
        f'<nav><a href="index.html">索引</a> | {nav}</nav><h1>{html.escape(title)}</h1><table>{head}{body}</table>',
    )


def _page(title: str, body: str) -> str:
    return (
        f'<!doctype html><html lang="zh"><meta charset="utf-8"><title>{html.escape(title)}</title>'
        f"<style>{STYLE}</style><body>{body}</body></html>\n"
    )


def _row(entry: ReviewEntry, names: Mapping[str, str], kind_of: Mapping[str, str]) -> str:
    users = "".join(
        f'<li><a href="{kind_of[user]}.html#{html.escape(user)}">{html.escape(names.get(user, user))}</a></li>'
        if user in kind_of
        else f"<li>{html.escape(user)}</li>"
        for user in entry.users
    )
    id_line = f'<div class="id">{html.escape(entry.id)}</div>' if entry.name else ""
    return (
        f'<tr id="{html.escape(entry.id)}"><td><div class="name">{html.escape(entry.name or entry.id)}</div>'
        f"{id_line}</td><td>{_fields(entry.fields, names)}</td>"
        f'<td>{html.escape(entry.source)}</td><td class="file">{html.escape(entry.file)}</td>'
        f"<td>{f'<ul>{users}</ul>' if users else '—'}</td></tr>"
    )


def _fields(fields: Mapping[str, Any], names: Mapping[str, str]) -> str:
    """A definition list: one labelled field a line; a herb's dose range as one field."""
    rank = {key: index for index, key in enumerate(FIRST)} | {key: 100 + index for index, key in enumerate(LAST)}
    shown = {key: fields[key] for key in sorted(fields, key=lambda key: rank.get(key, 50))}
    if shown.get("lactation") == "none":
        shown.pop("lactation")
    parts = []
    if "dose_min_g" in shown and "dose_max_g" in shown:
        low, high = shown.pop("dose_min_g"), shown.pop("dose_max_g")
        parts.append(("用量（成人日用）", "不内服" if high <= 0.01 else f"{_number(low)}–{_number(high)} g"))
    for key, value in shown.items():
        label = FIELD_LABELS.get(key, key)
        parts.append((label, _value(key, value, names)))
    return "<dl>" + "".join(f"<dt>{html.escape(label)}</dt><dd>{text}</dd>" for label, text in parts) + "</dl>"


def _value(key: str, value: Any, names: Mapping[str, str]) -> str:
    """One field's value as HTML: lists of herbs or rules one a line, codes as words, ids as names."""
    if isinstance(value, list):
        if value and all(isinstance(item, list) for item in value):  # all_of: every group, one term of each
            groups = ("（" + " 或 ".join(_name(term, names) for term in group) + "）" for group in value)
            return " <b>且</b> ".join(html.escape(group) for group in groups)
        if value and all(isinstance(item, dict) and "weight" in item for item in value):
            return "、".join(_item(item, names) for item in value)  # signs: a line, not a list
        if value and all(isinstance(item, dict) for item in value):
            return "<ul>" + "".join(f"<li>{_item(item, names)}</li>" for item in value) + "</ul>"
        return html.escape("、".join(_name(item, names) for item in value))
    if isinstance(value, dict):
        return html.escape("；".join(f"{k}：{_name(v, names)}" for k, v in value.items()))
    label = VALUE_LABELS.get(key, {}).get(str(value))
    if label is not None:
        flagged = key in ("toxicity", "pregnancy", "internal_use") and str(value) not in ("none", "decoction")
        return f'<span class="flag">{html.escape(label)}</span>' if flagged else html.escape(label)
    return html.escape(_name(value, names))


def _item(item: Mapping[str, Any], names: Mapping[str, str]) -> str:
    """A herb of a formula, a 加减 rule, an omitted herb, a weighted sign or a formula link, in words."""
    if "herb" in item and "dose_g" in item:
        text = f"{_name(item['herb'], names)} {_number(item['dose_g'])} g"
        extras = [item.get("role", "")]
        if item.get("source_dose_g"):
            extras.append(f"原方 {_number(item['source_dose_g'])} g")
        if item.get("replaces"):
            extras.append(f"代{item['replaces']}")
        if item.get("note"):
            extras.append(str(item["note"]))
        return html.escape("　".join([text, *(part for part in extras if part)]))
    if "when_any" in item:
        added = "、".join(f"{_name(c['herb'], names)} {_number(c['dose_g'])} g" for c in item.get("add", []))
        removed = "、".join(_name(h, names) for h in item.get("remove", []))
        changes = "；".join(part for part in (f"加 {added}" * bool(added), f"去 {removed}" * bool(removed)) if part)
        when = "、".join(_name(term, names) for term in item["when_any"])
        return f"<b>见 {html.escape(when)}</b>：{html.escape(changes)}。{html.escape(str(item.get('reason', '')))}"
    if "herb" in item and "reason" in item:
        return f"{html.escape(str(item['herb']))} — {html.escape(str(item['reason']))}"
    if "term" in item and "weight" in item:
        return html.escape(f"{_name(item['term'], names)} ×{_number(item['weight'])}")
    if "formula" in item:
        scheme = str(item.get("scheme", ""))
        return html.escape(f"{_name(item['formula'], names)}（{SCHEME_LABELS.get(scheme, scheme)}）")
    return html.escape(" ".join(f"{k}={_name(v, names)}" for k, v in item.items() if v not in ("", [], None)))


def _name(value: Any, names: Mapping[str, str]) -> str:
    if isinstance(value, list):
        return "、".join(_name(item, names) for item in value)
    text = str(value)
    return names.get(text, text)


def _number(value: Any) -> str:
    """15.0 → 15, 0.5 → 0.5."""
    number = float(value)
    return str(int(number)) if number.is_integer() else f"{number:g}"
