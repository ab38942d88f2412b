"""Errors from the database never carry what parents wrote."""

from __future__ import annotations

import pytest
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from bot.storage.models import ParentSession


def test_a_database_error_hides_the_statements_parameters(
    sessions: sessionmaker[Session],
) -> None:
    # The parameters of a failing statement can be a parent's answers, and errors are logged.
    state = {"answers": {"remarks": "Mijn zoon heet Ahmed"}}
    # No such parent and no such flow revision: the insert fails.
    row = ParentSession(parent_id=1, flow_id="x", flow_revision="r", state=state, status="a")
    with sessions() as db:
        db.add(row)
        with pytest.raises(IntegrityError) as raised:
            db.commit()
    assert "Ahmed" not in str(raised.value)
    assert "hidden due to hide_parameters" in str(raised.value)
