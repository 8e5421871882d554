"""What an image analysis measured, as the Consultation carries it (``findings[].measurements``).

Confidences: area and count are as good as the photo (its quality score); the erythema index and the
colour class carry the colour classifier's confidence; a PASI sub-score's confidence falls with its
uncertainty u (in PASI points) as ``1 - u / 2``, so ±2 points (half the 0-4 scale) means no confidence.
Induration (plaque thickness) cannot be read from a single photograph and is reported as not measured.
"""

from __future__ import annotations

from derm3r.schemas.findings import ImageMeasurements, LesionOutline, Measurement
from derm3r.vision.models import ImageAnalysis, LesionImageFindings, TongueImageFindings

#: Prefix of the note of a lesion type below the reporting threshold.
UNCERTAIN_NOTE = "uncertain: the clinician's description decides; "


def _pasi_confidence(uncertainty: float | None) -> float | None:
    if uncertainty is None:
        return None
    return round(max(0.0, min(1.0, 1.0 - uncertainty / 2.0)), 3)


def _lesion_items(lesions: LesionImageFindings, quality: float, view: str) -> list[Measurement]:
    items = [
        Measurement(name="area_percent", value=round(lesions.area_fraction * 100, 2), unit="%", confidence=quality,
                    note="lesion pixels over all pixels of the photo"),
        Measurement(name="lesion_count", value=lesions.lesion_count, confidence=quality,
                    note="connected lesion areas"),
    ]
    items += [
        Measurement(name="lesion_types", value=kind.label, confidence=kind.confidence,
                    note=(UNCERTAIN_NOTE if kind.uncertain else "") + kind.evidence)
        for kind in lesions.lesion_types
    ]
    if not lesions.lesion_found or lesions.color_class is None:
        return items
    items += [
        Measurement(name="erythema_index", value=lesions.delta_a, unit="Δa*", confidence=lesions.color_confidence,
                    note="CIELAB a* of the lesion minus the surrounding skin"),
        Measurement(name="lesion_color", value=lesions.color_class, confidence=lesions.color_confidence),
        Measurement(name="scale_coverage", value=round(lesions.scale_coverage * 100, 1), unit="%",
                    confidence=quality, note=f"scale {lesions.scale_thickness}"),
    ]
    if lesions.border_compactness is not None:
        items.append(Measurement(name="border_compactness", value=lesions.border_compactness, confidence=quality,
                                 note="perimeter²/(4π·area); 1 for a disc"))
    if view == "closeup":
        items += [
            Measurement(name="pasi_erythema", value=lesions.pasi_erythema, unit="PASI 0-4",
                        confidence=_pasi_confidence(lesions.pasi_erythema_uncertainty),
                        note=f"± {lesions.pasi_erythema_uncertainty}"),
            Measurement(name="pasi_induration", value=None, unit="PASI 0-4", confidence=None,
                        note="plaque thickness is not measurable from one photograph; palpate"),
            Measurement(name="pasi_scale", value=lesions.pasi_scale, unit="PASI 0-4",
                        confidence=_pasi_confidence(lesions.pasi_scale_uncertainty),
                        note=f"± {lesions.pasi_scale_uncertainty}"),
        ]
    return items


def _tongue_items(tongue: TongueImageFindings) -> list[Measurement]:
    confidence = tongue.confidence
    uncalibrated = "index not yet fitted on labelled photos"
    return [
        Measurement(name="tongue_body", value=tongue.body_color, confidence=tongue.body_confidence,
                    note="fitted on TonguExpert calibration photos"),
        Measurement(name="coat_color", value=tongue.coat_color, confidence=tongue.coat_confidence or None,
                    note="" if tongue.coat_color else "no coating found"),
        Measurement(name="coat_thickness", value=tongue.coat_thickness, confidence=confidence),
        Measurement(name="coat_greasy", value="腻" if tongue.coat_greasy else "不腻", confidence=confidence),
        Measurement(name="coat_coverage", value=round(tongue.coat_coverage * 100, 1), unit="%",
                    confidence=confidence),
        Measurement(name="tongue_fissures", value="裂纹" if tongue.fissured else "无裂纹",
                    confidence=tongue.fissure_confidence, note=f"index {tongue.fissure_index:g}; {uncalibrated}"),
        Measurement(name="tongue_tooth_marks", value="齿痕" if tongue.tooth_marked else "无齿痕",
                    confidence=tongue.tooth_mark_confidence, note=f"index {tongue.tooth_mark_index:g}; {uncalibrated}"),
        Measurement(name="coat_peeled", value="剥苔" if tongue.peeled else "未见剥苔",
                    confidence=tongue.peeled_confidence, note=f"bare share {tongue.peeled_share:g}; {uncalibrated}"),
    ]


def _scaled(outline: LesionOutline, sx: float, sy: float, size: tuple[int, int]) -> LesionOutline:
    x0, y0, x1, y1 = outline.bbox
    return LesionOutline(
        bbox=(int(x0 * sx), int(y0 * sy), min(size[0], round(x1 * sx)), min(size[1], round(y1 * sy))),
        polygon=[(min(size[0], round(x * sx)), min(size[1], round(y * sy))) for x, y in outline.polygon],
        area_fraction=outline.area_fraction,
    )


def measurements_from_analysis(analysis: ImageAnalysis) -> ImageMeasurements | None:
    """The measurements of one analysed image, outlines in the upright original photo's pixels.

    Args:
        analysis: The image analysis.

    Returns:
        The measurements, or None when the image was not analysed.
    """
    if not analysis.analyzed:
        return None
    size = analysis.image.original_size
    if analysis.tongue is not None:
        return ImageMeasurements(image_size=size, items=_tongue_items(analysis.tongue))
    if analysis.lesions is None:
        return None
    working = analysis.image.working_size
    sx, sy = size[0] / max(working[0], 1), size[1] / max(working[1], 1)
    return ImageMeasurements(
        image_size=size,
        items=_lesion_items(analysis.lesions, round(analysis.quality.score, 3), analysis.view),
        outlines=[_scaled(outline, sx, sy, size) for outline in analysis.lesions.outlines],
    )


def describe_measurement(item: Measurement, lang: str = "zh") -> str:
    """One measurement as a reader sees it: name, value with unit, confidence.

    Args:
        item: The measurement.
        lang: ``zh`` or ``en``.

    Returns:
        E.g. ``PASI 红斑 3.5 (PASI 0-4, ± 0.5; 置信度 0.75)``; ``未测`` with the reason when there is no value.
    """
    from derm3r.i18n import t

    name = t(f"measure.{item.name}", lang)
    colon, open_, close = ("：", "（", "）") if lang == "zh" else (": ", " (", ")")
    if item.value is None:
        # The reason in the reader's language when the table has it (the record keeps the English note).
        why = t(f"measure.{item.name}_unmeasured", lang)
        reason = item.note if why == f"measure.{item.name}_unmeasured" else why
        return f"{name}{colon}{t('report.not_measured', lang)}{open_}{reason}{close}" if reason else name
    value = f"{item.value:g}" if isinstance(item.value, float) else str(item.value)
    unit = "" if not item.unit else (item.unit if item.unit == "%" else f" {item.unit}")
    extras = [item.note] if item.note.startswith("±") else []
    if item.note.startswith(UNCERTAIN_NOTE):
        extras.append(t("measure.uncertain", lang))
    if item.confidence is not None:
        extras.append(f"{t('report.confidence', lang)} {item.confidence:.2f}")
    joined = ("；" if lang == "zh" else "; ").join(extras)
    return f"{name}{colon}{value}{unit}" + (f"{open_}{joined}{close}" if extras else "")


def describe_measurements(measurements: ImageMeasurements, lang: str = "zh") -> list[str]:
    """Every measurement of one image, and how many outlines it carries, one line each.

    Args:
        measurements: The image's measurements.
        lang: ``zh`` or ``en``.

    Returns:
        Lines of text.
    """
    from derm3r.i18n import t

    lines = [describe_measurement(item, lang) for item in measurements.items]
    if measurements.outlines:
        lines.append(t("measure.outlines", lang, count=len(measurements.outlines)))
    return lines
