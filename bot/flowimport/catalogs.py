"""Put the form's translations into the gettext catalogs, as `ouderbrug i18n` keeps them."""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from babel import Locale
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

from bot.engine.flow import Flow
from bot.flowfiles.positions import Positions
from bot.flowfiles.texts import FlowText, flow_texts
from bot.flowimport.plan import FormPlan
from bot.i18n.catalogs import DOMAIN, SOURCE_LANGUAGE, po_path, template_path


@dataclass
class CatalogChanges:
    """What the import did to one catalog: entries added or filled, kept, and a new file."""

    language: str
    path: Path
    filled: int = 0
    created: bool = False
    # Translations already in the catalog that differ from the form's: kept as they are.
    kept: list[str] = field(default_factory=list)


def write_catalogs(
    plan: FormPlan, flow: Flow, positions: Positions, flow_file: str, locales_dir: Path
) -> list[CatalogChanges]:
    """Add the flow's texts to the template and each language's catalog, with their translations."""
    texts = flow_texts(flow, positions)
    template = _read(template_path(locales_dir)) or Catalog(domain=DOMAIN, project="Ouderbrug")
    for text in texts:
        _entry(template, text, flow_file, "")
    changes = []
    for code in plan.languages:
        if code == plan.source_language and (
            code == SOURCE_LANGUAGE or po_path(locales_dir, code).exists()
        ):
            continue
        # A new source language still needs the bot's own texts translated: start its catalog.
        changes.append(_language(plan, code, texts, template, flow_file, locales_dir))
    _write(template_path(locales_dir), template)
    return changes


def _language(
    plan: FormPlan,
    code: str,
    texts: list[FlowText],
    template: Catalog,
    flow_file: str,
    locales_dir: Path,
) -> CatalogChanges:
    path = po_path(locales_dir, code)
    catalog = _read(path, code)
    changes = CatalogChanges(code, path, created=catalog is None)
    if catalog is None:
        # As `pybabel init` starts one: every text of the template, none translated yet.
        catalog = Catalog(locale=Locale.parse(code), domain=DOMAIN, project="Ouderbrug")
        for message in template:
            if message.id:
                empty = ("",) * catalog.num_plurals if message.pluralizable else ""
                catalog.add(
                    message.id,
                    empty,
                    locations=message.locations,
                    flags=message.flags - {"fuzzy"},
                    auto_comments=message.auto_comments,
                    user_comments=message.user_comments,
                    context=message.context,
                )
    for text in texts if code != plan.source_language else ():
        wanted = _translation(plan, text, code)
        if wanted is None:
            continue
        existing = catalog.get(text.source, context=text.context)
        if existing is not None and existing.string and not existing.fuzzy:
            if existing.string != wanted:
                changes.kept.append(text.context)
            continue
        _entry(catalog, text, flow_file, wanted)
        changes.filled += 1
    _write(path, catalog)
    return changes


def _translation(plan: FormPlan, text: FlowText, code: str) -> str | None:
    if text.step is None:
        return None  # A need's label: imported forms declare no meaning.
    step = next(s for s in plan.steps if s.id == text.step.id)
    if text.choice is None:
        return step.texts.get(code)
    choice = next(c for c in step.choices if c.key == text.choice.key)
    return choice.labels.get(code)


def _entry(catalog: Catalog, text: FlowText, flow_file: str, string: str) -> None:
    catalog.delete(text.source, context=text.context)
    catalog.add(
        text.source,
        string,
        locations=[(flow_file, text.position.line)],
        auto_comments=[text.comment],
        context=text.context,
    )


def _read(path: Path, code: str | None = None) -> Catalog | None:
    if not path.is_file():
        return None
    with path.open("rb") as fileobj:
        return read_po(fileobj, locale=code, domain=DOMAIN)


def _write(path: Path, catalog: Catalog) -> None:
    """Write a catalog whole or not at all: a reader never sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "wb") as fileobj:
            write_po(fileobj, catalog, width=76)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
