"""Validated models for the entries of the knowledge base (knowledge/*.yaml)."""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

HerbRole = Literal["君", "臣", "佐", "使"]
TermCategory = Literal[
    "morphology",
    "color",
    "scale",
    "border",
    "shape",
    "distribution",
    "site",
    "itch",
    "course",
    "stage",
    "symptom",
    "tongue_body",
    "tongue_coat",
    "pulse",
    "red_flag",
    "disease_name",
]
SignGroup = Literal["lesion", "systemic", "tongue", "pulse", "course", "age"]


_CJK_GAP = re.compile(r"(?<=[\u3000-\u9fff\uff00-\uffef])\s+(?=[\u3000-\u9fff\uff00-\uffef])")


def _join_cjk_lines(text: str) -> str:
    """YAML folding turns line breaks into spaces; Chinese prose has none between characters."""
    return _CJK_GAP.sub("", text)


class _Entry(BaseModel):
    """Fields every knowledge entry carries: a stable id and where the fact comes from."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z_]+(\.[a-z0-9_]+)+$", description="Stable dotted id.")
    source: str = Field(min_length=2, description="Textbook, guideline or standard the entry rests on.")


class LexiconTerm(_Entry):
    """One clinical descriptor with the ways clinicians and patients write it."""

    category: TermCategory
    label: str = Field(description="Canonical Chinese label shown in reports.")
    english: str = ""
    synonyms: list[str] = Field(default_factory=list, description="Surface forms matched in text.")
    implies: list[str] = Field(
        default_factory=list, description="Broader term ids this term also counts as (e.g. 苔黄腻 → 苔黄)."
    )
    composed_of: list[list[str]] = Field(
        default_factory=list,
        description="Term-id sets that state this term when all are asserted in one sentence "
        "(成簇 + 水疱 → 簇集性水疱, however many words stand between them).",
    )
    context_only: list[str] = Field(
        default_factory=list,
        description="Synonyms that state this term only in its context — a field in context_fields or a clause "
        "holding one of context_words — because alone they also name something else (瘀斑 on the skin is purpura).",
    )
    context_fields: list[str] = Field(default_factory=list, description="Case fields that are this term's context.")
    context_words: list[str] = Field(default_factory=list, description="Words that make a clause its context (舌).")


class WeightedSign(BaseModel):
    """A lexicon term with how strongly it points to (or away from) a syndrome."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    term: str
    weight: float = Field(gt=0, le=5, description="1 common, 2 suggestive, 3 characteristic, 4-5 decisive.")
    group: SignGroup = "lesion"


class FormulaLink(BaseModel):
    """A formula that treats a syndrome, tagged with the school that uses it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    formula: str
    scheme: Literal["textbook", "beijing", "guideline"] = "textbook"


class Disease(_Entry):
    """A skin disease in TCM and Western naming."""

    name: str
    western: str
    synonyms: list[str] = Field(default_factory=list)
    scope: Literal["treat", "refer"] = "treat"
    syndromes: list[str] = Field(default_factory=list)
    indicative_signs: list[WeightedSign] = Field(
        default_factory=list,
        description="The disease's weighted profile (morphology, colour, distribution, site, course, symptoms, age);"
        " its names are strong signs among them.",
    )
    contra_signs: list[WeightedSign] = Field(
        default_factory=list, description="Signs that speak against this disease (evidence against it)."
    )
    summary: str = ""
    referral_advice: str = ""

    @field_validator("summary")
    @classmethod
    def _tidy_prose(cls, value: str) -> str:
        return _join_cjk_lines(value)


class Syndrome(_Entry):
    """A TCM syndrome (证型) of one disease, with the evidence that identifies it."""

    name: str
    aliases: list[str] = Field(default_factory=list)
    disease: str
    scheme_names: dict[str, str] = Field(
        default_factory=dict, description="Name of this syndrome in other schools, e.g. beijing: 血热证."
    )
    pathogenesis: str
    treatment_principle: str
    formulas: list[FormulaLink] = Field(min_length=1)
    signs: list[WeightedSign] = Field(min_length=3)
    contra_signs: list[WeightedSign] = Field(default_factory=list)
    typical_stage: Literal["进行期", "静止期", "退行期", ""] = ""
    red_flag: bool = Field(default=False, description="Presentations of this syndrome need referral first.")
    external_treatment: list[str] = Field(default_factory=list)
    lifestyle: list[str] = Field(default_factory=list)

    @field_validator("pathogenesis", "treatment_principle")
    @classmethod
    def _tidy_prose(cls, value: str) -> str:
        return _join_cjk_lines(value)


class FormulaHerb(BaseModel):
    """One herb of a formula with its usual dose and role."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    herb: str
    dose_g: float = Field(gt=0, le=250)
    role: HerbRole
    note: str = ""
    replaces: str = Field(
        default="", description="The source's herb this one stands in for (犀角 → 水牛角, 麝香 → 白芷, 人参 → 党参)."
    )
    source_dose_g: float | None = Field(
        default=None, gt=0, le=500, description="The dose the cited source gives, where it is not dose_g."
    )


class OmittedHerb(BaseModel):
    """A herb of the source's list the entry leaves out, and why (穿山甲: no longer a medicine)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    herb: str = Field(description="The herb's name as the source gives it.")
    reason: str = Field(min_length=2)


class HerbChange(BaseModel):
    """A herb added by a modification rule."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    herb: str
    dose_g: float = Field(gt=0, le=250)
    note: str = ""


class ModificationRule(BaseModel):
    """加减: when any of the trigger terms is present, add or remove herbs."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    when_any: list[str] = Field(min_length=1, description="Lexicon term ids that trigger the rule.")
    add: list[HerbChange] = Field(default_factory=list)
    remove: list[str] = Field(default_factory=list)
    reason: str


class Formula(_Entry):
    """A formula (方剂) with its composition and modification rules."""

    name: str
    aliases: list[str] = Field(default_factory=list)
    origin: str = Field(description="Classical text or modern author the formula comes from.")
    actions: str = ""
    herbs: list[FormulaHerb] = Field(min_length=1)
    modifications: list[ModificationRule] = Field(default_factory=list)
    source_herbs: list[str] = Field(
        default_factory=list,
        description="The herbs exactly as the cited source lists them (names); derm3r kb check compares them.",
    )
    source_omits: list[OmittedHerb] = Field(
        default_factory=list,
        description="Herbs of source_herbs the entry leaves out on purpose, each with its reason.",
    )
    source_note: str = Field(
        default="",
        description=(
            "How source_herbs was checked: against which copy or report, or that it could not be checked "
            "against the cited text (shown on the review sheet for the reviewer)."
        ),
    )
    variant_of: str = Field(
        default="", description="The base formula this school's or disease's variant adapts; it needs its own source."
    )
    combines: list[str] = Field(
        default_factory=list,
        description=(
            "The formulas a 合方 joins (消风散合四物汤: 消风散, 四物汤). Without a source list of its own, every herb "
            "must come from one of theirs; derm3r kb check names any herb added beyond them."
        ),
    )


class Herb(_Entry):
    """A materia medica entry with the facts the safety check needs."""

    name: str
    pinyin: str
    latin: str = ""
    english: list[str] = Field(
        default_factory=list,
        description=(
            "Common English names a patient may write (lower case): 'allergic to liquorice' names 甘草. "
            "One name may stand for every herb of one plant or genus (peony: 赤芍, 白芍, 牡丹皮)."
        ),
    )
    aliases: list[str] = Field(default_factory=list)
    homonyms: list[str] = Field(
        default_factory=list,
        description=(
            "Names that mean this drug in some usage and another drug elsewhere (草河车: 重楼 or 拳参; 芍药: 赤芍 or "
            "白芍). Never resolved to a herb; a plan that writes one is told which drugs it may mean."
        ),
    )
    nature: str = ""
    flavour: str = ""
    meridians: list[str] = Field(default_factory=list)
    dose_min_g: float = Field(ge=0)
    dose_max_g: float = Field(gt=0)
    toxicity: Literal["none", "low", "moderate", "high"] = "none"
    pregnancy: Literal["none", "caution", "forbidden"] = "none"
    internal_use: Literal["decoction", "pills_powders", "none"] = Field(
        default="decoction",
        description=(
            "How the herb may be taken by mouth: in a decoction (煎服), only in pills or powders "
            "(入丸散，不入煎剂), or not at all (外用 only, or a raw form used internally only after processing)."
        ),
    )
    decoction_method: Literal["", "先煎", "后下", "包煎", "另煎", "烊化", "冲服"] = Field(
        default="", description="Special decoction instruction of the Pharmacopoeia's 用法 (先煎, 后下 …)."
    )
    lactation: Literal["none", "caution", "avoid"] = Field(
        default="none", description="Use while breastfeeding, where a source states it (哺乳期慎用/不宜)."
    )
    lactation_source: str = Field(default="", description="Where the lactation statement comes from.")
    notes: str = ""

    @field_validator("dose_max_g")
    @classmethod
    def _max_not_below_min(cls, value: float, info: object) -> float:
        data = getattr(info, "data", {})
        if "dose_min_g" in data and value < data["dose_min_g"]:
            raise ValueError("dose_max_g is below dose_min_g")
        return value


class IncompatibilityRule(_Entry):
    """A pair (or group) of herbs that must not be prescribed together (十八反/十九畏)."""

    kind: Literal["十八反", "十九畏"]
    herbs_a: list[str] = Field(min_length=1)
    herbs_b: list[str] = Field(min_length=1)
    note: str = ""


class DoseRule(_Entry):
    """An age- or condition-specific dosing rule."""

    kind: Literal["child_scaling", "elderly_scaling"]
    max_age: int | None = None
    min_age: int | None = None
    factor: float = Field(gt=0, le=1)
    note: str = ""
