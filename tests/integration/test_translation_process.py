"""The translator in a child process: same translations, same errors, back after a crash."""

from __future__ import annotations

import multiprocessing
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.settings import PROJECT_DIR
from bot.translation.argos import ArgosTranslator
from bot.translation.errors import PairNotInstalledError, TranslationError
from bot.translation.process import ProcessTranslator

REMARK = "ليس لدينا حاسوب في البيت. هل يمكن للمدرسة أن تساعد؟"


@pytest.fixture
def folder(tmp_path: Path, argos_files: dict[str, Path]) -> Path:
    adapter = ArgosTranslator(tmp_path / "packages")
    adapter.install(argos_files["ar-en"])
    adapter.install(argos_files["en-nl"])
    return tmp_path / "packages"


@pytest.fixture
def process(folder: Path) -> Iterator[ProcessTranslator]:
    translator = ProcessTranslator(folder)
    yield translator
    translator.close()


def children() -> list[multiprocessing.process.BaseProcess]:
    return [child for child in multiprocessing.active_children() if child.pid is not None]


def test_the_child_translates_as_the_adapter_does(process: ProcessTranslator, folder: Path) -> None:
    assert process.translate(REMARK, "ar", "nl") == ArgosTranslator(folder).translate(
        REMARK, "ar", "nl"
    )


def test_the_child_runs_at_the_lowest_priority(process: ProcessTranslator) -> None:
    process.translate(REMARK, "ar", "nl")
    (child,) = children()
    assert child.pid is not None
    assert os.sched_getscheduler(child.pid) == os.SCHED_IDLE


def test_the_conversations_child_is_not_in_the_idle_class(folder: Path) -> None:
    # Someone waits for a conversation message: it must not wait for an idle core.
    interactive = ProcessTranslator(folder, idle=False, nice=10)
    try:
        interactive.translate(REMARK, "ar", "nl")
        (child,) = children()
        assert child.pid is not None
        assert os.sched_getscheduler(child.pid) == os.SCHED_OTHER
        # Behind the bot when both want a core, never waiting for an idle one.
        assert os.getpriority(os.PRIO_PROCESS, child.pid) == os.getpriority(os.PRIO_PROCESS, 0) + 10
    finally:
        interactive.close()


def test_a_pair_not_installed_is_the_same_error_as_in_process(
    process: ProcessTranslator,
) -> None:
    with pytest.raises(PairNotInstalledError) as raised:
        process.translate("Merhaba", "tr", "nl")
    assert (raised.value.source, raised.value.target) == ("tr", "nl")


def test_after_the_child_is_killed_the_next_translation_starts_another(
    process: ProcessTranslator,
) -> None:
    first = process.translate(REMARK, "ar", "nl")
    (child,) = children()
    assert child.pid is not None
    os.kill(child.pid, signal.SIGKILL)
    child.join(10)
    with pytest.raises(TranslationError):
        process.translate(REMARK, "ar", "nl")
    assert process.translate(REMARK, "ar", "nl") == first


def test_close_stops_the_child(process: ProcessTranslator) -> None:
    process.translate(REMARK, "ar", "nl")
    assert children()
    process.close()
    assert children() == []


def test_a_closed_translator_starts_no_new_child(process: ProcessTranslator) -> None:
    process.translate(REMARK, "ar", "nl")
    process.close()
    with pytest.raises(TranslationError):
        process.translate(REMARK, "ar", "nl")
    assert children() == []


def test_the_child_ends_when_its_parent_is_killed(folder: Path, tmp_path: Path) -> None:
    # A parent of its own, so the test can kill it the way a crash would.
    script = (
        "import sys, os, pathlib\n"
        "from bot.translation.process import ProcessTranslator\n"
        "from multiprocessing import active_children\n"
        f"t = ProcessTranslator(pathlib.Path({str(folder)!r}))\n"
        f"t.translate({REMARK!r}, 'ar', 'nl')\n"
        "print(active_children()[0].pid, flush=True)\n"
        "sys.stdin.read()\n"
    )
    with subprocess.Popen(
        [sys.executable, "-c", script],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=PROJECT_DIR,
    ) as parent:
        assert parent.stdout is not None
        child = int(parent.stdout.readline())
        parent.kill()
        parent.wait(10)
    for _ in range(100):
        if _gone(child):
            return
        time.sleep(0.1)
    os.kill(child, signal.SIGKILL)
    raise AssertionError("the translation process outlived its parent")


def _gone(pid: int) -> bool:
    try:
        # A zombie has ended; only its parent (here the init process) has yet to reap it.
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except OSError:
        return True
