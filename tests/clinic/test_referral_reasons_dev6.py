"""Referral reasons that dev1-dev5 lacked (clinical-dev6, issue 13), read from knowledge/rules by the safety check.

Right answers, from the sources the rules cite (knowledge/rules/red_flags.yaml, red_flag_signs.yaml, session 8):
- Purpura with abdominal pain, blood in the urine or black stools is IgA vasculitis with gut or kidney involvement
  (《儿童过敏性紫癜循证诊治建议》2013): referred; purpura alone is left to the other rules (fever, spreading).
- Copper-red or red-brown spots on the palms or soles, or a painless genital sore, suggest syphilis (《梅毒、淋病和
  生殖道沙眼衣原体感染诊疗指南（2020年）》; BASHH 2015): referred for serology.
- A skin patch with definite loss of sensation, or a thickened peripheral nerve, is a cardinal sign of leprosy
  (WHO 2018): referred; a patch whose sensation is normal (白驳风) is not.
- A change of one nipple at 50 or over, or one nipple changed and retracted, goes to a breast clinic (NICE NG12 1.3);
  both nipples of a young breastfeeding mother with eczema do not.
- A genital or groin lesion of years that treatment has not helped, at 50 or over, is biopsied (extramammary Paget
  disease, 《皮肤性病学》第8版).
- Weight loss with night sweats (B symptoms, NICE NG12; EORTC MF 2017) is referred; TCM 盗汗 alone is not.
- Zoster with urinary retention (sacral nerves) and a stiff neck with vomiting (meningism) are referred
  (《带状疱疹中国专家共识》2018; NICE NG240); zoster with normal voiding is not.
- A lump that keeps growing and bleeds is biopsied (NICE NG12 SCC; NICE NG14 amelanotic melanoma); a wart that bleeds
  only when pared is not.
"""

from __future__ import annotations

from derm3r.safety.check import run_safety_check
from derm3r.schemas.case import Case, Patient
from derm3r.schemas.findings import LesionRepresentation
from derm3r.schemas.plan import Assessment, FormulaRef, HerbDose, TreatmentPlan

PLAN = TreatmentPlan(formula=FormulaRef(name="消风散加减"), herbs=[HerbDose(name="荆芥", dose_g=10)])


def _flags(kb, *, age: float = 40, sex: str = "F", **fields: str) -> list[str]:  # type: ignore[no-untyped-def]
    case = Case(case_id="dev6", patient=Patient(sex=sex, age=age), **fields)
    _, report = run_safety_check(kb, case, LesionRepresentation(summary=""), Assessment(), PLAN, 0.35)
    return report.red_flags


PURPURA = "双下肢对称紫红色瘀点，压之不褪色"


def test_purpura_with_abdominal_pain_or_blood_in_urine_or_stool_is_referred(kb) -> None:  # type: ignore[no-untyped-def]
    assert _flags(kb, age=7, lesion_description=PURPURA, symptoms="肚子一阵阵地疼")
    assert _flags(kb, age=7, lesion_description=PURPURA, history="今天小便像洗肉水一样")
    assert _flags(kb, lesion_description="腿上好多紫點，按壓不退色", symptoms="大便發黑像柏油")  # traditional
    assert _flags(kb, lesion_description="purple spots on both shins that don't fade under a glass",
                  symptoms="tummy ache and blood in the urine")
    assert not any("IgA" in flag for flag in _flags(kb, lesion_description=PURPURA, symptoms="无腹痛，二便正常"))
    assert not any("IgA" in flag for flag in _flags(kb, lesion_description=PURPURA, history="母亲有腹痛"))


def test_copper_palms_or_a_painless_genital_sore_is_referred_as_possible_syphilis(kb) -> None:  # type: ignore[no-untyped-def]
    assert _flags(kb, sex="M", lesion_description="两手心和脚心有些铜红色的斑，上面有一圈薄皮")
    assert _flags(kb, sex="M", lesion_description="Red-brown spots on his palms, none on the trunk.")
    assert _flags(kb, sex="M", lesion_description="龟头上一个硬硬的溃疡，不痛")
    pityriasis = "躯干椭圆形淡红斑，长轴与肋骨平行，上覆糠状鳞屑；手掌脚底没有皮疹。"
    assert _flags(kb, lesion_description=pityriasis) == []


def test_an_anaesthetic_patch_or_a_thick_nerve_is_referred_as_possible_leprosy(kb) -> None:  # type: ignore[no-untyped-def]
    # 感觉消失 is read as a sign that has gone (消失, derm3r/text resolution words): 丧失 and 减退 are said too.
    assert _flags(kb, sex="M", lesion_description="前臂一块淡红色斑，用针扎痛觉丧失")
    assert _flags(kb, sex="M", lesion_description="腿上一块白斑，斑上感觉减退")
    assert _flags(kb, sex="M", history="查体：左侧腓总神经粗大")
    assert _flags(kb, sex="M", lesion_description="A pale patch on the thigh with loss of sensation to a pin.")
    vitiligo = "手背乳白色斑，边界清楚，感觉正常，出汗正常"
    assert _flags(kb, lesion_description=vitiligo) == []


def test_one_nipple_changed_at_fifty_or_retracted_goes_to_a_breast_clinic(kb) -> None:  # type: ignore[no-untyped-def]
    assert _flags(kb, age=62, lesion_description="左侧乳头发红脱屑、结痂，一年不好")
    assert _flags(kb, age=38, lesion_description="The right nipple is red and crusted and has become inverted.")
    young_mother = "哺乳期，双侧乳头乳晕潮红、渗液、瘙痒，乳头无内陷"
    assert _flags(kb, age=28, lesion_description=young_mother) == []
    assert _flags(kb, age=36, lesion_description="右侧乳头周围小丘疹，痒") == []


def test_a_genital_lesion_of_years_that_treatment_has_not_helped_is_biopsied_at_fifty(kb) -> None:  # type: ignore[no-untyped-def]
    lesion = "外阴一块红斑糜烂五年"
    assert _flags(kb, age=68, lesion_description=lesion, history="用过多种湿疹药膏都不管用")
    assert _flags(kb, age=68, lesion_description=lesion, history="外用药膏后好转") == []
    assert _flags(kb, age=35, lesion_description=lesion, history="用过多种湿疹药膏都不管用") == []


def test_weight_loss_with_night_sweats_is_referred_but_tcm_night_sweating_alone_is_not(kb) -> None:  # type: ignore[no-untyped-def]
    patches = "躯干多片暗红色斑片，上覆细薄鳞屑"
    assert _flags(kb, lesion_description=patches, symptoms="半年瘦了8公斤，夜里出汗湿透衣服")
    assert _flags(kb, lesion_description=patches, symptoms="Night sweats and has lost 6 kg.")
    assert _flags(kb, lesion_description=patches, symptoms="盗汗，五心烦热，口干") == []


def test_zoster_with_urinary_retention_or_meningism_is_referred(kb) -> None:  # type: ignore[no-untyped-def]
    sacral = "左侧臀部骶尾部成簇水疱，带状分布"
    assert _flags(kb, age=70, lesion_description=sacral, symptoms="两天来小便解不出，小腹胀")
    assert _flags(kb, age=70, lesion_description=sacral, symptoms="He cannot pass urine since yesterday.")
    assert _flags(kb, age=70, lesion_description=sacral, symptoms="灼痛，大小便正常") == []
    neck = "右侧颈部成簇水疱"
    assert _flags(kb, age=70, lesion_description=neck, symptoms="头痛剧烈，脖子发硬，吐了三次")
    assert _flags(kb, age=70, lesion_description=neck, symptoms="头痛，无颈项强直，无呕吐") == []


def test_a_growing_lump_that_bleeds_is_biopsied_but_a_pared_wart_is_not(kb) -> None:  # type: ignore[no-untyped-def]
    assert _flags(kb, age=70, lesion_description="鼻旁一个肉色疙瘩，三个月越长越大，表面一碰就出血")
    assert _flags(kb, age=70, lesion_description="A lump on the ear that has doubled in size and bleeds.")
    wart = "足底黄豆大角化丘疹，表面粗糙，修脚时削破出血"
    assert _flags(kb, age=30, lesion_description=wart) == []
    eczema = "小腿丘疹越来越多，抓破后出血结痂"
    assert _flags(kb, age=30, lesion_description=eczema) == []
