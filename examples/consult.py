"""Run one example case through derm3r and print the syndrome, formula and herbs.

Usage (from the repository root)::

    .venv/bin/python examples/consult.py                                  # ps-blood-heat-1
    .venv/bin/python examples/consult.py examples/cases/ps-fire-toxin-1.json

The case file's answer key is in examples/cases/expected.yaml.
"""

from __future__ import annotations

import argparse
from pathlib import Path

DEFAULT_CASE = Path(__file__).resolve().parent / "cases" / "ps-blood-heat-1.json"


def main(argv: list[str] | None = None) -> None:
    """Consult one case file and print the main parts of the answer."""
    parser = argparse.ArgumentParser(description="Consult derm3r on one example case.")
    parser.add_argument("case", nargs="?", type=Path, default=DEFAULT_CASE, help="path to a case JSON file")
    args = parser.parse_args(argv)

    # Imported here so --help works even before the package is installed.
    from derm3r import Derm3R

    # The path (not the parsed dict) is passed so image paths resolve relative to the case file.
    result = Derm3R().consult(args.case)

    print(f"case:     {args.case}")
    safety = result.safety
    if safety.abstained:
        print(f"abstained: {safety.reason}")
    for flag in safety.red_flags:
        print(f"red flag: {flag}")
    # An abstaining answer may leave the assessment or the plan empty.
    syndrome = result.assessment.syndrome if result.assessment is not None else None
    print(f"syndrome: {syndrome.name if syndrome is not None else '-'}")
    formula = result.plan.formula if result.plan is not None else None
    print(f"formula:  {formula.name if formula is not None else '-'}")
    for herb in result.plan.herbs if result.plan is not None else []:
        print(f"  {herb.name} {herb.dose_g} g  ({herb.role})")
    for warning in safety.warnings:
        print(f"warning:  {warning}")


if __name__ == "__main__":
    main()
