"""How skin tone changes the look of erythema: the one colour model shared by analysis and tests.

Melanin absorbs across the visible range, so on darker skin the same inflammation raises a* less
than on light skin, and a lesion cannot darken as far in L* because the skin is already dark.
Lesion colour offsets are therefore compared after dividing by these damping factors, which depend
only on the lightness of the surrounding skin. The factors are a simple first-order model chosen for
this project, not a published calibration; real photographs should be used to refit them.
"""

from __future__ import annotations

import numpy as np

# L* of the lightest and darkest reference skin the model is anchored to.
LIGHT_SKIN_L = 74.0
DARK_SKIN_L = 29.0


def chroma_damping(skin_l: float) -> float:
    """Factor (0.7-1) by which lesion a*/b* offsets shrink on skin of lightness ``skin_l``."""
    return float(np.clip(1.0 - 0.3 * (LIGHT_SKIN_L - skin_l) / (LIGHT_SKIN_L - DARK_SKIN_L), 0.7, 1.0))


def lightness_damping(skin_l: float) -> float:
    """Factor (0.3-1) by which lesion L* offsets shrink on skin of lightness ``skin_l``."""
    return float(np.clip((skin_l - 8.0) / (LIGHT_SKIN_L - 8.0), 0.3, 1.0))
