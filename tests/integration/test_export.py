"""`ouderbrug export`: one row per response, stable columns, safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import errno
import io
import os
import resource
import signal
import subprocess
import sys
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from itertools import count
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlalchemy.orm import Session, sessionmaker

from bot.exports import FIXED_COLUMNS, neutralize
from bot.storage.models import FlowVersion, Parent, ParentSession, Response, School
from tests.conftest import CliResult

PROJECT = Path(__file__).resolve().parents[2]
Cli = Callable[..., CliResult]
T0 = datetime(2026, 3, 16, 9, 30, tzinfo=UTC)
# The order of the answered steps in tests/fixtures/flows/every_kind.yaml.
EVERY_KIND = ["consent", "school", "grade", "devices", "children", "help_at_home", "why"]
EVERY_KIND += ["big_family", "phone"]
_ids = count(1)


def add_response(
    session: Session,
    *,
    school: str | None,
    answers: dict[str, Any],
    completed_at: datetime,
    flow: str = "every_kind",
    language: str = "nl",
    child: int = 1,
    query: str | None = None,
) -> None:
    number = next(_ids)
    parent = Parent(telegram_user_id=1000 + number, chat_id=1000 + number, language=language)
    run = ParentSession(
        parent=parent, flow_id=flow, flow_revision=f"{flow}-r", state={}, status="completed"
    )
    session.add_all([parent, run])
    session.flush()
    session.add(
        Response(
            parent_id=parent.id,
            session_id=run.id,
            school_code=school,
            school_query=query,
            flow_id=flow,
            flow_revision=f"{flow}-r",
            flow_version=3 if flow == "every_kind" else 1,
            language=language,
            child_number=child,
            answers=answers,
            completed_at=completed_at,
        )
    )


@pytest.fixture
def cli(ouderbrug: Cli, monkeypatch: pytest.MonkeyPatch) -> Cli:
    """Return the command line with the flows of tests/fixtures/flows as the current ones."""
    monkeypatch.setenv("FLOWS_DIR", str(PROJECT / "tests" / "fixtures" / "flows"))
    return ouderbrug


@pytest.fixture
def responses(sessions: sessionmaker[Session]) -> None:
    """Store four responses: three at schools, one whose school was not listed."""
    with sessions.begin() as session:
        session.add_all(
            [
                School(code="16AH00", name="OBS 't Eenspan", town="EMMEN", staff_token="a" * 32),
                School(code="16BX00", name="=Mr Vegter", town="EMMEN", staff_token="b" * 32),
                *(
                    FlowVersion(revision=f"{flow}-r", flow_id=flow, version=version, source="")
                    for flow, version in [("every_kind", 3), ("old_flow", 1)]
                ),
            ]
        )
        session.flush()
        add_response(
            session,
            school="16AH00",
            completed_at=T0 + timedelta(hours=1),
            answers={
                "consent": "yes",
                "school": "16AH00",
                "grade": "groep_2",
                "devices": ["laptop", "tablet"],
                "children": 3,
                "help_at_home": "no",
                "why": '=HYPERLINK("http://x.example","klik")',
                "big_family": None,
                "phone": "+31612345678",
            },
        )
        add_response(
            session,
            school="16AH00",
            completed_at=T0 + timedelta(hours=2),
            language="ar",
            child=2,
            answers={
                "consent": "yes",
                "grade": "groep_1",
                "devices": ["none"],
                "children": 1,
                "help_at_home": "yes",
                "why": "لا يوجد حاسوب في البيت",
                "retired_step": "kept",
            },
        )
        add_response(
            session,
            school=None,
            query="=1+2 De Regenboog",
            completed_at=T0 + timedelta(hours=3),
            flow="old_flow",
            language="tr",
            answers={"zeta": "-5", "alpha": "@SUM(A1)", "tab": "\tx", "cr": "\rx"},
        )
        add_response(
            session,
            school="16BX00",
            completed_at=T0,
            language="en",
            answers={"consent": "yes", "grade": "groep_3"},
        )


def read_csv(text: str) -> list[list[str]]:
    """Read the analysts' CSV: commas, no byte order mark, as pandas and R expect."""
    assert not text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text, newline="")))


def read_as_excel(data: bytes) -> list[list[str]]:
    """Read a CSV file the way Excel with Dutch settings does: UTF-8 by its mark, split on ;."""
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))


def as_dicts(rows: list[list[str]]) -> list[dict[str, str]]:
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


@pytest.mark.usefixtures("responses")
def test_csv_has_the_fixed_columns_then_the_steps_in_flow_order(cli: Cli) -> None:
    result = cli("export", "--format", "csv-raw")

    assert result.code == 0, result.err
    header = read_csv(result.out)[0]
    assert header == [
        *FIXED_COLUMNS,
        *EVERY_KIND,
        # Steps the current flow files do not have, sorted.
        *["alpha", "cr", "retired_step", "tab", "zeta"],
    ]
    assert list(FIXED_COLUMNS) == [
        *["response_id", "completed_at", "school_code", "school_name", "school_query"],
        *["language", "flow_id", "flow_version", "child_number"],
        *["urgent", "needs"],
    ]
    assert result.err == "Exported 4 responses to standard output.\n"


@pytest.mark.usefixtures("responses")
def test_csv_has_one_row_per_response_oldest_first_with_keys_not_labels(cli: Cli) -> None:
    rows = read_csv(cli("export", "--format", "csv-raw").out)
    table = [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]

    assert [row["language"] for row in table] == ["en", "nl", "ar", "tr"]
    first = table[1]
    assert first["completed_at"] == "2026-03-16T10:30:00Z"
    assert (first["school_code"], first["school_name"], first["school_query"]) == (
        "16AH00",
        "OBS 't Eenspan",
        "",
    )
    assert (first["flow_id"], first["flow_version"], first["child_number"]) == (
        "every_kind",
        "3",
        "1",
    )
    assert first["devices"] == "laptop;tablet"
    assert first["children"] == "3"
    assert first["big_family"] == ""
    assert first["retired_step"] == ""
    assert table[2]["why"] == "لا يوجد حاسوب في البيت"
    assert table[2]["child_number"] == "2"
    assert table[2]["devices"] == "none"
    # What the flow's `meaning:` makes of the answers, as keys.
    assert (first["urgent"], first["needs"]) == ("false", "help;remark")
    assert table[2]["needs"].split(";")[0] == "device"


@pytest.mark.usefixtures("responses")
def test_csv_neutralizes_every_cell_a_spreadsheet_would_run(cli: Cli) -> None:
    rows = read_csv(cli("export", "--format", "csv-raw").out)
    table = [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]

    assert table[0]["school_name"] == "'=Mr Vegter"
    assert table[1]["why"] == '\'=HYPERLINK("http://x.example","klik")'
    assert table[1]["phone"] == "'+31612345678"
    unassigned = table[3]
    assert unassigned["school_query"] == "'=1+2 De Regenboog"
    assert [unassigned[key] for key in ("zeta", "alpha", "tab", "cr")] == [
        "'-5",
        "'@SUM(A1)",
        "'\tx",
        "'\rx",
    ]
    assert not any(
        cell.startswith(("=", "+", "-", "@", "\t", "\r")) for row in rows for cell in row
    )


@pytest.mark.usefixtures("responses")
def test_unassigned_keeps_only_responses_without_a_listed_school(cli: Cli) -> None:
    rows = read_csv(cli("export", "--unassigned", "--format", "csv-raw").out)

    assert rows[0] == [*FIXED_COLUMNS, "alpha", "cr", "tab", "zeta"]
    assert len(rows) == 2
    assert rows[1][2:5] == ["", "", "'=1+2 De Regenboog"]


@pytest.mark.usefixtures("responses")
def test_school_keeps_only_that_school_s_responses(cli: Cli) -> None:
    rows = read_csv(cli("export", "--school", "16ah00", "--format", "csv-raw").out)

    assert rows[0] == [*FIXED_COLUMNS, *EVERY_KIND, "retired_step"]
    assert [row[2] for row in rows[1:]] == ["16AH00", "16AH00"]


@pytest.mark.usefixtures("responses")
def test_an_unknown_school_is_a_plain_error(cli: Cli) -> None:
    result = cli("export", "--school", "99ZZ99", "--format", "csv")

    assert (result.code, result.out) == (1, "")
    assert result.err == "There is no school with code '99ZZ99'.\n"


@pytest.mark.usefixtures("responses")
def test_csv_to_a_file_is_utf8_with_a_byte_order_mark(cli: Cli, tmp_path: Path) -> None:
    output = tmp_path / "out" / "export.csv"

    result = cli("export", "--format", "csv", "--output", str(output))

    data = output.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    assert "لا يوجد حاسوب في البيت" in data.decode("utf-8-sig")
    assert result.out == ""
    assert result.err == f"Exported 4 responses to {output}.\n"


DUTCH_FIXED = [
    *("nummer", "beantwoord", "schoolcode", "schoolnaam", "school zoals getypt"),
    *("taal", "vragenlijst", "versie", "kind"),
    *("dringend", "nodig"),
]
DUTCH_STEPS = ["Toestemming", "School", "Groep", "Apparaten", "Kinderen", "Hulp thuis"]
DUTCH_STEPS += ["Waarom", "Groot gezin", "Telefoon"]


@pytest.mark.usefixtures("responses")
def test_the_default_csv_opens_in_dutch_excel_as_columns(cli: Cli, tmp_path: Path) -> None:
    output = tmp_path / "export.csv"

    result = cli("export", "--output", str(output))

    assert result.code == 0, result.err
    rows = read_as_excel(output.read_bytes())
    assert rows[0] == [*DUTCH_FIXED, *DUTCH_STEPS, "alpha", "cr", "retired_step", "tab", "zeta"]
    assert all(len(row) == len(rows[0]) for row in rows)
    assert output.read_bytes().count(b"\r\n") == len(rows)


@pytest.mark.usefixtures("responses")
def test_the_default_csv_has_dutch_local_times_and_answers(cli: Cli) -> None:
    table = as_dicts(read_as_excel(cli("export").out.encode("utf-8")))

    first = table[1]
    # 10:30 UTC on 16 March is 11:30 in the Netherlands (winter time).
    assert first["beantwoord"] == "2026-03-16 11:30"
    assert (first["schoolcode"], first["schoolnaam"], first["taal"]) == (
        "16AH00",
        "OBS 't Eenspan",
        "Nederlands",
    )
    assert (first["Toestemming"], first["Groep"], first["Hulp thuis"]) == ("Ja", "Groep 2", "Nee")
    assert first["Apparaten"] == "Laptop, Tablet"
    assert (first["dringend"], first["nodig"]) == ("Nee", "geen hulp thuis, schreef de school iets")
    assert first["Kinderen"] == "3"
    assert first["Waarom"] == '\'=HYPERLINK("http://x.example","klik")'
    assert table[2]["taal"] == "Arabisch"
    assert table[2]["Apparaten"] == "Geen apparaat"
    assert table[3]["school zoals getypt"] == "'=1+2 De Regenboog"
    assert table[3]["alpha"] == "'@SUM(A1)"


def test_a_summer_time_is_two_hours_ahead(cli: Cli, sessions: sessionmaker[Session]) -> None:
    with sessions.begin() as session:
        session.add(
            FlowVersion(revision="every_kind-r", flow_id="every_kind", version=3, source="")
        )
        add_response(
            session, school=None, completed_at=datetime(2026, 7, 1, 22, 15, tzinfo=UTC), answers={}
        )

    (row,) = as_dicts(read_as_excel(cli("export").out.encode("utf-8")))

    assert row["beantwoord"] == "2026-07-02 00:15"


@pytest.mark.usefixtures("responses")
def test_json_keeps_keys_and_utc_times_for_analysts(cli: Cli) -> None:
    import json

    result = cli("export", "--format", "json")

    assert result.code == 0, result.err
    records = json.loads(result.out)
    assert [record["language"] for record in records] == ["en", "nl", "ar", "tr"]
    first = records[1]
    assert first["completed_at"] == "2026-03-16T10:30:00Z"
    assert first["devices"] == ["laptop", "tablet"]
    assert first["children"] == 3
    assert first["help_at_home"] == "no"
    assert first["big_family"] is None
    assert "retired_step" not in first
    assert records[2]["retired_step"] == "kept"


@pytest.mark.usefixtures("responses")
def test_the_format_follows_the_output_file_s_name(cli: Cli, tmp_path: Path) -> None:
    output = tmp_path / "export.xlsx"

    result = cli("export", "--output", str(output))

    assert result.code == 0, result.err
    assert output.read_bytes().startswith(b"PK")


@pytest.mark.usefixtures("responses")
def test_an_output_that_is_a_folder_is_a_plain_error(cli: Cli, tmp_path: Path) -> None:
    for form in ("csv", "xlsx"):
        result = cli("export", "--format", form, "--output", str(tmp_path))

        assert (result.code, result.out) == (1, "")
        assert result.err == (
            f"{tmp_path} is a folder: give a file name, such as {tmp_path / 'export'}.{form}.\n"
        )


@pytest.mark.usefixtures("responses")
def test_an_output_that_cannot_be_written_is_a_plain_error(cli: Cli, tmp_path: Path) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    not_a_folder = folder / "file"
    not_a_folder.write_text("")
    for form in ("csv", "xlsx"):
        output = not_a_folder / f"export.{form}"

        result = cli("export", "--format", form, "--output", str(output))

        assert (result.code, result.out) == (1, "")
        assert result.err.startswith(f"Cannot write {output}: ")
        assert result.err.endswith("; nothing was exported.\n")
        assert "Traceback" not in result.err
    assert [path.name for path in folder.iterdir()] == ["file"]


class _FullDisk(io.RawIOBase):
    """Standard output redirected to a file on a disk that is full."""

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")


@pytest.mark.usefixtures("responses")
def test_standard_output_that_cannot_be_written_is_named_as_such(
    cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    full = io.TextIOWrapper(io.BufferedWriter(_FullDisk(), buffer_size=16))
    monkeypatch.setattr("sys.stdout", full)

    result = cli("export", "--format", "csv-raw")

    assert result.code == 1
    assert result.err == "Cannot write to standard output: No space left on device.\n"


@pytest.mark.usefixtures("responses")
def test_a_reader_that_leaves_early_ends_the_export_quietly(database_url: str) -> None:
    # `ouderbrug export | head`: what head wanted it got; that is no error.
    environment = {**os.environ, "DATABASE_URL": database_url}
    environment["FLOWS_DIR"] = str(PROJECT / "tests" / "fixtures" / "flows")
    with subprocess.Popen(
        [sys.executable, "-m", "bot", "export", "--format", "csv-raw"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=environment,
        cwd=PROJECT,
    ) as export:
        assert export.stdout is not None
        assert export.stderr is not None
        export.stdout.close()  # before it writes: its first write finds no reader
        err = export.stderr.read().decode()
        code = export.wait(timeout=120)

    assert (code, err) == (0, "")


@pytest.mark.usefixtures("responses")
def test_a_failed_export_leaves_the_earlier_file_as_it_was(cli: Cli, tmp_path: Path) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    output = folder / "export.csv"
    output.write_bytes(b"earlier")

    # A file size limit makes the write fail the way a full disk does, half way.
    previous = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    resource.setrlimit(resource.RLIMIT_FSIZE, (300, hard))
    try:
        result = cli("export", "--output", str(output))
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
        signal.signal(signal.SIGXFSZ, previous)

    assert result.code == 1
    assert result.err == f"Cannot write {output}: File too large; nothing was exported.\n"
    assert output.read_bytes() == b"earlier"
    assert [path.name for path in folder.iterdir()] == ["export.csv"]


def test_an_empty_export_has_only_the_header(cli: Cli) -> None:
    result = cli("export", "--format", "csv-raw")

    assert read_csv(result.out) == [list(FIXED_COLUMNS)]
    assert result.err == "Exported 0 responses to standard output.\n"


def test_xlsx_needs_an_output_file(cli: Cli) -> None:
    result = cli("export", "--format", "xlsx")

    assert result.code == 1
    assert result.err == "An XLSX export needs --output FILE.xlsx.\n"


@pytest.mark.usefixtures("responses")
def test_xlsx_holds_the_people_s_table_with_numbers_and_local_times(
    cli: Cli, tmp_path: Path
) -> None:
    output = tmp_path / "export.xlsx"
    csv_rows = read_as_excel(cli("export").out.encode("utf-8"))

    result = cli("export", "--format", "xlsx", "--output", str(output))

    assert result.code == 0, result.err
    workbook = load_workbook(output)
    sheet = workbook.active
    assert sheet is not None
    rows = [list(row) for row in sheet.iter_rows()]
    workbook.close()
    assert all(cell.font.bold for cell in rows[0])
    assert sheet.freeze_panes == "A2"
    values = [["" if cell.value is None else cell.value for cell in row] for row in rows]
    header = values[0]
    assert header == csv_rows[0]
    answered = header.index("beantwoord")
    assert [row[answered] for row in values[1:]] == [
        datetime(2026, 3, 16, 10, 30),
        datetime(2026, 3, 16, 11, 30),
        datetime(2026, 3, 16, 12, 30),
        datetime(2026, 3, 16, 13, 30),
    ]
    assert all(getattr(row[answered], "is_date", False) for row in rows[1:])
    assert {row[answered].number_format for row in rows[1:]} == {"dd-mm-yyyy hh:mm"}
    # Apart from the real times, the same table as the CSV.
    as_text = [[str(value) for i, value in enumerate(row) if i != answered] for row in values[1:]]
    assert as_text == [
        [cell.replace("\r", "\n") for i, cell in enumerate(row) if i != answered]
        for row in csv_rows[1:]
    ]
    assert values[2][header.index("Kinderen")] == 3
    assert values[2][header.index("nummer")] == 1
    assert values[2][header.index("Apparaten")] == "Laptop, Tablet"
    assert not any(cell.data_type == "f" for row in rows for cell in row)


def test_xlsx_drops_control_characters_and_neutralizes_what_is_left(
    cli: Cli, sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    with sessions.begin() as session:
        session.add(
            FlowVersion(revision="every_kind-r", flow_id="every_kind", version=3, source="")
        )
        add_response(session, school=None, completed_at=T0, answers={"why": "\x01=1+1"})
    output = tmp_path / "export.xlsx"

    cli("export", "--format", "xlsx", "--output", str(output))

    workbook = load_workbook(output)
    assert workbook.active is not None
    cell = workbook.active.cell(row=2, column=len(FIXED_COLUMNS) + 1)
    assert (cell.value, cell.data_type) == ("'=1+1", "s")
    workbook.close()


def test_export_streams_past_one_batch_in_order(cli: Cli, sessions: sessionmaker[Session]) -> None:
    with sessions.begin() as session:
        session.add(
            FlowVersion(revision="every_kind-r", flow_id="every_kind", version=3, source="")
        )
        for minute in range(1203):
            add_response(
                session,
                school=None,
                completed_at=T0 + timedelta(minutes=minute),
                answers={"children": minute},
            )

    rows = read_csv(cli("export", "--format", "csv-raw").out)

    assert [int(row[-1]) for row in rows[1:]] == list(range(1203))


@pytest.mark.parametrize(
    ("text", "safe"),
    [
        ("=1+1", "'=1+1"),
        ("+31612345678", "'+31612345678"),
        ("-", "'-"),
        ("@x", "'@x"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("'=already", "'=already"),
        ("a=b", "a=b"),
        ("", ""),
    ],
)
def test_neutralize(text: str, safe: str) -> None:
    assert neutralize(text) == safe
