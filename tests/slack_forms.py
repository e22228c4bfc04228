"""A scripted Slack user for modals: reads each page the bot shows and fills it in as a person would."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from tests.flows import DESCRIPTION
from tests.slack_fakes import TEAM, SlackClient, settled

# What a person answers on each kind of page, by what the page asks (first match wins).
CHOICES = [
    ("Is die persoon zelf betrokken", "Nee"),
    ("strafbaar feit", "Nee"),
    ("Wil je je naam", "Anoniem"),
    ("anoniem", "Anoniem"),
    ("Wat wil je melden", "Een schending van regels"),
    ("Wie gaf", "Een leverancier"),
    ("Nee, bedankt", "Vertrouwenspersoon"),  # the adviser flow: ask the vertrouwenspersoon for contact
]
TYPED = [
    ("Wat is er gebeurd", DESCRIPTION),
    ("bewijs", "overslaan"),
    ("Hoe heet je", "Lies Janssens"),
    ("waarde", "25 euro"),
    ("Hoeveel", "25 euro"),
    ("Wie ", "Bouwbedrijf Peeters"),
    ("bereiken", "via Slack na 16 uur"),
]


def answer_for(page: str, rules: list[tuple[str, str]], default: str | None) -> str | None:
    """The scripted answer for a page: the first rule whose words the page contains, else the default."""
    return next((answer for asked, answer in rules if asked.lower() in page.lower()), default)


def inputs(view: dict[str, Any]) -> list[dict[str, Any]]:
    """The input blocks of a modal page."""
    return [block for block in view.get("blocks", []) if block.get("type") == "input"]


def page_text(view: dict[str, Any]) -> str:
    """Everything a modal page says, as one string."""
    return json.dumps(view.get("blocks", []), ensure_ascii=False)


def options(block: dict[str, Any]) -> list[dict[str, Any]]:
    """The options of a radio or select input."""
    return block["element"].get("options", [])


def pick(block: dict[str, Any], label: str) -> dict[str, Any]:
    """The option whose text starts with `label` (else contains it), as Slack reports a selection."""
    wanted = label.lower()
    found = [o for o in options(block) if o["text"]["text"].lower().startswith(wanted)] or [
        o for o in options(block) if wanted in o["text"]["text"].lower()
    ]
    assert found, f"no option {label!r} in {[o['text']['text'] for o in options(block)]}"
    return found[0]


def state_for(view: dict[str, Any], answer: str | None, person: str | None = None) -> dict[str, Any]:
    """The `state.values` Slack sends for a page answered with `answer` (an option label or typed text), or with
    a person picked in the users select."""
    values: dict[str, Any] = {}
    for block in inputs(view):
        element = block["element"]
        kind, action = element["type"], element["action_id"]
        if kind in ("radio_buttons", "static_select"):
            selected = pick(block, answer) if answer is not None else None
            values[block["block_id"]] = {action: {"type": kind, "selected_option": selected}}
        elif kind == "users_select":
            values[block["block_id"]] = {action: {"type": kind, "selected_user": person}}
        elif kind == "plain_text_input":
            typed = None if person is not None else answer
            values[block["block_id"]] = {action: {"type": kind, "value": typed}}
    return values


@dataclass
class Form:
    """One user's modal: the page shown now, answered page by page over signed view_submission payloads."""

    slack: SlackClient
    user: str = "UEMPLOYEE"
    view: dict[str, Any] = field(default_factory=dict)
    view_id: str = "V1"
    acks: list[dict[str, Any]] = field(default_factory=list)

    async def open(self, command: str) -> dict[str, Any]:
        """/integriteit <command>; waits for views.open and keeps its page."""
        before = len(self.slack.fake.of("views.open"))
        status, _ = await self.slack.command(command, user=self.user)
        assert status == 200
        await settled(lambda: len(self.slack.fake.of("views.open")) > before)
        opened = self.slack.fake.of("views.open")[-1]
        self.view = opened["view"]
        self.view_id = f"V{len(self.slack.fake.of('views.open')) + len(self.slack.fake.of('views.update'))}"
        return self.view

    async def submit(self, answer: str | None = None, person: str | None = None) -> dict[str, Any]:
        """Submit the page; returns the ack's body (response_action update or errors) and keeps the new page."""
        payload = {
            "type": "view_submission",
            "user": {"id": self.user, "team_id": TEAM},
            "view": {
                **self.view,
                "id": self.view_id,
                "hash": "h",
                "state": {"values": state_for(self.view, answer, person)},
            },
        }
        status, body = await self.slack.interact(payload)
        assert status == 200, body
        ack = json.loads(body) if body else {}
        self.acks.append(ack)
        if ack.get("response_action") == "update":
            self.view = ack["view"]
        return ack

    async def press(self, label: str) -> dict[str, Any]:
        """Press a button inside the modal; waits for views.update and keeps its page."""
        for block in self.view.get("blocks", []):
            for element in block.get("elements", []) if block.get("type") == "actions" else []:
                if label.lower() in element["text"]["text"].lower():
                    before = len(self.slack.fake.of("views.update"))
                    payload = {
                        "type": "block_actions",
                        "user": {"id": self.user, "team_id": TEAM},
                        "container": {"type": "view", "view_id": self.view_id},
                        "view": {**self.view, "id": self.view_id, "hash": "h"},
                        "actions": [{**element, "action_ts": "1"}],
                    }
                    status, _ = await self.slack.interact(payload)
                    assert status == 200
                    await settled(lambda count=before: len(self.slack.fake.of("views.update")) > count)
                    self.view = self.slack.fake.of("views.update")[-1]["view"]
                    return self.view
        raise AssertionError(f"no button {label!r} on the page {page_text(self.view)[:400]}")

    def kind(self) -> str:
        """What the page asks for: choice, text, person, summary or end."""
        fields = inputs(self.view)
        if not fields:
            return "summary" if self.view.get("submit") else "end"
        types = {block["element"]["type"] for block in fields}
        if "users_select" in types:
            return "person"
        return "choice" if types & {"radio_buttons", "static_select"} else "text"

    def labels(self) -> list[str]:
        """The option labels of a choice page."""
        return [o["text"]["text"] for block in inputs(self.view) for o in options(block)]

    async def fill(
        self, person: str = "UMANAGER", choices: list[tuple[str, str]] = CHOICES, until: str | None = None
    ) -> None:
        """Answer page after page as the scripts say until the summary, the end, or a page that says `until`;
        an inline error fails."""
        for _ in range(30):
            kind, page = self.kind(), page_text(self.view)
            if kind in ("summary", "end") or (until and until in page):
                return
            if kind == "choice":
                ack = await self.submit(answer_for(page, choices, self.labels()[0]))
            elif kind == "person":
                ack = await self.submit(person=person)
            else:
                ack = await self.submit(answer_for(page, TYPED, "vorige week"))
            assert ack.get("response_action") != "errors", f"unexpected error {ack['errors']} on {page[:600]}"
        raise AssertionError("the flow did not reach its summary")
