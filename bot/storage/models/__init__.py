"""The tables, as SQLAlchemy 2 typed models. Alembic migrations in migrations/ create them.

One module per area; every table is importable from here, and importing this package
registers them all on Base.metadata, which Alembic compares the migrations with.
"""

from bot.storage.models.base import Base, utcnow
from bot.storage.models.broadcasts import Broadcast, BroadcastFamily
from bot.storage.models.conversations import ConversationMessage
from bot.storage.models.dashboard import AuditEntry, ResponseNeed, SignInLink
from bot.storage.models.digests import Digest
from bot.storage.models.families import FlowVersion, Parent, ParentSession, Response
from bot.storage.models.outbox import (
    MailFamily,
    MailMessage,
    OutboxFamily,
    OutboxMessage,
    VoiceCopy,
)
from bot.storage.models.running import ProcessedUpdate, StoredSetting
from bot.storage.models.schools import DEFAULT_SCHEDULE, ParentLink, School, Staff
from bot.storage.models.translations import Translation

__all__ = [
    "DEFAULT_SCHEDULE",
    "AuditEntry",
    "Base",
    "Broadcast",
    "BroadcastFamily",
    "ConversationMessage",
    "Digest",
    "FlowVersion",
    "MailFamily",
    "MailMessage",
    "OutboxFamily",
    "OutboxMessage",
    "Parent",
    "ParentLink",
    "ParentSession",
    "ProcessedUpdate",
    "Response",
    "ResponseNeed",
    "School",
    "SignInLink",
    "Staff",
    "StoredSetting",
    "Translation",
    "VoiceCopy",
    "utcnow",
]
