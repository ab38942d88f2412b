"""The translator of parents' free text as the composition root builds it."""

from __future__ import annotations

from functools import partial

from bot.settings import Settings
from bot.system.storage import Storage
from bot.translation.worker import BackgroundTranslator


def background_translator(settings: Settings, storage: Storage) -> BackgroundTranslator:
    """Build the translator of free text: Argos in a child process, behind a cache."""
    from bot.translation.argos import installed_signature
    from bot.translation.cache import CachedTranslator
    from bot.translation.process import ProcessTranslator

    folder = settings.translation_packages
    process = ProcessTranslator(folder, threads=settings.translation_threads)
    cached = CachedTranslator(process)
    return BackgroundTranslator(
        storage.transactions,
        cached,
        capacity=settings.translation_queue_size,
        sweep_seconds=settings.translation_sweep_seconds,
        packages=partial(installed_signature, folder),
        on_packages_changed=cached.clear,
        on_stop=process.close,
        share=settings.translation_share,
    )
