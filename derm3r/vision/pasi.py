"""PASI erythema and desquamation sub-scores of a close-up plaque, from its offsets against the skin."""

from __future__ import annotations

import numpy as np

from derm3r.vision.models import ImageQuality, LesionImageFindings

#: Scale counts towards the desquamation score only above this coverage (as for "scale present").
SCALE_PRESENT_COVERAGE = 0.03


def with_pasi(
    f: LesionImageFindings,
    d_l: float,
    d_a: float,
    coverage: float,
    scale_alpha: float,
    quality: ImageQuality,
    skin_l: float,
) -> LesionImageFindings:
    """Add PASI erythema and desquamation sub-scores (0-4) with an uncertainty.

    Args:
        f: the plaque findings of a close-up.
        d_l: tone-normalised ΔL* of the plaque against the skin.
        d_a: tone-normalised Δa*.
        coverage: share of the plaque interior read as scale.
        scale_alpha: mean opacity of that scale (0-1).
        quality: the photo's quality (a poorer photo widens the uncertainty).
        skin_l: L* of the surrounding skin (dark skin widens the erythema uncertainty).

    Returns:
        The findings with the sub-scores set.
    """
    # Darkening counts towards severity: dusky and violaceous plaques score as marked erythema.
    redness = d_a + 0.6 * max(0.0, -d_l)
    ery = float(np.clip((redness - 3.0) / 6.5, 0.0, 4.0))
    scl = (
        float(np.clip(coverage * max(scale_alpha, 0.5) * 7.0, 0.0, 4.0))
        if coverage >= SCALE_PRESENT_COVERAGE
        else 0.0
    )
    base_unc = 0.5 + (1.0 - quality.score)
    ery_unc = base_unc + (0.5 if skin_l < 45.0 else 0.0)
    return f.model_copy(
        update={
            "pasi_erythema": round(ery * 2) / 2,
            "pasi_erythema_uncertainty": round(ery_unc, 2),
            "pasi_scale": round(scl * 2) / 2,
            "pasi_scale_uncertainty": round(base_unc, 2),
        }
    )
