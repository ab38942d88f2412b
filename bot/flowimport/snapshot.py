"""Keep what files held before an import, so a flow the check refuses leaves no trace."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path


class Snapshot:
    """The bytes of some files (None for a file not there yet) and the folders that were."""

    def __init__(self, paths: Iterable[Path]) -> None:
        self._files = {p: p.read_bytes() if p.is_file() else None for p in paths}
        self._folders = {f for p in self._files for f in p.parents if f.is_dir()}

    def restore(self) -> None:
        """Put every file back as it was, removing files and folders the import made."""
        for path, data in self._files.items():
            if data is None:
                path.unlink(missing_ok=True)
            else:
                path.write_bytes(data)
        for path in sorted(self._files, key=lambda p: -len(p.parts)):
            for folder in path.parents:
                if folder in self._folders:
                    break
                if folder.is_dir() and not any(folder.iterdir()):
                    folder.rmdir()
