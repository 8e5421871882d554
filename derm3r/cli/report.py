"""Render a Consultation as a readable Chinese report in the terminal."""

from __future__ import annotations

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from derm3r.schemas.consultation import Consultation


def render_consultation(consultation: Consultation, console: Console) -> None:
    """Print the findings, representation, differentiation, plan and safety sections.

    Args:
        consultation: The result to show.
        console: Where to print.
    """
    console.print(Panel(Text(f"病例 {consultation.case_id}　引擎 {consultation.engine}", style="bold"), expand=False))
    _findings(consultation, console)
    rep = consultation.representation
    lines = [f"皮损综合：{rep.summary}", f"分期：{rep.stage}　严重度：{rep.severity}"]
    if rep.pathogenesis:
        lines.append(f"皮损病机：{rep.pathogenesis}")
    if rep.change_since_last_visit:
        lines.append(f"病情变化：{rep.change_since_last_visit}")
    lines += [f"图像未采用：{item}" for item in rep.images_excluded]
    lines += [f"来源不一致：{item}" for item in rep.conflicts]
    console.print(Panel("\n".join(lines), title="DERM-Rep 皮损表征", title_align="left"))
    _assessment(consultation, console)
    _plan(consultation, console)
    _safety(consultation, console)


def _findings(consultation: Consultation, console: Console) -> None:
    table = Table(title="DERM-Rec 皮损识别", title_justify="left", show_lines=False)
    table.add_column("来源")
    table.add_column("所见")
    table.add_column("质量")
    for finding in consultation.findings:
        quality = ""
        if finding.quality is not None:
            verdict = "可用" if finding.quality.usable else "不可用"
            quality = f"{verdict} {finding.quality.quality_score:.2f} {'；'.join(finding.quality.reasons)}"
        negated = "；否认：" + "、".join(s.label for s in finding.negated) if finding.negated else ""
        table.add_row(finding.source, (finding.description or "—") + negated, quality)
    console.print(table)


def _assessment(consultation: Consultation, console: Console) -> None:
    assessment = consultation.assessment
    lines = [f"诊断：{assessment.disease or '未明'} {assessment.disease_western}".rstrip()]
    if assessment.syndrome is not None:
        syndrome = assessment.syndrome
        evidence = "、".join(("" if e.supports else "−") + e.label for e in syndrome.evidence)
        lines.append(f"证型：{syndrome.name}（置信度 {syndrome.confidence:.2f}；依据：{evidence or '无'}）")
    if assessment.secondary_syndrome is not None:
        lines.append(f"兼证：{assessment.secondary_syndrome.name}")
    for call in assessment.differential:
        evidence = "、".join(("" if e.supports else "−") + e.label for e in call.evidence) or "无"
        lines.append(f"　鉴别：{call.name} {call.confidence:.2f}（{evidence}）")
    if assessment.pathogenesis:
        lines.append(f"病机：{assessment.pathogenesis}")
    if assessment.treatment_principle:
        lines.append(f"治法：{assessment.treatment_principle}")
    console.print(Panel("\n".join(lines), title="DERM-Reason 辨证", title_align="left"))


def _plan(consultation: Consultation, console: Console) -> None:
    plan = consultation.plan
    if plan.formula is None:
        if plan.notes:
            console.print(Panel("\n".join(plan.notes + plan.lifestyle), title="处方", title_align="left"))
        return
    herbs = "　".join(
        f"{h.name}{h.dose_g:g}g" + (f"({h.role})" if h.role else "") + (f"[{h.note}]" if h.note else "")
        for h in plan.herbs
    )
    parts: list[str] = [f"方剂：{plan.formula.name}（{plan.formula.origin}）", f"药物：{herbs}"]
    for modification in plan.modifications:
        added = "、".join(f"{h.name}{h.dose_g:g}g" for h in modification.add)
        removed = "、".join(modification.remove)
        change = "；".join(x for x in (f"加{added}" if added else "", f"去{removed}" if removed else "") if x)
        parts.append(f"加减：{'、'.join(modification.trigger)} → {change}（{modification.reason}）")
    parts += [f"外治：{item}" for item in plan.external_treatment]
    parts += [f"调护：{item}" for item in plan.lifestyle]
    parts += [f"说明：{note}" for note in plan.notes]
    if plan.follow_up:
        parts.append(f"随访：{plan.follow_up}")
    console.print(Panel(Group(*[Text(p) for p in parts]), title="治疗方案", title_align="left"))


def _safety(consultation: Consultation, console: Console) -> None:
    safety = consultation.safety
    lines = []
    if safety.abstained:
        lines.append(f"[bold red]未出具处方[/]：{safety.reason}")
    lines += [f"[red]危重征象[/]：{flag}" for flag in safety.red_flags]
    if safety.referral:
        lines.append(f"转诊建议：{safety.referral}")
    lines += [f"待补充：{question}" for question in safety.questions]
    for warning in safety.warnings:
        style = {"blocking": "red", "warning": "yellow", "info": "cyan"}[warning.severity]
        action = f" → {warning.action}" if warning.action else ""
        lines.append(f"[{style}]{warning.severity}[/] {warning.message}{action}")
    console.print(Panel("\n".join(lines) or "未发现安全问题", title="安全核查", title_align="left"))
