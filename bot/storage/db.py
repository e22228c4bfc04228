"""The database schema (SQLAlchemy Core tables); Alembic migrations in bot/storage/migrations create and evolve it."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData()


def _numbered() -> list[Column]:
    """The columns of a record with a reference such as M-2026-0007: numbered per organisation and year."""
    return [
        Column("id", Integer, primary_key=True),
        Column("org", String(80), nullable=False),
        Column("reference", String(20), nullable=False),
        Column("year", Integer, nullable=False),
        Column("number", Integer, nullable=False),
    ]


# A running guided flow, so a restart or another replica continues the same conversation. The key is an HMAC of
# channel, conversation and user id under the server secret, and the state is encrypted: without the secret, even
# a half-written anonymous report is linked to no one.
flow_state = Table(
    "flow_state",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("flow", String(40), nullable=False),
    Column("state", JSON, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

# The encrypted columns (bot/storage/crypto.py ENCRYPTED) are Text: a ciphertext is longer than the text it holds.

# A report of a suspicion. Anonymous cases keep the reporter_* columns empty, and store only the day
# they arrived (no time), so that nothing can be matched with a chat log.
cases = Table(
    "cases",
    metadata,
    *_numbered(),
    Column("kind", String(20), nullable=False),
    Column("route_kind", String(20), nullable=False),
    Column("recipient_role", String(80), nullable=False),
    Column("recipient_person", Text),
    Column("section", String(80)),
    Column("code_version", String(80)),  # the version of the code the report was filed under
    Column("description", Text, nullable=False),
    Column("when_text", Text, nullable=False),
    Column("where_text", Text),
    Column("evidence", Text, nullable=False),
    Column("anonymous", Boolean, nullable=False),
    Column("reporter_name", Text),
    Column("reporter_channel", Text),
    Column("reporter_user_id", Text),
    Column("reporter_conversation_id", Text),
    Column("status", String(30), nullable=False),
    Column("received_on", Date, nullable=False),
    Column("receipt_selector", String(8), nullable=False),
    Column("receipt_hash", String(200), nullable=False),
    UniqueConstraint("org", "reference", name="uq_cases_org_reference"),
    UniqueConstraint("receipt_selector", name="uq_cases_receipt_selector"),
)

# What happened to a case: received, an addendum from the reporter, a message or status from the handler.
case_events = Table(
    "case_events",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("case_id", Integer, ForeignKey("cases.id", ondelete="CASCADE"), nullable=False),
    Column("on_date", Date, nullable=False),
    Column("type", String(30), nullable=False),
    Column("text", Text),
    Column("for_reporter", Boolean, nullable=False, default=False),
    Index("ix_case_events_case", "case_id"),
)

gifts = Table(
    "gifts",
    metadata,
    *_numbered(),
    Column("declared_on", Date, nullable=False),
    Column("employee_name", Text, nullable=False),
    Column("employee_channel", Text, nullable=False),
    Column("employee_user_id", Text, nullable=False),
    Column("gift_kind", String(20), nullable=False),
    Column("description", Text),  # what the employee said the gift was, in their own words
    Column("giver_type", String(20), nullable=False),
    Column("giver", Text, nullable=False),
    Column("value_eur", Float),
    Column("small", String(10)),
    Column("pending", String(10), nullable=False),
    Column("reward", String(10), nullable=False),
    Column("received", String(10), nullable=False),
    Column("advice", String(30), nullable=False),
    Column("advice_section", String(80)),
    Column("code_version", String(80)),  # the version of the code whose advice was given
    Column("manager_role", String(80), nullable=False),
    Column("manager", Text),
    Column("status", String(30), nullable=False),
    Column("decision_note", Text),
    Column("decided_by", Text),
    Column("decided_by_id", Text),  # the decider's stable id: "<channel>:<user id>"
    Column("decided_on", Date),
    UniqueConstraint("org", "reference", name="uq_gifts_org_reference"),
)

contact_requests = Table(
    "contact_requests",
    metadata,
    *_numbered(),
    Column("requested_on", Date, nullable=False),
    Column("role", String(80), nullable=False),
    Column("requester_name", Text, nullable=False),
    Column("requester_channel", Text, nullable=False),
    Column("requester_user_id", Text, nullable=False),
    Column("reach", Text, nullable=False),
    Column("note", Text),
    Column("status", String(30), nullable=False),
    Column("handled_by", Text),
    Column("handled_on", Date),
    UniqueConstraint("org", "reference", name="uq_contact_requests_org_reference"),
)

# Notifications waiting for delivery; a worker delivers them and retries failures with back-off.
outbox = Table(
    "outbox",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("org", String(80), nullable=False),
    Column("kind", String(30), nullable=False),
    Column("reference", String(20), nullable=False),
    Column("recipient_role", String(80), nullable=False),
    Column("recipient", JSON, nullable=False),
    Column("channel", String(20), nullable=False),
    Column("card", JSON, nullable=False),
    Column("status", String(20), nullable=False),
    Column("attempts", Integer, nullable=False, default=0),
    Column("next_attempt_at", DateTime(timezone=True), nullable=False),
    Column("last_error", Text),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("delivered_at", DateTime(timezone=True)),
    # A worker claims a row until this moment before delivering it, so a failure after delivery never
    # makes another round (or another replica) deliver it again at once.
    Column("claimed_until", DateTime(timezone=True)),
    # The worker drops a repeat by it when its mark failed after a delivery; a mail's Message-ID is built from it.
    Column("idempotency_key", String(64), nullable=False),
    Index("ix_outbox_due", "status", "next_attempt_at"),
    Index("ix_outbox_idempotency_key", "idempotency_key", unique=True),
)

# Every confirmed flow carries a random submission id from its state: a second confirm of the same flow
# (a double click, a redelivered request, a retry after a crash) finds it here and files nothing new.
submissions = Table(
    "submissions",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("kind", String(20), nullable=False),
    Column("org", String(80), nullable=False),
    Column("reference", String(20), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

# The last number given out per organisation, record type and year, raised in the transaction that uses
# it, so concurrent confirms never compute the same reference.
counters = Table(
    "counters",
    metadata,
    Column("name", String(40), primary_key=True),
    Column("org", String(80), primary_key=True),
    Column("year", Integer, primary_key=True),
    Column("value", Integer, nullable=False),
)

# The figures of a year, kept when retention first deletes records of that year: the annual report of an earlier
# year stays what it was, with no record behind it. Counts only, never a name or a description.
year_figures = Table(
    "year_figures",
    metadata,
    Column("org", String(80), primary_key=True),
    Column("year", Integer, primary_key=True),
    Column("figures", JSON, nullable=False),
    Column("kept_on", Date, nullable=False),
)

# Where Teams can be reached for an organisation: the tenant and its Bot Connector service URL, learnt from
# the activities the tenant's users send, so notifications can be sent proactively.
teams_tenants = Table(
    "teams_tenants",
    metadata,
    Column("tenant_id", String(64), primary_key=True),
    Column("org", String(80), nullable=False),
    Column("service_url", String(500), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

# The 1:1 chat of a person who RECEIVES notifications (a configured recipient, or one the bot opened a chat
# with to deliver one); never of an employee who reports or declares.
teams_chats = Table(
    "teams_chats",
    metadata,
    Column("tenant_id", String(64), primary_key=True),
    Column("aad_object_id", String(64), primary_key=True),
    Column("conversation_id", String(500), nullable=False),
    Column("service_url", String(500), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

# The data keys that encrypt case content (bot/storage/crypto.py), each wrapped with a key derived from the server
# secret, which is never in the database. New values use the current key; `integriteitsbot keys rotate` adds one.
keys = Table(
    "keys",
    metadata,
    Column("kid", String(16), primary_key=True),
    Column("wrapped", Text, nullable=False),
    Column("current", Boolean, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

# The key of the audit trail's hashes (one row, id 1): random, wrapped with the server secret like a data key, so
# only someone with the secret can write a chain that verifies (see bot/storage/audit_rows.py).
audit_key = Table(
    "audit_key",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("wrapped", Text, nullable=False),
)


def _entry() -> list[Column]:
    """What an audit entry says, chained or waiting: who, in which role, through which channel, did what to which
    record."""
    return [
        Column("actor", String(300), nullable=False),  # channel:user id, cli:<os user>, service, or 'anoniem'
        Column("role", String(200), nullable=False),
        Column("channel", String(20), nullable=False),
        Column("action", String(30), nullable=False),
        Column("org", String(80)),
        Column("reference", String(20)),
        Column("detail", String(300)),
    ]


# The audit trail: who did what to which record, when and through which channel. Append-only (triggers refuse
# UPDATE and DELETE) and chained: each entry holds the hash of the one before and its own hash (HMAC-SHA-256 under
# the audit key over a canonical serialisation), so an edited or deleted row breaks the chain. Never a reporter of
# an anonymous case; what such a reporter does (filing, an addendum) keeps only the day, and waits in audit_pending
# until the day is over, so that not even its place in the chain between timed entries narrows the moment.
audit = Table(
    "audit",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=False),  # 1, 2, 3, … without gaps
    Column("on_date", Date, nullable=False),
    Column("at", String(40)),  # the moment (ISO, UTC); empty for an entry that keeps only the day
    *_entry(),
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
    Index("ix_audit_reference", "reference"),
)

audit_pending = Table(
    "audit_pending",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("on_date", Date, nullable=False),
    *_entry(),
)

# A signing campaign: who asked which people to read and sign which version of the code. The owner is the chat
# identity (or the operator's account) that started it; only they and the roles the contacts file allows see it.
campaigns = Table(
    "campaigns",
    metadata,
    *_numbered(),
    Column("code_version", String(80)),
    Column("audience", Text, nullable=False),  # what it was sent to: a team's name, a list, newcomers of a team
    Column("owner", Text, nullable=False),  # "<channel>:<user id>" or "cli:<os user>"
    Column("owner_name", Text, nullable=False),
    Column("remind_after_days", Integer, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("org", "reference", name="uq_campaigns_org_reference"),
)

# The register of who signed the code: one row per person and campaign (or per person for the welcome), with the
# version confirmed and when. `person` is an HMAC of their chat id or address under the server secret, so a row is
# found again without the database holding the id in clear; name and address are encrypted.
attestations = Table(
    "attestations",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("org", String(80), nullable=False),
    Column("campaign_id", Integer, ForeignKey("campaigns.id", ondelete="CASCADE")),
    Column("source", String(20), nullable=False),  # the campaign's reference, or 'onthaal' (the welcome)
    Column("person", String(64), nullable=False),
    Column("name", Text, nullable=False),
    Column("address", JSON),  # how they are reached: the recipient of the campaign's message
    Column("code_version", String(80)),
    Column("sent_at", DateTime(timezone=True)),
    Column("reminders", Integer, nullable=False, default=0),
    Column("last_sent_at", DateTime(timezone=True)),
    Column("outbox_key", String(64)),  # the last message's idempotency key: whether it reached them
    Column("confirmed_at", DateTime(timezone=True)),
    UniqueConstraint("org", "source", "person", name="uq_attestations_person"),
    Index("ix_attestations_person", "org", "person"),
)

# A dilemma posted in a team channel with its anonymous poll. The place is the channel (never a person); the poster
# is an HMAC, only to let them close it. The tally is kept; the votes themselves are deleted when the poll closes.
dilemma_polls = Table(
    "dilemma_polls",
    metadata,
    Column("id", String(24), primary_key=True),  # random; carried by the card's buttons
    Column("org", String(80), nullable=False),
    Column("dilemma", String(80), nullable=False),
    Column("channel", String(20), nullable=False),
    Column("place", String(500), nullable=False),  # the Teams channel's conversation id, or the Slack channel id
    Column("team", String(200), nullable=False),  # a name for the figures per team
    Column("service_url", String(500)),
    Column("tenant_id", String(64)),
    Column("message_id", String(200)),  # the card's activity id (Teams) or ts (Slack), to update it
    Column("poster", String(64)),  # HMAC of who asked for it; empty for a scheduled one
    Column("opened_at", DateTime(timezone=True), nullable=False),
    Column("closes_at", DateTime(timezone=True), nullable=False),
    Column("closed_at", DateTime(timezone=True)),
    Column("tally", JSON),  # votes per option, written when the poll closes
    Index("ix_dilemma_polls_open", "closed_at", "closes_at"),
)

# One vote per person and poll, changeable: the voter is an HMAC of poll and person under the server secret, so the
# row names nobody; all of a poll's rows are deleted when it closes, leaving only its tally.
dilemma_votes = Table(
    "dilemma_votes",
    metadata,
    Column("poll_id", String(24), ForeignKey("dilemma_polls.id", ondelete="CASCADE"), primary_key=True),
    Column("voter", String(64), primary_key=True),
    Column("choice", Integer, nullable=False),
)

# A team's schedule: a dilemma every n weeks on a weekday at 09:00 (Brussels), open for some days.
dilemma_schedules = Table(
    "dilemma_schedules",
    metadata,
    Column("channel", String(20), primary_key=True),
    Column("place", String(500), primary_key=True),
    Column("org", String(80), nullable=False),
    Column("team", String(200), nullable=False),
    Column("service_url", String(500)),
    Column("tenant_id", String(64)),
    Column("every_weeks", Integer, nullable=False),
    Column("weekday", Integer, nullable=False),  # 0 is Monday
    Column("open_days", Integer, nullable=False),
    Column("next_at", DateTime(timezone=True), nullable=False),
    Column("set_by", Text, nullable=False),
)
