"""Schools, their staff and their families in memory, for the staff's use cases."""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field

from bot.messages.followup import FollowUpStatus
from bot.storage.models import Digest, ParentLink, Response, School, Staff
from bot.storage.repositories.schools import ListedCounts, ListedSchool


@dataclass
class FakeSchools:
    """Schools in a list."""

    schools: list[School] = field(default_factory=list)
    username: str | None = None
    flow_links: list[ParentLink] = field(default_factory=list)

    def get(self, code: str) -> School | None:
        return next((s for s in self.schools if s.code == code), None)

    def by_staff_token(self, token: str) -> School | None:
        return next((s for s in self.schools if s.staff_token == token), None)

    def parent_link(self, token: str) -> ParentLink | None:
        return next((k for k in self.flow_links if k.token == token), None)

    def flow_link(self, code: str, flow_id: str) -> ParentLink | None:
        found = (k for k in self.flow_links if (k.school_code, k.flow_id) == (code, flow_id))
        return next(found, None)

    def add_flow_link(self, link: ParentLink) -> None:
        self.flow_links.append(link)

    def add(self, school: School) -> None:
        self.schools.append(school)

    def store_listed(
        self, batch: Sequence[ListedSchool], new_token: Callable[[], str]
    ) -> ListedCounts:
        added = updated = 0
        # The last listing of a code wins, as in the database's one upsert per batch.
        for code, columns in {listed.code: listed.columns() for listed in batch}.items():
            school = self.get(code)
            if school is None:
                self.add(School(code=code, staff_token=new_token(), **columns))
                added += 1
            elif any(getattr(school, name) != value for name, value in columns.items()):
                for name, value in columns.items():
                    setattr(school, name, value)
                updated += 1
        return ListedCounts(added, updated)

    def listing(self, town: str | None) -> list[School]:
        found = [s for s in self.schools if town is None or (s.town or "").upper() == town.upper()]
        return sorted(found, key=lambda s: (s.town or "", s.name, s.code))

    def link_username(self) -> str | None:
        return self.username


@dataclass
class FakeStaffMembers:
    """Staff members in a list; ids given out as a database would."""

    members: list[Staff] = field(default_factory=list)

    def get(self, member_id: int) -> Staff | None:
        return next((m for m in self.members if m.id == member_id), None)

    def of_school(self, school_code: str, user_id: int) -> Staff | None:
        return next(
            (
                m
                for m in self.members
                if m.school_code == school_code and m.telegram_user_id == user_id
            ),
            None,
        )

    def memberships(self, user_id: int) -> dict[str, int]:
        active = [m for m in self.members if m.telegram_user_id == user_id and not m.revoked_at]
        return {m.school_code: m.id for m in sorted(active, key=lambda m: m.school_code)}

    def add(self, member: Staff) -> None:
        member.id = len(self.members) + 1
        self.members.append(member)

    def listing(self, school_code: str | None) -> list[Staff]:
        found = [m for m in self.members if school_code in (None, m.school_code)]
        return sorted(found, key=lambda m: (m.school_code, m.joined_at, m.id))


@dataclass
class FakeFamilies:
    """Responses and digests in lists; an erased family is one no longer in the list."""

    responses: list[Response] = field(default_factory=list)
    digests: list[Digest] = field(default_factory=list)

    def newest(self, school_code: str, limit: int) -> list[Response]:
        mine = [r for r in self.responses if r.school_code == school_code]
        return sorted(mine, key=lambda r: (r.completed_at, r.id), reverse=True)[:limit]

    def for_followup(self, response_id: int) -> Response | None:
        return next((r for r in self.responses if r.id == response_id), None)

    def statuses(self, response_ids: Collection[int]) -> dict[int, str]:
        return {r.id: r.followup_status for r in self.responses if r.id in response_ids}

    def digest(self, digest_id: int) -> Digest | None:
        return next((d for d in self.digests if d.id == digest_id), None)

    def followed_up(
        self, school_code: str | None, *, helped: bool
    ) -> list[tuple[Response, str | None]]:
        found = [
            r
            for r in self.responses
            if r.school_code is not None
            and school_code in (None, r.school_code)
            and (helped or r.followup_status != FollowUpStatus.HELPED)
        ]
        ordered = sorted(found, key=lambda r: (r.school_code or "", r.completed_at, r.id))
        return [(r, None) for r in ordered]
