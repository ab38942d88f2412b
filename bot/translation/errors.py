"""Why a translation could not be made: one tree, so callers catch what they can act on."""

from __future__ import annotations

INSTALL_HINT = 'pip install -e ".[translate]"'


class TranslationError(Exception):
    """A text could not be translated."""


class TranslationUnavailableError(TranslationError):
    """Argos Translate is not installed in this environment."""

    def __init__(self) -> None:
        super().__init__(f"machine translation is not installed; install it with {INSTALL_HINT}")


class PairNotInstalledError(TranslationError):
    """No installed package, nor a chain of them, translates between the two languages."""

    def __init__(self, source: str, target: str) -> None:
        super().__init__(f"no translation package installed for {source} → {target}")
        self.source = source
        self.target = target


class BadPackageError(TranslationError):
    """A file is not an Argos Translate package that can be installed."""
