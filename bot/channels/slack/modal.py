"""A flow in a Slack modal: the same neutral steps as the chat, one question per page, errors shown at the field."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import replace
from typing import Any

from slack_sdk.web.async_client import AsyncWebClient

from bot.channels.slack import blocks
from bot.channels.slack.identity import Names, picked
from bot.conversation.dispatch import Conversation
from bot.vocabulary import messages as msg
from bot.vocabulary import people
from bot.vocabulary.turns import Reply, Turn
from dialogs.flow import CONFIRM

log = logging.getLogger(__name__)

TITLES = {
    "melden": "Vermoeden melden",
    "geschenk": "Geschenk melden",
    "vertrouwenspersoon": "Vertrouwenspersoon",
    "aanvullen": "Melding aanvullen",
}
DEFAULT_TITLE = "Integriteitsbot"
SENDING = "Even geduld: ik bewaar je antwoorden en verstuur ze."
BUSY = "Even geduld: ik verwerk je antwoord."
STEP_FAILED = (
    "Sorry, er ging bij mij iets mis. Er is niets verstuurd. Probeer het zo meteen opnieuw met hetzelfde commando: "
    "je eerdere antwoorden staan dan nog klaar."
)
RESUMED = "Je was nog bezig met {flow}. Je eerdere antwoorden staan nog klaar: we gaan verder waar je was."
ACK_BUDGET = 2.0  # seconds: Slack drops a form's answer that comes after 3
EXPIRED = (
    "Dit formulier loopt niet meer: het werd al verstuurd, gestopt of te lang niet gebruikt. "
    "Typ /integriteit help om opnieuw te beginnen."
)
MISSING_ANSWER = "Vul dit in of kies een antwoord."
MISSING_PERSON = "Kies een persoon of typ een naam of e-mailadres."
CLOSED = (
    "Je sloot het formulier voor {flow}. Er is niets verstuurd en niets bewaard. "
    "Wil je opnieuw beginnen? Typ /integriteit {command}."
)
SEND_VALUES = {"verzenden"}


def title_of(flow: str | None) -> str:
    """A modal's title for a flow (Slack allows 24 characters)."""
    return TITLES.get(flow or "", DEFAULT_TITLE)


def page(flow: str | None, replies: list[Reply], waiting: tuple[dict, Reply] | None) -> dict[str, Any]:
    """The modal page after a turn: the question the flow waits on, or, when none runs, the replies as the end."""
    title = title_of(flow)
    if waiting is None or not replies:
        return blocks.modal(title, replies or [Reply(EXPIRED)], private_metadata=flow or "", closing=True)
    question = replies[-1]
    return blocks.modal(title, replies, private_metadata=flow or "", long_answer=question.long_answer)


class Modals:
    """Opens, advances and closes flows in modals; every answer goes through the neutral conversation."""

    def __init__(self, conversation: Conversation, client: AsyncWebClient, names: Names) -> None:
        self._conversation = conversation
        self._client = client
        self._names = names

    async def open(self, trigger_id: str, turn: Turn, command: str, dm: Any) -> None:
        """Open a modal with the flow the command starts (or the problem, such as an unknown receipt code); the
        same flow left half-way in an earlier form goes on where it was."""
        running = await self._conversation.waiting(turn)
        if running is not None and running[0]["flow"] == command.strip().lower():  # not 'aanvullen <another code>'
            flow, question = running[0]["flow"], running[1]
            view = page(flow, [Reply(RESUMED.format(flow=msg.FLOW_TITLES.get(flow, flow))), question], running)
            await self._client.views_open(trigger_id=trigger_id, view=view)
            return
        await self._conversation.forget(turn)  # another flow starts afresh; a confirmation still kept is shown
        replies = await self._conversation.handle(replace(turn, text=command))
        waiting = await self._conversation.waiting(turn)
        flow = waiting[0]["flow"] if waiting else _flow_of(command)
        await self._client.views_open(trigger_id=trigger_id, view=page(flow, replies, waiting))
        if waiting is None and any(reply.settles for reply in replies):
            await dm(replies)  # a confirmation shown again: the DM keeps it too
            await self._conversation.settle(turn, replies)

    async def submit(self, turn: Turn, view: dict[str, Any], ack: Any, dm: Any) -> None:
        """A page submitted: errors at the field, the next page, or, on sending, a waiting page and then the
        result in the modal and in the DM. Slack gets its answer within ACK_BUDGET seconds whatever happens: when
        the step takes longer, a waiting page now and the step's page in place once it is there."""
        work = asyncio.ensure_future(self._step(turn, view))
        try:
            answer, after = await asyncio.wait_for(asyncio.shield(work), ACK_BUDGET)
        except TimeoutError:
            log.warning("a form step took longer than %.1f s; Slack was answered with a waiting page", ACK_BUDGET)
            busy = blocks.modal(title_of(view.get("private_metadata")), [Reply(BUSY)], closing=True)
            await ack(response_action="update", view=busy)
            try:
                answer, after = await work
            except Exception:
                log.exception("a form step failed")
                answer, after = {"view": failed(view)}, None
            await self._client.views_update(view_id=view["id"], view=answer.get("view") or answer["late"])
        except Exception:
            log.exception("a form step failed")
            await ack(response_action="update", view=failed(view))
            return
        else:
            await ack(**{key: value for key, value in answer.items() if key != "late"})
        if after is not None:
            await after(dm)

    async def _step(self, turn: Turn, view: dict[str, Any]) -> tuple[dict[str, Any], Any]:
        """What a submitted page leads to: Slack's answer (errors or the next page; `late` is the page to show
        when the errors can no longer go to the field) and the work that follows it, if any."""
        waiting = await self._conversation.waiting(turn)
        form = view.get("private_metadata")
        if waiting is None or (form and form != waiting[0]["flow"]):
            # Nothing runs, or another flow started in a newer form since: this page answers nothing any more.
            return {"response_action": "update", "view": page(form, [Reply(EXPIRED)], None)}, None
        state, question = waiting
        values = (view.get("state") or {}).get("values") or {}
        answer = blocks.read_answer(values, question.choices)
        if answer is None:
            person = question.people_picker
            missing = {blocks.TYPED_BLOCK: MISSING_PERSON} if person else {blocks.ANSWER_BLOCK: MISSING_ANSWER}
            problem = MISSING_PERSON if person else MISSING_ANSWER
            return _errors(missing, page(state["flow"], [Reply(problem), question], waiting)), None
        _, channel, user_id = people.identify(answer)
        if channel == "slack" and user_id and user_id == blocks.read_picked(values):
            # Picked in the user select (never typed): with their name, as Slack knows it.
            said = replace(turn, picked=await picked(self._names, user_id))
            answer = said.picked or answer
        elif any(choice.value == answer for choice in question.choices):
            said = replace(turn, value=answer)
        else:
            said = replace(turn, text=answer)
        if state.get("at") == CONFIRM and answer in SEND_VALUES:
            # Filing takes a moment (the receipt code is hashed): Slack gets its answer now, the result follows.
            sending = blocks.modal(title_of(state["flow"]), [Reply(SENDING)], closing=True)

            async def finish(dm: Any) -> None:
                """File the flow and show its result."""
                await self._finish(said, state["flow"], view, dm)

            return {"response_action": "update", "view": sending}, finish
        replies = await self._conversation.handle(said)
        after = await self._conversation.waiting(turn)
        problem = next((reply.problem for reply in replies if reply.problem), None)
        if after is not None and problem:
            field = blocks.TYPED_BLOCK if question.people_picker else blocks.ANSWER_BLOCK
            return _errors({field: problem[:2000]}, page(state["flow"], replies, after)), None
        shown = {"response_action": "update", "view": page(state["flow"], replies, after)}
        if after is not None:
            return shown, None

        async def ended(dm: Any) -> None:
            """Send the result to the DM, then settle it."""
            await self._ended(turn, replies, dm)

        return shown, ended

    async def press(self, turn: Turn, view: dict[str, Any], value: str, dm: Any) -> None:
        """A button inside the modal (change or stop on the summary): the page it leads to, in place."""
        waiting = await self._conversation.waiting(turn)
        flow = waiting[0]["flow"] if waiting else view.get("private_metadata")
        replies = await self._conversation.handle(replace(turn, value=value)) if waiting else [Reply(EXPIRED)]
        after = await self._conversation.waiting(turn) if waiting else None
        await self._client.views_update(view_id=view["id"], hash=view.get("hash"), view=page(flow, replies, after))
        if waiting is not None and after is None:
            await self._ended(turn, replies, dm)

    async def closed(self, turn: Turn, dm: Any) -> None:
        """The user closed the modal: a flow still running is dropped, and the DM says nothing was sent."""
        waiting = await self._conversation.waiting(turn)
        if waiting is None or not await self._conversation.forget(turn):
            return
        flow = waiting[0]["flow"]
        command = flow if flow != "aanvullen" else "aanvullen <ontvangstcode>"
        await dm([Reply(CLOSED.format(flow=msg.FLOW_TITLES.get(flow, flow), command=command))])

    async def _finish(self, turn: Turn, flow: str, view: dict[str, Any], dm: Any) -> None:
        """File the flow and show the result; a failure says so in the modal, with the answers still kept."""
        try:
            replies = await self._conversation.handle(turn)
        except Exception:
            log.exception("sending a flow from a Slack modal failed")
            replies = [Reply(msg.TURN_ERROR)]
        after = await self._conversation.waiting(turn)
        if after is not None:  # nothing was filed: the summary waits again below the reason
            replies = [*replies, after[1]]
        await self._client.views_update(view_id=view["id"], view=page(flow, replies, after))
        if after is None:
            await self._ended(turn, replies, dm)

    async def _ended(self, turn: Turn, replies: list[Reply], dm: Any) -> None:
        """A flow that ended in the modal: a result goes to the DM too, and is then settled."""
        if any(reply.settles for reply in replies):
            await dm(replies)
            await self._conversation.settle(turn, replies)


def failed(view: dict[str, Any]) -> dict[str, Any]:
    """The page after a step that failed on our side: said plainly; the answers so far stay stored for a retry."""
    return blocks.modal(title_of(view.get("private_metadata")), [Reply(STEP_FAILED)], closing=True)


def _errors(errors: dict[str, str], late: dict[str, Any]) -> dict[str, Any]:
    """Slack's answer that shows problems at their fields, with the page to show instead when it comes late."""
    return {"response_action": "errors", "errors": errors, "late": late}


def _flow_of(command: str) -> str | None:
    """The flow a command names, for the title of a modal that shows only a problem."""
    word = command.split()[0].lower() if command.split() else ""
    return word if word in TITLES else None
