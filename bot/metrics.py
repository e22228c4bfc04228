"""What operators watch, in Prometheus's format: turns and lookups with their latency, flows, deliveries, the
outbox and overdue deadlines. No label ever holds a name, a person's id or a case reference: labels are channels,
flow names and outcomes from fixed lists, and anything else is counted as "other"."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

REGISTRY = CollectorRegistry()  # ours alone: no process or platform collectors with their own labels
CHANNELS = frozenset({"msteams", "slack", "console", "email", "emulator"})
# Seconds: a lookup takes tens of milliseconds, a turn that files a report a few hundred.
BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)

TURNS = Histogram(
    "integriteitsbot_turn_seconds",
    "Time to answer one turn, by channel.",
    ["channel"],
    buckets=BUCKETS,
    registry=REGISTRY,
)
LOOKUPS = Histogram(
    "integriteitsbot_lookup_seconds",
    "Time to find the answer to a question in the code.",
    buckets=BUCKETS,
    registry=REGISTRY,
)
FLOWS = Counter(
    "integriteitsbot_flows_total",
    "Guided flows started, finished (filed) and stopped, by flow. The report flow is not counted: when a report "
    "was made must not be derivable (anonymous reports).",
    ["flow", "event"],
    registry=REGISTRY,
)
DELIVERIES = Counter(
    "integriteitsbot_deliveries_total",
    "Notification delivery attempts, by channel and outcome.",
    ["channel", "outcome"],
    registry=REGISTRY,
)
OUTBOX_DUE = Gauge(
    "integriteitsbot_outbox_due", "Notifications due for delivery and not delivered yet.", registry=REGISTRY
)
OUTBOX_AGE = Gauge(
    "integriteitsbot_outbox_oldest_due_seconds",
    "How long the oldest due notification has been waiting (0: none).",
    registry=REGISTRY,
)
OVERDUE = Gauge(
    "integriteitsbot_deadlines_overdue",
    "Open cases past a deadline (acknowledgement, reply or feedback).",
    registry=REGISTRY,
)


def channel(name: str | None) -> str:
    """A channel as a label: one of the known ones, else "other" (a label never holds what a client sent)."""
    return name if name in CHANNELS else "other"
