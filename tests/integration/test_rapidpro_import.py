"""`ouderbrug flows import export.json`: a RapidPro flow becomes one line of steps."""

from __future__ import annotations

from pathlib import Path

from tests.integration.test_flow_import import NO_OTHER_CHILD, STORED, SURVEYS, bot, place, tree

__all__ = ["place"]


def stored(output: str) -> list[str]:
    return output.split(STORED)[1].splitlines()


def test_a_category_that_ended_the_flow_skips_every_later_step(place: Path) -> None:
    result = bot(place, "flows", "import", str(SURVEYS / "rapidpro_favorites_v13_eng_spa.json"))

    assert result.returncode == 0, result.stdout
    assert "node 3: the category 'Other' is not carried over" in result.stdout
    assert "the flow is not offered in 'es'" in result.stdout
    flow = (place / "flows" / "favorites.yaml").read_text("utf-8")
    assert "    when: color != cyan\n    text: Good choice, I like … too!" in flow
    cyan = bot(place, "chat", "--flow", "favorites", "--lang", "en", stdin="4\n" + NO_OTHER_CHILD)
    assert cyan.returncode == 0, cyan.stderr
    assert stored(cyan.stdout) == ["color: cyan"]
    red = bot(
        place, "chat", "--flow", "favorites", "--lang", "en", stdin="1\n3\nJan\n" + NO_OTHER_CHILD
    )
    assert "What is your favorite beer?" in red.stdout
    assert stored(red.stdout) == ["color: red", "beer: turbo_king", "name: Jan"]


def test_each_way_of_a_split_keeps_its_own_message(place: Path) -> None:
    export = str(SURVEYS / "rapidpro_color_und_fra.json")
    unset = bot(place, "flows", "import", export)
    assert unset.returncode == 1
    assert "the flow's language 'und' is not set or not known; give --language" in unset.stdout

    result = bot(place, "flows", "import", export, "--language", "en")

    assert result.returncode == 0, result.stdout
    flow = (place / "flows" / "colors.yaml").read_text("utf-8")
    assert "when: color == orange" in flow
    assert "when: color == blue" in flow
    blue = bot(place, "chat", "--flow", "colors", "--lang", "en", stdin="2\n" + NO_OTHER_CHILD)
    assert "Blue is sad. :(" in blue.stdout
    assert "I love orange" not in blue.stdout
    assert stored(blue.stdout) == ["color: blue"]


def test_an_export_of_the_old_format_or_broken_json_writes_nothing(
    place: Path, tmp_path: Path
) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text('{"version": "13", "flows": [', "utf-8")
    before = tree(place)

    old = bot(
        place, "flows", "import", str(SURVEYS / "rapidpro_legacy_multi_language_flow_v4.json")
    )
    bad = bot(place, "flows", "import", str(broken))

    assert old.returncode == bad.returncode == 1
    assert "RapidPro's old format (version 4)" in old.stdout
    assert "the JSON is broken" in bad.stdout
    assert "Traceback" not in old.stderr + bad.stderr
    assert tree(place) == before
