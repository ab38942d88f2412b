"""The two translators the bot runs: one for remarks in the background, one for conversations."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from bot.settings import Settings
from bot.system.storage import Storage
from bot.translation.ports import MachineTranslator
from bot.translation.worker import BackgroundTranslator

# Below the bot's own priority, far above the idle class: when the bot and a conversation
# want the same core the bot goes first, and the conversation waits milliseconds, not
# for a core to fall idle (bench/relay.py).
INTERACTIVE_NICE = 10


def interactive_translator(settings: Settings) -> tuple[MachineTranslator, Callable[[], None]]:
    """Build the translator of conversation messages: a model process at normal priority.

    The background translator's process is in the idle class and rests three quarters of
    its time (TRANSLATION_SHARE): a message somebody waits for would queue behind it.
    This one loads its own copy of a model (about 100 MB) at the first conversation.
    """
    from bot.translation.cache import CachedTranslator
    from bot.translation.process import ProcessTranslator

    process = ProcessTranslator(
        settings.translation_packages,
        threads=settings.translation_threads,
        idle=False,
        nice=INTERACTIVE_NICE,
    )
    return CachedTranslator(process), process.close


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
