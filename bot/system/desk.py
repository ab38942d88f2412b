"""The front desk as the composition root builds it: every room an update may be for."""

from __future__ import annotations

from functools import partial
from typing import Protocol

from bot.clock import Clock
from bot.conversations.relay import Relay
from bot.conversations.room import ConversationRoom
from bot.coordinators.flows import reload_flows
from bot.digests.alerts import UrgentAlerts
from bot.digests.needs import NeedsRecorder
from bot.digests.recipients import StaffChats
from bot.digests.rounds import DigestRounds
from bot.engine.engine import Engine
from bot.flowfiles.registry import FlowRegistry
from bot.i18n.localizer import Localizers
from bot.parents.conversation import Conversations
from bot.parents.privacy import values_from
from bot.reception.reception import Reception
from bot.schools.catalog import SchoolCatalog
from bot.settings import Settings
from bot.staff.followup import FollowUps
from bot.staff.school_staff import SchoolStaff
from bot.staff.signin import DashboardSignIn
from bot.staff.voice_notes import VoicePlays
from bot.system.broadcasting import broadcast_desk
from bot.system.storage import Storage
from bot.translation.worker import BackgroundTranslator
from bot.voice.voices import Voices


class Parts(Protocol):
    """What the desk is built from: the composition root's shared parts."""

    @property
    def settings(self) -> Settings: ...
    @property
    def clock(self) -> Clock: ...
    @property
    def storage(self) -> Storage: ...
    @property
    def registry(self) -> FlowRegistry: ...
    @property
    def schools(self) -> SchoolCatalog: ...
    @property
    def localizers(self) -> Localizers: ...
    @property
    def staff_chats(self) -> StaffChats: ...
    @property
    def digests(self) -> DigestRounds: ...
    @property
    def translator(self) -> BackgroundTranslator: ...
    @property
    def voices(self) -> Voices: ...
    @property
    def relay(self) -> Relay: ...


def front_desk(system: Parts) -> Reception:
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
