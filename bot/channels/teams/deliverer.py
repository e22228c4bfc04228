"""The outbox's Teams deliverer: a notification card as a proactive message in the recipient's 1:1 chat."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from botbuilder.core import CardFactory, MessageFactory, TurnContext
from botbuilder.integration.aiohttp import CloudAdapter
from botbuilder.schema import Activity, ChannelAccount, ConversationAccount, ConversationReference
from msrest.exceptions import HttpOperationError

from bot.channels.teams.adaptive import ROW_LABEL_MAX, facts, link_row
from bot.channels.teams.markdown import card_markdown
from bot.channels.teams.proactive import in_chat, open_chat
from bot.delivery.outbox import Undeliverable
from bot.storage.outbox_rows import tag
from bot.storage.store import Store
from bot.vocabulary.turns import Choice

log = logging.getLogger(__name__)

CARD_VERSION = "1.5"
TEXT_INPUT = "tekst"
TEXT_LABEL = "Je bericht aan de melder (voor een vraag of de terugkoppeling)"
TEXT_PLACEHOLDER = "Nodig voor 'Vraag stellen' en 'Afsluiten'"
REMARK_LABEL = "Opmerking bij je beslissing (niet verplicht)"
NOT_INSTALLED = (403, 404)  # what the connector answers when the bot may not open a chat with someone


class NotReachable(LookupError):
    """The recipient cannot be reached in Teams now (no Teams id, or no known tenant for the organisation)."""


def notification_card(card: dict[str, Any], addressee: str | None = None) -> dict[str, Any]:
    """An Adaptive Card for a neutral notification card; its buttons send their value back as a chat command.
    For the addressee, Teams refreshes a card with actions when it is shown, so it always tells where things stand."""
    body: list[dict[str, Any]] = [
        {"type": "TextBlock", "text": card["title"], "weight": "Bolder", "size": "Medium", "wrap": True},
        {"type": "TextBlock", "text": card_markdown(card["body"]), "wrap": True},
    ]
    if card.get("facts"):
        body.append(facts(card["facts"]))  # plain text, often typed by a user: no link, no emphasis
    actions = [
        {"type": "Action.Submit", "title": action["label"], "data": {"action": action["value"]}}
        for action in card.get("actions", [])
    ]
    if any(len(action["title"]) > ROW_LABEL_MAX for action in actions):
        # A long label is cut in a row of buttons ('Ik heb de code gel…'): each gets a full-width row of its own.
        body += [{"type": "ActionSet", "actions": [action]} for action in actions]
        actions = []
    # Links (a section of the code to read) are lines that wrap and can be tapped, under the buttons.
    body += [link_row(Choice(link["label"], link["value"])) for link in card.get("links", [])]
    context = card.get("context") or {}
    verbs = card.get("verbs") or []
    if actions and verbs:
        # Four buttons in one row are cut at Teams' width ('Vraag ste…'): the card's own buttons get a row of their
        # own under what it says, and the verbs a row under the field they use.
        body.append({"type": "ActionSet", "actions": actions})
        actions = []
    if any(verb["needs_text"] for verb in verbs):
        body.append(
            {
                "type": "Input.Text",
                "id": TEXT_INPUT,
                "label": TEXT_LABEL,
                "placeholder": TEXT_PLACEHOLDER,
                "isMultiline": True,
                "maxLength": 2000,
            }
        )
    elif verbs and context.get("kind") == "gift":  # a manager may add a remark to a decision
        body.append(
            {"type": "Input.Text", "id": TEXT_INPUT, "label": REMARK_LABEL, "isMultiline": True, "maxLength": 500}
        )
    # Action.Execute comes back as an adaptiveCard/action invoke; the answer replaces the card in place.
    actions += [
        {
            "type": "Action.Execute",
            "title": verb["label"],
            "verb": verb["verb"],
            "data": {"notify": context.get("kind"), "reference": context.get("reference")},
        }
        for verb in verbs
    ]
    adaptive: dict[str, Any] = {
        "type": "AdaptiveCard",
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "version": CARD_VERSION,
        "fallbackText": f"{card['title']}. {card['body']}",
        "body": body,
    }
    if actions:
        adaptive["actions"] = actions
    if addressee and context.get("kind"):
        refresh = {"notify": context.get("kind"), "reference": context.get("reference")}
        adaptive["refresh"] = {
            "action": {"type": "Action.Execute", "verb": "refresh", "data": refresh},
            "userIds": [addressee],
        }
    return adaptive


def notification_activity(card: dict[str, Any], addressee: str | None = None) -> Activity:
    """The message activity that carries a notification card, with its title as the text fallback."""
    activity = MessageFactory.attachment(CardFactory.adaptive_card(notification_card(card, addressee)))
    activity.summary = card["title"]
    activity.text = card["title"]
    return activity


class TeamsDeliverer:
    """Sends outbox rows to their recipient's Teams chat: the stored 1:1 chat when there is one, else a new one
    created with the recipient's Azure AD object id (the app must be installed for them, e.g. org-wide)."""

    def __init__(
        self,
        adapter: CloudAdapter,
        app_id: str,
        store: Store,
        tenants: dict[str, str],
        service_url: str | None = None,
        staff: Callable[[str, str], bool] | None = None,
    ) -> None:
        self._adapter = adapter
        self._app_id = app_id
        self._store = store
        # Whose chat may be remembered: people of the contacts file only. An employee who hears news of their own
        # report, or a leidinggevende they picked, is reached anew each time, so no row says they were ever reached.
        self._staff = staff or (lambda org, aad: False)
        self._tenant_of_org = {org: tenant for tenant, org in tenants.items()}
        self._service_url = service_url

    async def _where(self, org: str) -> tuple[str, str]:
        """The tenant and service URL to reach an organisation's people through."""
        seen = await self._store.tenant_of_org(org)
        tenant = self._tenant_of_org.get(org) or (seen.tenant_id if seen else None)
        service_url = (seen.service_url if seen is not None and seen.tenant_id == tenant else None) or self._service_url
        if not tenant or not service_url:
            raise NotReachable(f"no Teams tenant known yet for {org}: nobody of it has talked to the bot")
        return tenant, service_url

    async def deliver(self, row: Any) -> None:
        """Deliver one outbox row; raises when it could not, so the outbox retries it."""
        aad = row.recipient.get("teams_aad_id")
        if not aad:
            raise NotReachable("the recipient has no Teams id")
        tenant, service_url = await self._where(row.org)
        activity = notification_activity(row.card, aad)

        async def send(context: TurnContext) -> None:
            await context.send_activity(activity)

        chat = await self._store.chat_of(tenant, aad)
        if chat is not None:
            reference = ConversationReference(
                channel_id="msteams",
                service_url=chat.service_url,
                conversation=ConversationAccount(
                    id=chat.conversation_id, tenant_id=tenant, conversation_type="personal", is_group=False
                ),
                bot=ChannelAccount(id=self._app_id or "bot"),
                user=ChannelAccount(id=aad, aad_object_id=aad),
            )
            await in_chat(self._adapter, self._app_id, reference, send)
        else:
            member = ChannelAccount(id=aad, aad_object_id=aad)
            bot_id = self._app_id or "bot"
            try:
                opened = await open_chat(self._adapter, self._app_id, bot_id, member, tenant, service_url, send)
            except HttpOperationError as exc:
                # msrest keeps the transport's own response: aiohttp's, which names it `status`.
                status = getattr(exc.response, "status_code", None) or getattr(exc.response, "status", None)
                if status in NOT_INSTALLED:  # the app is not installed for them: no retry mends that, e-mail may
                    raise Undeliverable(
                        f"Teams answered {status}: the app is not installed for the recipient"
                    ) from None
                raise
            if opened and self._staff(row.org, aad):
                await self._store.remember_chat(tenant, aad, opened, service_url)
        log.info("notification %s delivered in Teams", tag(row))
