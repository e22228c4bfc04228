"""Proactive turns in a person's 1:1 Teams chat, opened anew or known already; the work's errors are raised."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from botbuilder.core import TurnContext
from botbuilder.integration.aiohttp import CloudAdapter
from botbuilder.schema import ChannelAccount, ConversationParameters, ConversationReference

Work = Callable[[TurnContext], Awaitable[None]]


async def _run(start: Callable[[Work], Awaitable[object]], work: Work) -> str:
    """Run `work` in a proactive turn and return its conversation id. Errors inside a proactive turn go to the
    adapter's turn-error handler, so they are kept here and raised to the caller instead."""
    failures: list[Exception] = []
    conversation: list[str] = []

    async def logic(context: TurnContext) -> None:
        conversation.append(context.activity.conversation.id)
        try:
            await work(context)
        except Exception as exc:
            failures.append(exc)

    await start(logic)
    if failures:
        raise failures[0]
    return conversation[0] if conversation else ""


async def open_chat(
    adapter: CloudAdapter,
    app_id: str,
    bot_id: str,
    member: ChannelAccount,
    tenant: str | None,
    service_url: str,
    work: Work,
) -> str:
    """Open (or, in Teams, reuse) the member's 1:1 chat, run `work` in it, and return the chat's id."""
    parameters = ConversationParameters(
        is_group=False,
        bot=ChannelAccount(id=bot_id),
        members=[member],
        tenant_id=tenant,
        channel_data={"tenant": {"id": tenant}} if tenant else None,
    )

    async def start(logic: Work) -> object:
        return await adapter.create_conversation(app_id, logic, parameters, "msteams", service_url, None)

    return await _run(start, work)


async def in_chat(adapter: CloudAdapter, app_id: str, reference: ConversationReference, work: Work) -> None:
    """Run `work` in a conversation the bot knows: a 1:1 chat, or a team channel for a dilemma."""

    async def start(logic: Work) -> object:
        return await adapter.continue_conversation(reference, logic, app_id)

    await _run(start, work)
