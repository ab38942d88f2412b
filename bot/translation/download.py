"""Fetch packages from an Argos package index, on a machine that has internet.

Argos's own download code retries without a time limit and reports a missing network
only in its log; here one request with a timeout says plainly that the index cannot be
reached, so a coordinator knows to copy the files over and install them instead.
"""

from __future__ import annotations

import json
import tempfile
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from bot.translation.errors import TranslationError

ARGOS_INDEX = "https://raw.githubusercontent.com/argosopentech/argospm-index/main/index.json"
TIMEOUT = 20.0
PIVOT = "en"


class OfflineError(TranslationError):
    """The package index or a package could not be reached."""


def fetch_index(url: str) -> list[dict[str, Any]]:
    """Return the index's package entries; OfflineError when it cannot be reached."""
    try:
        with urllib.request.urlopen(url, timeout=TIMEOUT) as answer:  # noqa: S310 - index URL
            entries = json.loads(answer.read())
    except (OSError, ValueError) as error:
        raise OfflineError(f"cannot reach the package index {url} ({_reason(error)})") from None
    return [e for e in entries if isinstance(e, dict) and e.get("type", "translate") == "translate"]


def wanted_pairs(
    language: str, school_language: str, index: list[dict[str, Any]]
) -> list[tuple[str, str]]:
    """Return the pairs to fetch for a language, both ways: direct, else through English."""
    offered = {(e.get("from_code"), e.get("to_code")) for e in index}
    pairs: list[tuple[str, str]] = []
    for source, target in ((language, school_language), (school_language, language)):
        if source == target:
            continue
        if (source, target) in offered:
            pairs.append((source, target))
        else:
            pairs += [p for p in ((source, PIVOT), (PIVOT, target)) if p[0] != p[1]]
    return list(dict.fromkeys(pairs))


def download(entry: dict[str, Any], folder: Path) -> Path:
    """Download one package file into folder; OfflineError when no link works."""
    name = f"translate-{entry['from_code']}_{entry['to_code']}.argosmodel"
    target = folder / name
    for link in entry.get("links", []):
        try:
            with urllib.request.urlopen(link, timeout=TIMEOUT) as answer:  # noqa: S310
                target.write_bytes(answer.read())
            return target
        except OSError as error:
            last = _reason(error)
    raise OfflineError(f"cannot download {name} ({last if entry.get('links') else 'no link'})")


def scratch_folder() -> tempfile.TemporaryDirectory[str]:
    """Return a temporary folder for downloads, removed after installing."""
    return tempfile.TemporaryDirectory(prefix="ouderbrug-packages-")


def _reason(error: BaseException) -> str:
    if isinstance(error, urllib.error.URLError) and not isinstance(error, urllib.error.HTTPError):
        return str(error.reason)
    return str(error) or type(error).__name__
