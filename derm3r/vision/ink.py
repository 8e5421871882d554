"""Surgical-marker ink: blue, violet or black strokes drawn on the skin, kept out of lesions and findings.

Before a close-up is taken a lesion is often circled, or its excision margin drawn, with a skin
marker (gentian violet or a blue surgical pen). On the PAD-UFES-20 calibration half such strokes
became red lesions (violet ink carries a* as well as a low b*) and 色素沉着 (they are darker than
the skin). Ink is told apart by two things:

- its colour against the patient's own skin: far bluer than it is redder (Δb* strongly negative,
  more than Δa* is positive). Skin of every tone and red, brown or dusky lesions sit on the other
  side: a purple (紫暗) plaque loses a few b* while it gains much more a*; and
- its shape: a stroke or a ring, long and thin; a compact bluish patch (a blue naevus, a bruise)
  stays a lesion.

A found stroke is followed along its length through its fainter parts (a dry pen, skin curving
away): shallow dark valleys that lower b* and are not redder, so the faint arcs of a circle neither
become lesions of their own nor join the lesion inside it.

Black and blue-black markers keep the skin's hue as they blend with it, as a dark hair does: long thin
high-contrast dark lines of any hue not redder, with skin beside them (:func:`dark_line_mask`), are kept
out of the pigment patches (no 色素沉着 from a line), without the ink note; they stay in the skin domain
and in a red lesion (the gaps between a dusky plaque's white flakes can pass for such lines). Thresholds
are in light-skin units (offsets divided by the tone damping of :mod:`derm3r.vision.skin_model`), chosen
on the PAD-UFES-20 calibration half (the black-line rule on painted strokes: it has almost no black ink).
The offsets and the shape tests that ink, dark lines and hairs share are in :mod:`derm3r.vision.strokes`.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from derm3r.vision.lesion_reference import SkinReference, skin_reference
from derm3r.vision.morphology import closing, connected_to, dilate, label
from derm3r.vision.strokes import (
    INK_EDGE_SHARE,
    INK_MAX_HALF_WIDTH,
    INK_MIN_CORE_SHARE,
    MIN_INK_PIXELS,
    Offsets,
    lines_on_skin,
    stroke_length,
    stroke_offsets,
    stroke_shape,
)

#: A stroke's core is at least this much bluer (−Δb*) than the skin...
INK_CORE_DB = 10.0
#: ...and its blueness outweighs its redness: −Δb* ≥ this × Δa* (the offset's hue below ~−50°).
INK_BLUE_OVER_RED = 1.2
#: Its hue is turned at least this far from the skin's towards blue (red and purple lesions turn
#: 20-50°, a brown one hardly at all; violet ink 60-130°)...
INK_MIN_HUE_TURN = 60.0
#: ...and it is coloured, not grey (a grey-blue naevus on neutral skin is not ink).
INK_MIN_CHROMA = 5.0
#: Ink absorbs light: a stroke is darker than the skin by at least this (L*, light-skin units); a
#: lesion's pale or white keratin rim, bluish against yellow skin, is lighter.
INK_MIN_DARKER = 4.0
#: ...unless the skin is darker than the ink itself: on type V-VI skin (L* 29-39) violet and blue markers
#: (L* 30-37 at full density, a light-blue one ~48) are as light as the skin or lighter, and every darker
#: test missed them (their a* rise became a red lesion). A pixel at most this light (absolute L*) may be
#: ink without being darker; a white keratin rim or a glint is far lighter (L* 60-90).
INK_LIGHT_MAX_L = 50.0
#: Such a thin stroke, not darker, must be a valley at least this deep in b* (light-skin units; the
#: painted strokes on type VI skin 16-55): without the L* valley there is less evidence of a line.
INK_LIGHT_LINE_DB = 10.0
#: The valley is at least this deep in b* (light-skin units)...
INK_LINE_DB = 5.0
#: ...at least this share of its depth in L* (violet and blue ink 0.7-1.5 on the calibration strokes, a
#: dark-violet ring on yellow skin down to ~0.6; a hair is no valley this deep in b*)...
INK_LINE_BLUE_OVER_DARK = 0.5
#: ...and at least this deep in L* (and the stroke at least this much darker than the skin).
INK_LINE_MIN_DARKER = 2.0
#: A stroke is grown from its core into pixels INK_EDGE_SHARE as blue, and at least INK_MIN_CORE_SHARE of it is
#: core (see :mod:`derm3r.vision.strokes`), or this share when it continues a found stroke (within this many
#: px of it): a ring's dotted arcs.
INK_FAINT_CORE_SHARE, INK_FAINT_REACH = 0.15, 16
#: A stroke that faint is ink on its own when it is this long (analysis px): a faint ring drawn with a fine
#: pen (PAD-UFES-20 calibration half: the faint rings of PAT_621_3592_955 and PAT_621_1183_56 206-273 px at
#: core share 0.23-0.24; the faint bluish fragments of hair, wrinkles and shading that pass the stroke tests
#: are under 90 px).
INK_LONG_FAINT_LENGTH = 150.0
#: A broad stroke's darkest middle can be too dark to pass as blue (−Δb* < 0.5 × −ΔL*), and a faint one
#: fades out at its ends; both were left as dark lines beside the detected part (色素沉着 on the
#: calibration pen tiles). A found stroke takes in the darker, bluish pixels connected to it within this
#: many pixels of it.
INK_CORE_REACH = 8
INK_CORE_MIN_DARKER = 4.0
INK_CORE_MIN_BLUE = 2.5
#: A found stroke is followed along its length through fainter parts of it (the ring's faded arcs): a
#: valley at least this deep in L*, this much darker than the skin and this much lower in b* (light-skin
#: units; see _traceable).
INK_TRACE_DIP_L = 2.0
INK_TRACE_DARKER = 2.0
INK_TRACE_DB = 1.0
#: A dark line of any hue (black marker, dark hair): a valley at least this deep in L* and at least this
#: much darker than the skin (light-skin units); its pixels half as deep belong to it. Long and thin as
#: an ink stroke is (the shape tests of thin_stroke), and not redder than the skin.
DARK_LINE_DIP_L = 8.0
#: Its colour: not redder than the skin (black and blue-black ink), or darkened far more than it is
#: warmed — a brown or brown-black hair on light skin is a little redder and yellower than the skin
#: (Δa* 2-3, Δb* 0-2.5 at ΔL* −13 to −24 on the PAD-UFES-20 calibration clear tiles, painted hairs),
#: a red fold or a dark-red crust line in a lesion gains a* by half its darkening or more.
DARK_LINE_MAX_WARM_PER_DARK = 0.25
#: Strokes are looked for on the skin and this many px beyond it (a stroke the skin rule left out).
INK_DOMAIN_REACH = 4
#: Pixels this close to a stroke carry its colour (JPEG chroma bleed) and are left out too.
INK_HALO = 2


def _bluish(off: Offsets, share: float) -> np.ndarray:
    """Ink-coloured pixels at ``share`` of the core's margins: of a turned hue, or blended into a thin line.

    A solid stroke turns the skin's hue towards blue and stays coloured; a thin one, blended with the skin
    beside it, is told instead by being a valley in b* and L* that is deeper in b* than a hair's. On skin
    darker than the ink (types V-VI) the stroke need not be darker: a thin one is then a deeper b* valley.
    """
    blue_not_red = -off.d_b >= INK_BLUE_OVER_RED * off.d_a
    ink_light = off.l_abs <= INK_LIGHT_MAX_L  # as light as ink can be: it may be lighter than dark skin
    solid = (
        (off.d_b <= -share * INK_CORE_DB)
        & (off.turn >= share * INK_MIN_HUE_TURN)
        & ((off.d_l <= -share * INK_MIN_DARKER) | ink_light)
        & (off.chroma >= share * INK_MIN_CHROMA)
    )
    # Ink absorbs light; white flakes between red gaps do not.
    darker_valley = (off.dip_l >= share * INK_LINE_MIN_DARKER) & (off.d_l <= -share * INK_LINE_MIN_DARKER)
    blended = (
        (off.dip_b >= share * INK_LINE_DB)
        & (off.dip_b >= INK_LINE_BLUE_OVER_DARK * off.dip_l)
        & (off.d_b <= -share * INK_LINE_DB)
        & (darker_valley | (ink_light & (off.dip_b >= share * INK_LIGHT_LINE_DB)))
    )
    return blue_not_red & (solid | blended)


def _traceable(off: Offsets) -> np.ndarray:
    """Pixels a found stroke may be followed through: a shallow dark valley that lowers b* and is not redder.

    Ink of any dark hue (violet, blue, black) lowers b* on skin; a red, brown or yellow lesion raises it or
    keeps it. Along a marker circle the ink fades where the pen ran dry or the skin curves away; those
    parts are too faint to start a stroke but they continue one.
    """
    return (
        (off.dip_l >= INK_TRACE_DIP_L)
        & (off.d_l <= -INK_TRACE_DARKER)
        & (off.d_b <= -INK_TRACE_DB)
        & (-off.d_b >= INK_BLUE_OVER_RED * off.d_a)
    )


def ink_mask(lab: np.ndarray, ref: SkinReference, off: Offsets | None = None) -> np.ndarray:
    """Pixels of blue or violet marker strokes (with their halo) in a skin photo.

    Args:
        lab: lightly smoothed CIELAB of the analysed image (thin strokes survive it).
        ref: the surrounding-skin reference the offsets are measured against.
        off: offsets already computed for ``lab`` (computed when omitted).

    Returns:
        HxW bool mask; empty when there is no stroke.
    """
    off = off if off is not None else stroke_offsets(lab, ref)
    core = _bluish(off, 1.0)
    if int(core.sum()) < MIN_INK_PIXELS:
        return np.zeros(core.shape, dtype=bool)
    labels, count = label(_bluish(off, INK_EDGE_SHARE))
    sizes = np.bincount(labels.ravel(), minlength=count + 1)
    has_core = np.bincount(labels[core], minlength=count + 1) > 0
    keep = has_core & (sizes >= MIN_INK_PIXELS)
    keep[0] = False
    strokes, across = np.zeros(core.shape, dtype=bool), np.zeros(core.shape, dtype=bool)
    core_share = np.bincount(labels[core], minlength=count + 1) / np.maximum(sizes, 1)
    faint = keep & (core_share >= INK_FAINT_CORE_SHARE) & (core_share < INK_MIN_CORE_SHARE)
    keep &= core_share >= INK_MIN_CORE_SHARE
    for k in np.nonzero(keep)[0]:
        _add(stroke_shape(labels == k, off.d_l, off.d_b), strokes, across)
    for k in np.nonzero(faint)[0]:  # a long faint ring stands on its own
        shape = stroke_shape(labels == k, off.d_l, off.d_b)
        if shape is not None and stroke_length(shape[0]) >= INK_LONG_FAINT_LENGTH:
            faint[k] = not _add(shape, strokes, across)
    if not (strokes | across).any():
        return strokes
    near = dilate(strokes | across, INK_FAINT_REACH)  # a ring's fainter, dotted arcs beside its found part
    for k in np.nonzero(faint & (np.bincount(labels[near], minlength=count + 1) > 0))[0]:
        _add(stroke_shape(labels == k, off.d_l, off.d_b), strokes, across)
    # Into its dark middle nearby, and along its length (any distance) through its faint parts. Not a stroke
    # drawn across a pigmented lesion: the lesion's own darker, less yellow pixels would be followed.
    strokes |= connected_to(strokes, dilate(strokes, INK_CORE_REACH) & _dark_bluish(off))
    strokes |= connected_to(strokes, _traceable(off))
    strokes |= across
    return dilate(strokes, INK_HALO)


def _add(shape: tuple[np.ndarray, bool] | None, strokes: np.ndarray, across: np.ndarray) -> bool:
    """Adds a found stroke to ``strokes``, or to ``across`` when drawn across a pigmented lesion."""
    if shape is None:
        return False
    (across if shape[1] else strokes)[shape[0]] = True
    return True


def _dark_valley(off: Offsets, share: float) -> np.ndarray:
    """A high-contrast thin dark line not redder than the skin, or barely warmer than it (marker, hair).

    Black and dark-blue markers keep the skin's hue as they blend with it, as a dark hair does; the two
    cannot be told apart pixel by pixel, and neither is part of the skin. A brown hair is slightly
    warmer than light skin, but far less than it is darker.
    """
    darker = -off.d_l
    warm_cap = DARK_LINE_MAX_WARM_PER_DARK * darker
    return (
        (off.dip_l >= share * DARK_LINE_DIP_L)
        & (darker >= share * DARK_LINE_DIP_L)
        & ((-off.d_b >= INK_BLUE_OVER_RED * off.d_a) | ((off.d_a <= warm_cap) & (off.d_b <= warm_cap)))
    )


def dark_line_mask(lab: np.ndarray, ref: SkinReference, off: Offsets | None = None) -> np.ndarray:
    """Pixels of long thin dark lines on the skin (black or dark marker strokes, dark hairs).

    Args:
        lab: lightly smoothed CIELAB of the analysed image.
        ref: the surrounding-skin reference.
        off: offsets already computed for ``lab`` (computed when omitted).

    Returns:
        HxW bool mask (with a 1 px halo); empty when there is no such line.
    """
    off = off if off is not None else stroke_offsets(lab, ref)
    lines = lines_on_skin(_dark_valley(off, 1.0), _dark_valley(off, INK_EDGE_SHARE), off)
    return dilate(lines, 1) if lines.any() else lines


def _dark_bluish(off: Offsets) -> np.ndarray:
    """Pixels darker and somewhat bluer than the skin, and not redder: a stroke's dark middle."""
    return (
        (off.d_l <= -INK_CORE_MIN_DARKER) & (off.d_b <= -INK_CORE_MIN_BLUE) & (-off.d_b >= INK_BLUE_OVER_RED * off.d_a)
    )


class InkFree(NamedTuple):
    """What :func:`exclude_ink` returns: the skin without ink and what was measured on the way."""

    domain: np.ndarray
    ref: SkinReference
    ink: np.ndarray
    lines: np.ndarray
    off: Offsets


def bridge_ink(lesion: np.ndarray, ink: np.ndarray) -> np.ndarray:
    """The lesion with the ink pixels that cross it: a stroke drawn across a lesion does not cut it in two.

    Args:
        lesion: HxW bool lesion mask, ink already left out.
        ink: HxW bool ink mask (with its halo).

    Returns:
        ``lesion`` plus the ink pixels within its closing (gaps up to a broad stroke's width with its halo),
        connected to it; the ink that merely runs beside it (a ring round it) stays out.
    """
    if not ink.any() or not lesion.any():
        return lesion
    bridge = ink & closing(lesion, INK_MAX_HALF_WIDTH + INK_HALO)
    return lesion | connected_to(lesion, bridge)


def exclude_ink(lab_s: np.ndarray, lab_f: np.ndarray, domain: np.ndarray) -> InkFree:
    """The skin domain without marker strokes, the skin reference measured on it, and the dark lines.

    Args:
        lab_s: smoothed CIELAB (the reference is measured on it).
        lab_f: lightly smoothed CIELAB (strokes are found on it).
        domain: skin pixels and what they enclose.

    Returns:
        The domain without ink, the reference, the ink and dark-line masks and the stroke offsets of
        ``lab_f`` against that reference (for the hair rule). The dark lines (black marker, dark hair) stay
        in the domain: they are kept out of the pigment patches only (a line is no 色素沉着), since the gaps
        between a dusky plaque's flakes can look like them.
    """
    ref, _ = skin_reference(lab_s, domain)
    # A broad or dark stroke is often no skin colour and left out of the domain; it is still found (and
    # followed into the fainter parts of it that are in the domain) when it lies on the skin.
    off = stroke_offsets(lab_f, ref)
    ink = ink_mask(lab_f, ref, off) & dilate(domain, INK_DOMAIN_REACH)
    lines = dark_line_mask(lab_f, ref, off) & domain & ~ink
    if not ink.any():
        return InkFree(domain, ref, ink, lines, off)
    domain = domain & ~ink
    ref, _ = skin_reference(lab_s, domain)
    return InkFree(domain, ref, ink, lines, stroke_offsets(lab_f, ref))
