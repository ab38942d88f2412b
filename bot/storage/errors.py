"""Which database errors are worth waiting out."""

from __future__ import annotations

import sqlite3

from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout


def is_transient(error: BaseException) -> bool:
    """Tell whether trying the same update again later may succeed.

    Only a database that is busy or out of reach qualifies: locked (SQLite), connection
    lost, serialization failure or deadlock (PostgreSQL reports those as operational
    errors), or no free connection in the pool. Anything else (forged data, a bug) fails
    the same way every time, and retrying it only keeps others waiting. So do the few
    operational errors that name the statement, not the database: SQLite's plain
    SQLITE_ERROR (no such table or column, a syntax error) and PostgreSQL's program
    limits (class 54: an index row or a statement too large).
    """
    if isinstance(error, PoolTimeout):
        return True
    if isinstance(error, OperationalError):
        cause = error.orig
        if getattr(cause, "sqlite_errorcode", None) == sqlite3.SQLITE_ERROR:
            return False
        return not str(getattr(cause, "sqlstate", None) or "").startswith("54")
    return isinstance(error, DBAPIError) and error.connection_invalidated
