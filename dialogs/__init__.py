"""Guided flows, pure and channel-neutral: (state, answer) → (state, replies | outcome)."""

from __future__ import annotations

from dialogs import adviser, followup, gift, report
from dialogs.flow import Flow

FLOWS: dict[str, Flow] = {flow.name: flow for flow in (report.FLOW, gift.FLOW, adviser.FLOW, followup.FLOW)}
