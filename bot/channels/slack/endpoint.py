"""POST /slack/events: slack-bolt's AsyncApp behind aiohttp; the signature is checked before anything runs."""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable
from typing import Any

from aiohttp import ClientError, ClientSession, ClientTimeout, web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.async_app import AsyncApp
from slack_bolt.authorization import AuthorizeResult
from slack_bolt.logger.messages import warning_client_prioritized_and_token_skipped, warning_token_skipped
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_async_handlers import AsyncRateLimitErrorRetryHandler, async_default_handlers
from slack_sdk.signature import SignatureVerifier
from slack_sdk.web.async_client import AsyncWebClient

from bot.channels.slack import blocks, polls, shapes
from bot.channels.slack.authorization import BotIdentity
from bot.channels.slack.bot import COMMAND, SlackBot
from bot.channels.slack.identity import org_resolver, slack_error
from bot.channels.slack.replay import ReplayGuard
from bot.conversation.dispatch import Conversation
from bot.settings import Settings
from bot.vocabulary import messages as msg
from bot.vocabulary.turns import Reply

log = logging.getLogger(__name__)

API_TIMEOUT = 10  # seconds for one Web API call: a hanging Slack must not hold a turn for ever


def web_session() -> ClientSession:
    """The session of the Web API clients: trust_env, so HTTPS_PROXY, HTTP_PROXY and NO_PROXY are honoured per URL
    (slack_sdk's own per-call session ignores them); each call bounded by API_TIMEOUT, as slack_sdk's was."""
    return ClientSession(timeout=ClientTimeout(total=API_TIMEOUT), trust_env=True)


def web_client(settings: Settings, session: ClientSession, with_token: bool = True, **options: Any) -> AsyncWebClient:
    """A Slack Web API client on the given session, its proxy chosen by the session from the environment; with the
    bot token unless `with_token` is false."""
    client = AsyncWebClient(
        token=settings.slack_bot_token if with_token else None,
        base_url=settings.slack_api_url,
        timeout=API_TIMEOUT,
        session=session,
        trust_env_in_session=True,
        **options,
    )
    # slack_sdk copies HTTPS_PROXY (else HTTP_PROXY) into `proxy` for every URL and ignores NO_PROXY; without it,
    # the session picks the proxy per URL from the same variables, NO_PROXY included.
    client.proxy = None
    return client


# bolt reads SLACK_BOT_TOKEN from the environment by itself, whatever it is given, and then warns that the variable
# goes unused; the service names its token the same and hands it to bolt through `authorize`, so the notice is
# always wrong here. Only these two texts are dropped.
TOKEN_NOTICES = frozenset({warning_client_prioritized_and_token_skipped(), warning_token_skipped()})


class _NoTokenNotice(logging.Filter):
    """Drops bolt's notice that SLACK_BOT_TOKEN is unused."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Whether the record is kept."""
        return record.getMessage() not in TOKEN_NOTICES


_BOLT_LOG = logging.getLogger("slack_bolt.AsyncApp")
_BOLT_LOG.addFilter(_NoTokenNotice())


def bolt_app(signing_secret: str, client: AsyncWebClient, identity: BotIdentity) -> AsyncApp:
    """slack-bolt's app. The token comes through `authorize`, which never calls Slack: bolt's own single-workspace
    authorization calls auth.test before the first request is acknowledged, so a slow or unreachable Slack would
    cost that request Slack's 3 seconds, or fail it."""

    async def authorize(enterprise_id: str | None, team_id: str | None, user_id: str | None) -> AuthorizeResult:
        """bolt's `authorize` (its arguments picked by name): the bot token and the bot's ids known so far."""
        return identity.result(enterprise_id, team_id, user_id)

    return AsyncApp(
        client=client,  # without a token: each request's client gets it from `authorize`
        signing_secret=signing_secret,
        authorize=authorize,
        process_before_response=False,  # ack first, then work: Slack's 3 seconds hold however slow the rest is
        raise_error_for_unhandled_request=False,
    )


class SlackEndpoint:
    """Slack's one route: slash commands, interactivity and events, acknowledged at once, worked on after."""

    def __init__(self, settings: Settings, conversation: Conversation) -> None:
        # Answers to a user wait out a short rate limit in place; the outbox has its own client, as it waits out
        # Slack's Retry-After between rounds instead of holding a worker.
        self._session = web_session()
        self.client = web_client(
            settings,
            self._session,
            retry_handlers=[*async_default_handlers(), AsyncRateLimitErrorRetryHandler(max_retry_count=2)],
        )
        self.outbox_client = web_client(settings, self._session)
        self.identity = BotIdentity(settings.slack_bot_token, self.client)
        template = web_client(settings, self._session, with_token=False)  # bolt copies it for each request's client
        self.app = bolt_app(settings.slack_signing_secret, template, self.identity)
        self._verifier = SignatureVerifier(settings.slack_signing_secret)
        self._replays = ReplayGuard()
        self.bot = SlackBot(conversation, self.client, org_resolver(settings.slack_teams, settings.org))
        self._register()

    def _register(self) -> None:
        bot, app = self.bot, self.app

        @app.command(COMMAND)
        async def command(ack: Any, command: dict[str, Any], respond: Any) -> None:
            """The slash command."""
            await ack()
            await guarded("slash command", bot.on_command(command, respond), respond=respond)

        @app.event("message")
        async def message(event: dict[str, Any], context: Any) -> None:
            """A message event (the DM with the bot)."""
            dm = bot.dm_sender(event.get("user") or "", event.get("channel"))
            await guarded("message", bot.on_message(event, context), dm=dm)

        @app.event("app_mention")
        async def mention(event: dict[str, Any], context: Any) -> None:
            """An @mention in a channel."""
            await guarded("mention", bot.on_mention(event, context))

        @app.action(re.compile(rf"^(?:{blocks.CHOICE_ACTION}:\d+|{blocks.PICK_ACTION})$"))
        async def choice(ack: Any, body: dict[str, Any], action: dict[str, Any], respond: Any) -> None:
            """A reply's button or the users select in a message."""
            await ack()
            await guarded("button", bot.on_choice(body, action, respond), respond=respond)

        @app.action(re.compile(rf"^{blocks.NOTIFY_ACTION}:[a-z-]+$"))
        async def notify(ack: Any, body: dict[str, Any], action: dict[str, Any], respond: Any) -> None:
            """A button on a notification."""
            await ack()
            await guarded("notification button", bot.on_notify(body, action, respond), respond=respond)

        @app.action(re.compile(rf"^(?:{polls.VOTE_ACTION}:\d+|{polls.CLOSE_ACTION})$"))
        async def poll(ack: Any, body: dict[str, Any], action: dict[str, Any], respond: Any) -> None:
            """A vote or close on a dilemma poll in a channel."""
            await ack()
            await guarded("dilemma button", bot.on_poll(body, action, respond), respond=respond)

        @app.action(re.compile(rf"^{blocks.MODAL_CHOICE_ACTION}:\d+$"))
        async def modal_button(ack: Any, body: dict[str, Any], action: dict[str, Any]) -> None:
            """A button inside a modal."""
            await ack()
            await guarded("form button", bot.on_modal_button(body, action))

        @app.action(re.compile(".*"))
        async def other_action(ack: Any) -> None:
            """Any other action: acknowledged, nothing to do."""
            await ack()  # a select in a form, or a link button: nothing to do until the form is sent

        @app.view(blocks.MODAL_CALLBACK)
        async def submit(ack: Any, body: dict[str, Any], view: dict[str, Any]) -> None:
            """A modal page submitted."""
            await guarded("form", bot.on_submit(body, view, ack))  # the form answers its own failures

        @app.view_closed(blocks.MODAL_CALLBACK)
        async def closed(ack: Any, body: dict[str, Any]) -> None:
            """A modal closed."""
            await ack()
            await guarded("closed form", bot.on_closed(body))

        @app.error
        async def failed(error: Exception, body: dict[str, Any], respond: Any = None) -> None:
            """An error bolt caught outside the listeners."""
            # Logged with its trace for operators; the user hears it in Dutch, without details, where possible.
            log.error("Slack request failed: %s", _what(body), exc_info=error)
            if respond is not None and (body.get("response_url") or body.get("response_urls")):
                try:
                    await respond(text=msg.TURN_ERROR, response_type="ephemeral", replace_original=False)
                except Exception:
                    log.warning("could not tell the Slack user that the request failed")

    async def handle(self, request: web.Request) -> web.StreamResponse:
        """Check the request (signature, then shape), hand it to bolt, and bolt's answer back to aiohttp."""
        try:
            bolt_request = await to_bolt_request(request)
        except (ValueError, TypeError, AttributeError) as exc:  # a body bolt cannot read (before any signature check)
            log.warning("Slack request refused: unreadable body (%s)", type(exc).__name__)
            return web.json_response({"error": "bad request"}, status=400)
        if not self._verifier.is_valid_request(bolt_request.raw_body, request.headers):
            # Bolt checks it too, first of all; checked here as well so an unsigned body is never read further.
            log.warning("Slack request refused: signature missing, wrong or stale")
            return web.json_response({"error": "invalid request"}, status=401)
        if not self._replays.first_time(
            request.headers.get("X-Slack-Request-Timestamp", ""), request.headers.get("X-Slack-Signature", "")
        ):
            # A copy of a request already handled (Slack never signs two requests alike): acknowledged, so nothing
            # retries it, and nothing of it is done again.
            log.warning("Slack request ignored: a replay of a signed request already handled")
            return web.Response(status=200)
        wrong = shapes.problem(bolt_request.body)
        if wrong is not None:  # signed, but not a shape bolt and the bot can read: nothing of it is acted on
            log.warning("Slack request refused: %s", wrong)
            return web.json_response({"error": "bad request"}, status=400)
        try:
            response = await self.app.async_dispatch(bolt_request)
        except (KeyError, TypeError, ValueError) as exc:  # a payload that lacks what its type needs
            # The type only: the message of a ValueError may quote what the user typed.
            log.warning("Slack request refused: malformed payload (%s)", type(exc).__name__)
            return web.json_response({"error": "bad request"}, status=400)
        except Exception:
            log.exception("Slack request could not be handled")
            return web.json_response({"error": "internal error"}, status=500)
        if response.status >= 400:
            log.warning("Slack request answered %s (%s)", response.status, _why(response.status))
        return await to_aiohttp_response(response)

    def start(self) -> None:
        """Ask Slack who the bot is, in the background (at start-up: no request waits on it)."""
        self.identity.start()

    async def close(self) -> None:
        """Stop what still runs towards Slack and close the Web API clients' session."""
        await self.identity.close()
        await self._session.close()


async def guarded(what: str, work: Awaitable[None], *, respond: Any = None, dm: Any = None) -> None:
    """Run a listener's work after its ack: a failure is logged with its trace and told to the user in Dutch
    (only to them, or in the DM), never raised to bolt, which would take back an ack already given. Slack not
    answering is no bug: one line, no trace (telling the user would go through Slack as well)."""
    try:
        await work
    except (ClientError, TimeoutError) as exc:
        log.error("Slack %s: the answer could not be posted: Slack cannot be reached (%s)", what, type(exc).__name__)
        return
    except SlackApiError as exc:
        log.error("Slack %s: the answer could not be posted: Slack refused it (%s)", what, slack_error(exc))
        return
    except Exception:
        log.exception("Slack %s failed", what)
        try:
            if respond is not None:
                await respond(text=msg.TURN_ERROR, response_type="ephemeral", replace_original=False)
            elif dm is not None:
                await dm([Reply(msg.TURN_ERROR)])
        except Exception:
            log.warning("could not tell the Slack user that the %s failed", what)


def _what(body: dict[str, Any]) -> str:
    """What kind of Slack request failed, without its content."""
    return str(body.get("type") or body.get("command") or (body.get("event") or {}).get("type") or "request")


def _why(status: int) -> str:
    return {401: "signature missing, wrong or stale", 404: "no listener for it"}.get(status, "see above")
