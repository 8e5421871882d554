"""Tongue colour classes fitted on the calibration half of the TonguExpert photographs.

``data/tongue_calibration.json`` holds, per attribute, the class means and the pooled inverse
covariance of a linear discriminant fitted by ``data/photos/fit_tongue.py`` on the calibration
half only. Body colour: TonguExpert's manual labels light / regular / dark are read as 淡白 / 淡红 /
红; 绛 and 紫暗 are project reference points (no labelled photographs of them were available) scored
with the same covariance. Coat colour: white / light-yellow + yellow as 白 / 黄 on b* alone (a one-dimensional cut
extrapolates sanely to coats far from the fitted ones); 灰黑 is a rule
(dark, achromatic coat), also unlabelled.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources

import numpy as np

#: A grey-black coat: pixels darker than this L* with chroma below GREY_COAT_CHROMA over at least
#: GREY_COAT_SHARE of the tongue's interior (project rule).
GREY_COAT_L = 45.0
GREY_COAT_CHROMA = 8.0
GREY_COAT_SHARE = 0.25


@dataclass(frozen=True)
class Discriminant:
    """Class means and pooled inverse covariance of one linear discriminant."""

    classes: tuple[str, ...]
    means: np.ndarray
    inv_cov: np.ndarray
    features: tuple[int, ...] = (0, 1, 2)

    def classify(self, feature: np.ndarray) -> tuple[str, float]:
        """Nearest class by Mahalanobis distance, with its posterior probability as confidence."""
        diff = self.means - np.asarray(feature, dtype=np.float64)[list(self.features)][None, :]
        d2 = np.einsum("ij,jk,ik->i", diff, self.inv_cov, diff)
        logits = -0.5 * (d2 - d2.min())
        post = np.exp(logits) / np.exp(logits).sum()
        k = int(np.argmax(post))
        return self.classes[k], float(post[k])


@dataclass(frozen=True)
class TongueCalibration:
    """Both discriminants and where they came from."""

    body: Discriminant
    coat: Discriminant
    source: str


def _discriminant(block: dict[str, object]) -> Discriminant:
    classes = tuple(str(c) for c in block["classes"])  # type: ignore[attr-defined]
    return Discriminant(
        classes=classes,
        means=np.asarray(block["means"], dtype=np.float64),
        inv_cov=np.atleast_2d(np.asarray(block["inv_cov"], dtype=np.float64)),
        features=tuple(int(i) for i in block["features"]),  # type: ignore[attr-defined]
    )


@cache
def load_calibration() -> TongueCalibration:
    """The packaged calibration (read once)."""
    text = resources.files("derm3r.vision").joinpath("data/tongue_calibration.json").read_text("utf-8")
    raw = json.loads(text)
    body = _discriminant(raw["body"])
    extra = raw["body"]["reference_points"]
    body = Discriminant(
        classes=body.classes + tuple(extra),
        means=np.vstack([body.means, np.asarray(list(extra.values()), dtype=np.float64)]),
        inv_cov=body.inv_cov,
        features=body.features,
    )
    return TongueCalibration(body=body, coat=_discriminant(raw["coat"]), source=str(raw["source"]))


def classify_coat(feature: np.ndarray, grey_share: float = 0.0) -> tuple[str, float]:
    """白 / 黄 from the discriminant; 灰黑 by rule when a dark achromatic coat covers the tongue.

    Args:
        feature: the coat's (unmixed) CIELAB colour.
        grey_share: share of the tongue interior that is dark (L* < GREY_COAT_L) and achromatic.

    Returns:
        (class, confidence); 灰黑's confidence is capped at 0.6 (not fitted on labelled photos).
    """
    if grey_share >= GREY_COAT_SHARE:
        return "灰黑", float(np.clip(0.4 + grey_share / 2.0, 0.4, 0.6))
    return load_calibration().coat.classify(feature)
