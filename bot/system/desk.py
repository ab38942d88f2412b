"""The front desk as the composition root builds it: every room an update may be for."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from bot.conversations.room import ConversationRoom
from bot.coordinators.flows import reload_flows
from bot.digests.alerts import UrgentAlerts
from bot.digests.needs import NeedsRecorder
from bot.engine.engine import Engine
from bot.parents.conversation import Conversations
from bot.parents.privacy import values_from
from bot.reception.reception import Reception
from bot.staff.followup import FollowUps
from bot.staff.school_staff import SchoolStaff
from bot.staff.signin import DashboardSignIn
from bot.staff.voice_notes import VoicePlays
from bot.system.broadcasting import broadcast_desk

if TYPE_CHECKING:
    from bot.system.build import System


def front_desk(system: System) -> Reception:
    """Build the reception with its rooms, from the system's shared parts."""
    settings = system.settings
    alerts = UrgentAlerts(
        system.registry,
        system.localizers,
        system.clock,
        system.staff_chats,
        mail=settings.smtp is not None,
    )
    conversations = Conversations(
        system.registry,
        Engine(system.schools, values_from(settings)),
        system.localizers,
        system.schools,
        settings.default_flow,
        digests=system.digests,
        speech=system.voices.problem,
    )
    return Reception(
        system.storage.transactions,
        conversations,
        SchoolStaff(system.registry, system.schools, system.localizers.get("nl")),
        frozenset(settings.coordinator_ids),
        reload_flows=partial(reload_flows, system.registry, system.schools),
        translator=system.translator,
        followups=FollowUps(system.localizers, system.clock),
        alerts=alerts,
        broadcasts=broadcast_desk(system.localizers.get("nl"), system.registry),
        plays=VoicePlays(system.localizers),
        needs=NeedsRecorder(system.registry),
        signin=DashboardSignIn(settings.coordinator_ids, settings.dashboard_address, system.clock),
        talk=ConversationRoom(system.localizers, system.clock, system.schools),
        relay=system.relay,
    )
