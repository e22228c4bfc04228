"""Report a suspicion: routing per code, implicated recipients, terug/help/stop, changes, anonymity, receipt codes."""

from __future__ import annotations

import logging

import pytest

from bot.cases.deadlines import Terms
from bot.knowledge.packs import CaseKind
from bot.knowledge.routing import destination
from bot.storage import db
from tests.conftest import Chat, reference
from tests.flows import DESCRIPTION, PICKED_MANAGER, all_rows, answer_report, receipt_code, release, rows

# Who each code names first for each kind of report (read from the seeds, see content/<org>/routing.yaml).
FIRST_RECIPIENT = {
    "kortrijk": {"rule_breach": "algemeen-directeur", "behaviour": "preventiedienst", "misuse": "leidinggevende"},
    "putte": {"rule_breach": "diensthoofd", "behaviour": "diensthoofd", "misuse": "diensthoofd"},
    "igo": {"rule_breach": "leidinggevende", "behaviour": "leidinggevende", "misuse": "leidinggevende"},
    "voorbeeldgemeente": {
        "rule_breach": "algemeen-directeur",
        "behaviour": "leidinggevende",
        "misuse": "leidinggevende",
    },
    "vvsg": {"rule_breach": "klachtenmanager", "behaviour": "klachtenmanager", "misuse": "klachtenmanager"},
}
KIND_BUTTONS = {"rule_breach": "schending van regels", "behaviour": "Gedrag tegenover", "misuse": "Misbruik"}


@pytest.mark.parametrize("org", sorted(FIRST_RECIPIENT))
def test_routing_sends_each_kind_to_the_role_the_code_names(content, org):
    pack = content.packs[org]
    for kind, role in FIRST_RECIPIENT[org].items():
        assert destination(pack, kind).role.id == role
    # 'Not sure' goes to where the code sends breaches of rules: the general reporting point.
    assert destination(pack, "unsure").role.id == FIRST_RECIPIENT[org]["rule_breach"]


@pytest.mark.parametrize("org", sorted(FIRST_RECIPIENT))
@pytest.mark.parametrize("kind", sorted(KIND_BUTTONS))
async def test_report_flow_stores_case_and_outbox_row_for_the_coded_role(conversation, store, clock, org, kind):
    chat = Chat(conversation, org)
    summary = await answer_report(chat, KIND_BUTTONS[kind], identity="Met mijn naam", manager=PICKED_MANAGER)
    assert DESCRIPTION in summary
    await chat.press("Melding versturen")
    ref = reference(clock)
    assert f"Referentie: {ref}" in chat.text
    (case,) = await rows(store, db.cases)
    assert (case.org, case.kind, case.status) == (org, kind, "ontvangen")
    assert case.recipient_role == FIRST_RECIPIENT[org][kind]
    assert case.reporter_name == "Lies Janssens" and not case.anonymous
    (note,) = await rows(store, db.outbox)
    assert note.reference == ref and note.recipient_role == case.recipient_role
    # The notification names reference, kind and date, never the description or the reporter.
    card_text = str(note.card)
    assert DESCRIPTION not in card_text and "Lies" not in card_text and f"melding {ref}" in card_text
    assert await rows(store, db.flow_state) == []


async def test_implicated_recipients_are_skipped_in_the_codes_order(conversation, store):
    chat = Chat(conversation, "kortrijk")
    # leidinggevende and directeur are involved (with the name: an anonymous report never goes to the first)
    await answer_report(chat, "Misbruik", identity="Met mijn naam", implicated=2)
    assert "Gaat naar: Algemeen directeur" in chat.text
    await chat.press("Melding versturen")
    (case,) = await rows(store, db.cases)
    assert case.recipient_role == "algemeen-directeur"
    (note,) = await rows(store, db.outbox)
    assert note.recipient_role == "algemeen-directeur" and note.recipient["name"].startswith("Demo")


async def test_everyone_implicated_points_to_the_external_channel_and_stores_nothing(conversation, store):
    chat = Chat(conversation, "putte")
    await chat.say("melden")
    await chat.press("schending van regels")
    await chat.press("Nee")  # not a criminal offence
    await chat.press("Met mijn naam")
    await chat.press("Ja, die persoon")  # diensthoofd
    await chat.press("Ja, die persoon")  # algemeen directeur
    assert "Audit Vlaanderen" in chat.text and "niets bewaard" in chat.text
    assert all(not table_rows for table_rows in (await all_rows(store)).values())


async def test_external_channel_depends_on_the_kind_of_organisation(conversation):
    expected = {"igo": "Vlaamse Ombudsdienst", "kortrijk": "Audit Vlaanderen", "vvsg": "Federale Ombudsman"}
    for org, channel in expected.items():
        chat = Chat(conversation, org)
        await chat.say("melden")
        assert (
            channel in chat.text and "112" in chat.text and "persoonlijk gesprek met de preventieadviseur" in chat.text
        )
        await chat.say("stop")
    vvsg = Chat(conversation, "vvsg")
    await vvsg.say("melden")
    assert "klokkenluiderswet van 28 november 2022" in vvsg.text and "3 maanden" not in vvsg.text


async def test_stop_keeps_nothing(conversation, store):
    chat = Chat(conversation, "igo")
    await chat.say("melden")
    await chat.press("Gedrag")
    await chat.press("Met mijn naam")
    await chat.press("Nee")
    await chat.pick(PICKED_MANAGER)
    await chat.say(DESCRIPTION)
    await chat.say("annuleer")
    assert "niets bewaard" in chat.text
    assert all(not table_rows for table_rows in (await all_rows(store)).values())
    await chat.say("Hoe zit het met geschenken?")  # the conversation goes on as normal
    assert "geschenken" in chat.text.lower()


async def test_terug_help_and_bad_answers(conversation):
    chat = Chat(conversation, "vvsg")
    await chat.say("melden")
    await chat.say("banaan")
    assert "Dat begreep ik niet goed" in chat.text and "Waarover gaat je melding?" in chat.text
    await chat.say("2")  # by number
    assert "naam of anoniem" in chat.text
    await chat.say("anoniem")
    assert "klachtenmanager" in chat.text
    await chat.say("help")
    assert (
        "volgende persoon die ervoor in aanmerking komt" in chat.text and "Is die persoon zelf betrokken" in chat.text
    )
    await chat.say("terug")
    assert "naam of anoniem" in chat.text
    await chat.say("terug")
    assert "Waarover gaat je melding?" in chat.text
    await chat.say("fraude")  # a clear part of an option
    await chat.say("anoniem")
    assert "klachtenmanager" in chat.text
    await chat.say("nee")
    await chat.say("te kort")
    assert "Dat is wat kort (7 tekens)" in chat.text and "Wat is er gebeurd?" in chat.text
    await chat.say("x" * 4001)
    assert "te lang" in chat.text


async def test_change_a_field_from_the_summary(conversation, store):
    chat = Chat(conversation, "kortrijk")
    await answer_report(chat, "schending van regels")
    await chat.press("Iets aanpassen")
    await chat.press("Wanneer")
    await chat.say("op 3 november 2026")
    assert "Wanneer: op 3 november 2026" in chat.text
    # Changing the kind asks again who receives it.
    await chat.press("Iets aanpassen")
    await chat.press("Soort")
    await chat.press("Gedrag")
    assert "preventiedienst" in chat.text.lower()
    await chat.press("Nee")
    assert "Gaat naar: Interne preventiedienst" in chat.text
    await chat.press("Melding versturen")
    (case,) = await rows(store, db.cases)
    assert (case.kind, case.recipient_role, case.when_text) == ("behaviour", "preventiedienst", "op 3 november 2026")


async def test_anonymous_report_stores_and_logs_nothing_about_the_reporter(conversation, store, caplog):
    caplog.set_level(logging.DEBUG)
    chat = Chat(conversation, "kortrijk")
    await answer_report(chat, "schending van regels", identity="Anoniem")
    await chat.press("Melding versturen")
    code = receipt_code(chat.text)
    await chat.say(f"aanvullen {code}")
    await chat.say("Ook de offertes van vorig jaar werden niet vergeleken.")
    await chat.press("Aanvulling versturen")
    assert "Je aanvulling is bewaard" in chat.text
    secrets = (chat.user.user_id, chat.user.name, chat.user.conversation_id, "Lies", "Janssens")
    everything = str(await all_rows(store))
    logs = "\n".join(record.getMessage() for record in caplog.records)
    for secret in secrets:
        assert secret not in everything, secret
        assert secret not in logs, secret
    (case,) = await rows(store, db.cases)
    assert case.anonymous and case.reporter_user_id is None and case.reporter_name is None


async def test_receipt_code_opens_status_only_when_right_and_is_not_stored_in_clear(conversation, store, clock):
    chat = Chat(conversation, "kortrijk")
    await answer_report(chat, "schending van regels")
    await chat.press("Melding versturen")
    code = receipt_code(chat.text)
    bare = code.replace("-", "")
    assert len(bare) == 25  # 125 bits of which 100 are secret
    everything = str(await all_rows(store))
    assert bare not in everything and bare[5:] not in everything and code not in everything
    await chat.say(f"status {code.lower().replace('-', ' ')}")  # any case or spacing
    terms = Terms(clock.today())
    assert f"{reference(clock)}: ontvangen" in chat.text
    # Kortrijk's general director is the internal reporting point: the law's terms apply.
    assert f"uiterlijk {terms.acknowledgement:%d/%m/%Y}" in chat.text
    assert f"uiterlijk {terms.feedback:%d/%m/%Y}" in chat.text
    wrong = bare[:5] + ("0" if bare[5] != "0" else "1") + bare[6:]
    await chat.say(f"status {wrong}")
    wrong_answer = chat.text
    await chat.say("status ZZZZZ-ZZZZZ-ZZZZZ-ZZZZZ-ZZZZZ")
    assert chat.text == wrong_answer and "Ik vind geen melding" in wrong_answer
    await chat.say("status 123")
    await chat.say(f"status {wrong}")  # a fourth wrong code in a row: now the user must wait
    assert "Wacht ongeveer" in chat.text
    await chat.say(f"status {code}")
    assert "Wacht ongeveer" in chat.text  # even the right code waits: the pause is not a hint


async def test_handler_opens_and_answers_the_case_and_the_reporter_reads_it(conversation, store, directory, clock):
    reporter = Chat(conversation, "kortrijk")
    await answer_report(reporter, "schending van regels")
    await reporter.press("Melding versturen")
    code = receipt_code(reporter.text)
    release(clock)  # the handler sees an anonymous report from the next morning on
    (person,) = directory.people("kortrijk", "algemeen-directeur")
    from bot.vocabulary.turns import UserRef

    handler = Chat(conversation, "kortrijk", UserRef("msteams", person.teams_aad_id, "conv-handler", person.name))
    ref = reference(clock)
    await handler.say(f"melding {ref}")
    assert DESCRIPTION in handler.text and "Melder: anoniem" in handler.text
    await handler.say(f"antwoord {ref} Bedankt, we onderzoeken het. Ik hou je op de hoogte.")
    assert "is bewaard" in handler.text
    await reporter.say(f"status {code}")
    assert "in behandeling" in reporter.text and "Bedankt, we onderzoeken het" in reporter.text
    # Someone who does not fill the role gets the same answer as for a case that does not exist.
    await reporter.say(f"melding {ref}")
    assert f"Ik vind geen melding {ref} die jij mag openen" in reporter.text
    assert DESCRIPTION not in reporter.text


async def test_reports_never_run_in_a_group_chat(conversation, store):
    from bot.vocabulary.turns import UserRef

    chat = Chat(conversation, "igo", UserRef("msteams", "u", "19:group", "An", private=False))
    for command in ("melden", "geschenk", "vertrouwenspersoon", "status ABCDE"):
        await chat.say(command)
        assert "privégesprek" in chat.text
    assert await rows(store, db.flow_state) == []


async def test_lookup_offers_the_flow_a_question_asks_for(conversation):
    chat = Chat(conversation, "kortrijk")
    await chat.say("ik word gepest door een collega")
    assert "Vertrouwenspersoon zoeken" in [c.label for r in chat.last for c in r.choices]
    await chat.say("ik kreeg een fles wijn van een leverancier")
    await chat.press("Geschenk melden")
    assert "Wat kreeg je" in chat.text


def test_every_report_kind_has_a_route(content):
    for pack in content.packs.values():
        for kind in (CaseKind.RULE_BREACH, CaseKind.BEHAVIOUR, CaseKind.MISUSE):
            assert destination(pack, kind) is not None
