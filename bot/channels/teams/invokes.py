"""Invoke responses Teams accepts, in Dutch: card actions, health checks, and the features the bot does not use."""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from botbuilder.core import InvokeResponse

CARD_ACTION = "adaptiveCard/action"
HEALTH_CHECK = "healthCheck"

RECEIVED = "Ontvangen. Mijn antwoord staat in de chat."
NO_CHOICE = "Deze knop stuurt geen keuze mee. Typ je vraag of opdracht gewoon in de chat."
NO_TASK_MODULE = "Deze bot gebruikt geen pop-upvensters. Typ je vraag gewoon in de chat met Integriteitsbot."
NO_MESSAGE_EXTENSION = "Integriteitsbot werkt niet vanuit het berichtvak. Stel je vraag in een chat met de bot."
NO_SIGN_IN = "Integriteitsbot vraagt geen aanmelding."
UNKNOWN = "Integriteitsbot kent deze actie niet."


def card_action_value(value: object) -> str | None:
    """The choice an Adaptive Card button sends: `action.data.action` (Action.Execute) or `data.action`."""
    if not isinstance(value, dict):
        return None
    action = value.get("action")
    data = action.get("data") if isinstance(action, dict) else value.get("data")
    choice = data.get("action") if isinstance(data, dict) else None
    return choice if isinstance(choice, str) and choice.strip() else None


def notification_action(value: object) -> tuple[str, str, str, str | None] | None:
    """(kind, reference, verb, text) of an Action.Execute on a notification card, if this invoke is one."""
    action = value.get("action") if isinstance(value, dict) else None
    data = action.get("data") if isinstance(action, dict) else None
    if not isinstance(data, dict) or not isinstance(data.get("notify"), str):
        return None
    verb, reference, text = action.get("verb"), data.get("reference"), data.get("tekst")
    if not isinstance(verb, str) or not isinstance(reference, str):
        return None
    return data["notify"], reference, verb, text if isinstance(text, str) else None


def card_update(card: dict[str, Any]) -> InvokeResponse:
    """An Adaptive Card invoke response that replaces the card the user acted on."""
    body = {"statusCode": 200, "type": "application/vnd.microsoft.card.adaptive", "value": card}
    return InvokeResponse(status=HTTPStatus.OK, body=body)


def card_message(text: str) -> InvokeResponse:
    """An Adaptive Card invoke response that shows the user a short message."""
    body = {"statusCode": 200, "type": "application/vnd.microsoft.activity.message", "value": text}
    return InvokeResponse(status=HTTPStatus.OK, body=body)


def card_error(text: str) -> InvokeResponse:
    """An Adaptive Card invoke response for a bad request, with a Dutch reason."""
    body = {
        "statusCode": 400,
        "type": "application/vnd.microsoft.error",
        "value": {"code": "BadRequest", "message": text},
    }
    return InvokeResponse(status=HTTPStatus.BAD_REQUEST, body=body)


def _task_message(text: str) -> InvokeResponse:
    return InvokeResponse(status=HTTPStatus.OK, body={"task": {"type": "message", "value": text}})


def _compose_message(text: str) -> InvokeResponse:
    body = {"composeExtension": {"type": "message", "text": text}}
    return InvokeResponse(status=HTTPStatus.OK, body=body)


def _token_exchange_refused(value: object) -> InvokeResponse:
    value = value if isinstance(value, dict) else {}
    body: dict[str, Any] = {
        "id": value.get("id") if isinstance(value.get("id"), str) else "",
        "connectionName": value.get("connectionName") if isinstance(value.get("connectionName"), str) else "",
        "failureDetail": NO_SIGN_IN,
    }
    # 412 is how a bot declines Teams single sign-on; Teams then stops trying.
    return InvokeResponse(status=HTTPStatus.PRECONDITION_FAILED, body=body)


def other_invoke(name: str, value: object) -> InvokeResponse:
    """The answer to every invoke except a card action: a 200 Teams shows, or a 4xx with a reason."""
    if name == HEALTH_CHECK:
        return InvokeResponse(status=HTTPStatus.OK, body={"healthResults": {"success": True}})
    if name.startswith("task/") or name == "composeExtension/fetchTask":
        return _task_message(NO_TASK_MODULE)
    if name.startswith("composeExtension/"):
        return _compose_message(NO_MESSAGE_EXTENSION)
    if name == "signin/tokenExchange":
        return _token_exchange_refused(value)
    if name.startswith("signin/"):
        return InvokeResponse(status=HTTPStatus.OK)
    return InvokeResponse(status=HTTPStatus.BAD_REQUEST, body={"error": UNKNOWN})


def failed_invoke(name: str, text: str) -> InvokeResponse:
    """The answer to an invoke whose turn failed: tell the user in the shape the invoke expects."""
    if name == CARD_ACTION:
        return card_message(text)
    return other_invoke(name, None)
