"""What the user hears about a flow run that was already filed: its confirmation again, or that it was received."""

from __future__ import annotations

import logging
from datetime import datetime

from bot.clock import Clock
from bot.storage.filing import SENT_FLOW, SHOW_AGAIN_FOR, AlreadyFiled, unseal
from bot.storage.store import Store
from bot.vocabulary import messages as msg
from bot.vocabulary.turns import Reply, Turn

log = logging.getLogger(__name__)


async def show_filed(store: Store, clock: Clock, turn: Turn, marker: dict) -> list[Reply]:
    """A filed flow whose confirmation may not have reached the user: show it again (once it is sent, the
    channel settles it); nothing when the marker is too old to show."""
    filed_at = datetime.fromisoformat(str(marker.get("filed_at", "1970-01-01T00:00:00+00:00")))
    if clock.now() - filed_at > SHOW_AGAIN_FOR:
        await store.clear_sent(turn.user)
        return []
    what = msg.FILED_WHAT.get(str(marker.get("kind")), "melding")
    confirmation = unseal(marker, store.seal_key(turn.user))
    if confirmation is None:
        text = msg.ALREADY_FILED_SHOWN.format(what=what, reference=marker.get("reference", ""))
    else:
        text = msg.ALREADY_FILED.format(what=what, confirmation=confirmation)
    if marker.get("kind") in ("gift", "contact"):  # of a report or addendum, not even that it was filed shortly before
        log.info("showed a filed %s's confirmation again", marker.get("kind"))
    return [Reply(text, settles=str(marker.get("submission")))]


async def already_filed(store: Store, clock: Clock, turn: Turn, earlier: AlreadyFiled) -> list[Reply]:
    """A second confirm of a flow run that was filed meanwhile (a double click or a redelivery)."""
    state = await store.load_flow(turn.user)
    if state is not None and state.get("flow") == SENT_FLOW:
        shown = await show_filed(store, clock, turn, state)
        if shown:
            return shown
    what = msg.FILED_WHAT.get(earlier.kind, "melding")
    text = msg.ALREADY_FILED_SHOWN.format(what=what, reference=earlier.reference)
    return [Reply(text + (msg.CODE_NOT_KEPT if earlier.kind == "report" else ""))]
