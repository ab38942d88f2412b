"""Argos Translate's package format, read and installed with the standard library alone.

An `.argosmodel` file is a zip of one folder: `metadata.json`, a CTranslate2 model in
`model/`, and a tokenizer (`sentencepiece.model`, or `bpe.model` for older packages);
published ones also carry a `stanza/` sentence splitter we do not use. Installing
extracts that folder into the packages folder, as Argos does, so a folder filled by
either can be read by both. Argos translates through other languages when no package
goes directly: here the shortest chain of packages, through English when there is a
choice, since nearly every published package has English on one side.
"""

from __future__ import annotations

import json
import shutil
import tempfile
import zipfile
from collections import deque
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.translation.errors import BadPackageError

METADATA = "metadata.json"
MODEL = "model"
SENTENCEPIECE = "sentencepiece.model"
BPE = "bpe.model"
PIVOT = "en"


@dataclass(frozen=True, slots=True)
class Package:
    """One installed translation package: its folder and what metadata.json says of it."""

    path: Path
    source: str
    target: str
    version: str
    # Multilingual models are told the target language by a first token (e.g. "__nl__").
    target_prefix: str = ""

    @property
    def label(self) -> str:
        """Name the package as stored beside a translation: 'ar-en@1.0'."""
        return f"{self.source}-{self.target}@{self.version}"


def check_package(archive: Path) -> dict[str, Any]:
    """Return a package file's metadata, or raise BadPackageError saying what is wrong."""
    if not zipfile.is_zipfile(archive):
        raise BadPackageError(f"{archive} is not an Argos Translate package (not a zip file)")
    with zipfile.ZipFile(archive) as zipped:
        names = zipped.namelist()
        tops = {name.split("/", 1)[0] for name in names}
        if len(tops) != 1 or any("/" not in name for name in names if not name.endswith("/")):
            raise BadPackageError(f"{archive}: a package holds exactly one folder")
        top = tops.pop()
        try:
            metadata = json.loads(zipped.read(f"{top}/{METADATA}"))
        except (KeyError, ValueError) as error:
            raise BadPackageError(f"{archive}: no readable metadata.json ({error})") from None
    if not _names_a_pair(metadata):
        raise BadPackageError(f"{archive}: metadata.json names no from_code and to_code")
    if f"{top}/{MODEL}/model.bin" not in names:
        raise BadPackageError(f"{archive}: no CTranslate2 model (model/model.bin)")
    if not {f"{top}/{SENTENCEPIECE}", f"{top}/{BPE}"} & set(names):
        raise BadPackageError(f"{archive}: no tokenizer (sentencepiece.model or bpe.model)")
    return dict(metadata)


def install_package(archive: Path, folder: Path) -> Package:
    """Extract a checked package file into the packages folder; return what it installed.

    The package is unpacked beside the folder first and moved in whole, so a bot looking
    at the folder meanwhile never sees half a package; one of the same name is replaced.
    """
    check_package(archive)
    folder.mkdir(parents=True, exist_ok=True)
    with (
        tempfile.TemporaryDirectory(prefix=".unpacking-", dir=folder.parent) as scratch,
        zipfile.ZipFile(archive) as zipped,
    ):
        # zipfile drops ".." and leading "/" from member names: nothing lands outside.
        zipped.extractall(scratch)
        (unpacked,) = Path(scratch).iterdir()
        destination = folder / unpacked.name
        if destination.exists():
            shutil.rmtree(destination)
        unpacked.rename(destination)
    package = read_package(destination)
    assert package is not None, "check_package accepted it"
    return package


def read_package(path: Path) -> Package | None:
    """Read an installed package folder; None for what is not a translation package."""
    try:
        metadata = json.loads((path / METADATA).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not _names_a_pair(metadata) or metadata.get("type", "translate") != "translate":
        return None
    return Package(
        path=path,
        source=str(metadata["from_code"]),
        target=str(metadata["to_code"]),
        version=str(metadata.get("package_version", "")),
        target_prefix=str(metadata.get("target_prefix", "")),
    )


def installed_packages(folder: Path) -> list[Package]:
    """Return the translation packages in a folder, one per pair.

    Of two packages for the same pair the newest version is used (Argos takes whichever
    its directory listing happens to give first).
    """
    try:
        paths = sorted(p for p in folder.iterdir() if p.is_dir())
    except OSError:
        return []
    found = [package for path in paths if (package := read_package(path)) is not None]
    newest: dict[tuple[str, str], Package] = {}
    for package in sorted(found, key=lambda p: (_version_key(p.version), p.path.name)):
        newest[(package.source, package.target)] = package
    return sorted(newest.values(), key=lambda p: (p.source, p.target))


def find_route(packages: list[Package], source: str, target: str) -> list[Package] | None:
    """Return the shortest chain of packages from source to target, or None when none.

    Breadth first, with English tried first as the next step, so `ar → en → nl` wins over
    another pivot of the same length.
    """
    onward: dict[str, list[Package]] = {}
    for package in packages:
        onward.setdefault(package.source, []).append(package)
    for steps in onward.values():
        steps.sort(key=lambda p: (p.target != PIVOT, p.target))
    routes: dict[str, list[Package]] = {source: []}
    waiting = deque([source])
    while waiting:
        language = waiting.popleft()
        for step in onward.get(language, []):
            if step.target not in routes:
                routes[step.target] = [*routes[language], step]
                waiting.append(step.target)
    route = routes.get(target)
    return route if route else None


def _names_a_pair(metadata: object) -> bool:
    return (
        isinstance(metadata, dict)
        and bool(metadata.get("from_code"))
        and bool(metadata.get("to_code"))
    )


def _version_key(version: str) -> tuple[int, ...]:
    """Order '1.10' after '1.9'; a part that is not a number counts as 0."""
    return tuple(int(part) if part.isdigit() else 0 for part in version.split("."))
