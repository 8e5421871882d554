"""``derm3r example [NAME] [--out DIR]``: copy the packaged example cases (with images) and fine-tuning configs.

A wheel carries ``examples/cases`` and ``finetune/configs`` (pyproject force-include), so a user
without the repository gets runnable cases: ``derm3r example ps-blood-stasis-1 --out ex`` then
``derm3r consult ex/ps-blood-stasis-1.json``.
"""

from __future__ import annotations

import argparse
import json
import shutil
from pathlib import Path
from typing import Any

from derm3r.errors import OptionError
from derm3r.i18n import t

#: Where the fine-tuning configs go inside --out.
CONFIG_FOLDER = "finetune-configs"


def register(commands: Any) -> None:
    """Add the ``example`` subcommand.

    Args:
        commands: The top-level parser's subparsers action.
    """
    example = commands.add_parser("example", help="copy packaged example cases (with images) and fine-tuning configs")
    example.add_argument("name", nargs="?", default=None, help="example case id (all of them when omitted)")
    example.add_argument("--out", type=Path, default=Path("derm3r-examples"), help="folder to copy into")
    example.add_argument("--list", action="store_true", help="list the example names and copy nothing")
    example.set_defaults(handler=run)


def example_cases() -> dict[str, Path]:
    """The packaged example cases by case id (the file name without .json)."""
    from derm3r.paths import asset_dir

    return {path.stem: path for path in sorted((asset_dir("examples") / "cases").glob("*.json"))}


def copy_example(case_file: Path, out: Path) -> list[Path]:
    """Copy one case file and the images it names, keeping their paths relative to the case.

    Args:
        case_file: The packaged case JSON.
        out: The destination folder.

    Returns:
        The files written.
    """
    data = json.loads(case_file.read_text(encoding="utf-8"))
    written = [out / case_file.name]
    shutil.copy2(case_file, written[0])
    for image in data.get("images") or []:
        relative = Path(image["path"])
        target = out / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(case_file.parent / relative, target)
        written.append(target)
    return written


def run(args: argparse.Namespace) -> int:
    """List or copy the examples.

    Args:
        args: The parsed ``example`` arguments.

    Returns:
        The exit code (2 for an unknown name).
    """
    from derm3r.paths import asset_dir

    cases = example_cases()
    if args.list:
        print(t("example.listing", args.lang))
        for name in cases:
            print(f"  {name}")
        return 0
    if args.name is not None and args.name not in cases:
        raise OptionError(t("example.unknown", args.lang, name=args.name, names=", ".join(cases)))
    chosen = [cases[args.name]] if args.name else list(cases.values())
    args.out.mkdir(parents=True, exist_ok=True)
    for case_file in chosen:
        copy_example(case_file, args.out)
    configs = args.out / CONFIG_FOLDER
    shutil.copytree(asset_dir("finetune") / "configs", configs, dirs_exist_ok=True)
    names = ", ".join(path.stem for path in chosen) if len(chosen) <= 3 else f"{len(chosen)} cases"
    print(t("example.copied", args.lang, out=args.out, names=f"{names}; {configs.name}/"))
    print(t("example.try", args.lang, case=args.out / chosen[0].name))
    return 0
