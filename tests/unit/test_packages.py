"""Argos's package folder, read without Argos: metadata, versions, the chain of packages."""

from __future__ import annotations

import json
from pathlib import Path

from bot.translation.packages import Package, find_route, installed_packages


def package(source: str, target: str, version: str = "1.0") -> Package:
    return Package(Path(f"translate-{source}_{target}"), source, target, version)


def labels(route: list[Package] | None) -> list[str] | None:
    return None if route is None else [p.label for p in route]


def write(folder: Path, name: str, metadata: object) -> None:
    (folder / name).mkdir(parents=True)
    (folder / name / "metadata.json").write_text(json.dumps(metadata), encoding="utf-8")


def test_a_direct_package_beats_any_chain() -> None:
    packages = [package("ar", "en"), package("en", "nl"), package("ar", "nl")]
    assert labels(find_route(packages, "ar", "nl")) == ["ar-nl@1.0"]


def test_english_is_preferred_among_chains_of_one_length() -> None:
    packages = [package("ar", "de"), package("de", "nl"), package("ar", "en"), package("en", "nl")]
    assert labels(find_route(packages, "ar", "nl")) == ["ar-en@1.0", "en-nl@1.0"]


def test_no_chain_is_none() -> None:
    packages = [package("ar", "en"), package("nl", "en")]
    assert find_route(packages, "ar", "nl") is None
    assert find_route(packages, "so", "nl") is None
    assert find_route(packages, "en", "en") is None


def test_only_translation_packages_with_a_pair_are_read(tmp_path: Path) -> None:
    write(tmp_path, "translate-ar_en-1_0", {"from_code": "ar", "to_code": "en"})
    write(tmp_path, "sbd-ar", {"from_code": "ar", "to_code": "ar", "type": "sbd"})
    write(tmp_path, "broken", {"from_code": "ar"})
    (tmp_path / "no-metadata").mkdir()
    (tmp_path / "bad-json").mkdir()
    (tmp_path / "bad-json" / "metadata.json").write_text("{", encoding="utf-8")
    (tmp_path / "a-file.argosmodel").write_bytes(b"")
    [found] = installed_packages(tmp_path)
    assert (found.source, found.target, found.version, found.target_prefix) == ("ar", "en", "", "")


def test_of_two_versions_of_a_pair_the_newest_is_used(tmp_path: Path) -> None:
    for version in ("1.9", "1.10", "1.2"):
        write(
            tmp_path,
            f"en-nl-{version}",
            {"from_code": "en", "to_code": "nl", "package_version": version},
        )
    assert [p.version for p in installed_packages(tmp_path)] == ["1.10"]


def test_a_missing_folder_has_no_packages(tmp_path: Path) -> None:
    assert installed_packages(tmp_path / "nowhere") == []
