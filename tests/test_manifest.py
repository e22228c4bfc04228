"""The Teams app package: the manifest passes the official schema, the icons have Teams' sizes, an app id is needed."""

from __future__ import annotations

import json
import struct
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from bot import cli
from bot.channels.teams.package import TEAMS_DIR, Developer, PackageError, build_manifest, write_package
from bot.conversation.commands import FLOW_COMMANDS, HELP_WORDS
from bot.conversation.dilemmas import is_dilemma
from bot.practice.polls import is_team_dilemma
from bot.settings import Settings

DATA = Path(__file__).parent / "data"
# Official schemas from github.com/microsoft/json-schemas, teams/v1.30/ (see tests/data/README).
MANIFEST_SCHEMA = json.loads((DATA / "teams-manifest-1.30.json").read_text(encoding="utf-8"))
LOCALIZATION_SCHEMA = json.loads((DATA / "teams-localization-1.30.json").read_text(encoding="utf-8"))
APP_ID = "3f2504e0-4f89-41d3-9a0c-0305e82c3301"
HOST = "integriteitsbot.voorbeeldgemeente.be"
COMMANDS = ["help", "melden", "geschenk", "vertrouwenspersoon", "dilemma"]
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def settings(**overrides: Any) -> Settings:
    """Settings of a registered deployment: an app id and a public host."""
    return Settings(**{"app_id": APP_ID, "public_host": HOST, **overrides})


def validate(instance: Any, schema: dict[str, Any]) -> None:
    """Validate as the schema declares (draft-04) and as draft-07, which also checks its `const` and `if`/`then`."""
    # The schema is not check_schema()-clean in Python: a pattern it uses for Office add-ins (not in our manifest)
    # is written with \p{L}, which Python's re lacks. Patterns are compiled only where an instance uses them.
    for validator in (jsonschema.Draft4Validator, jsonschema.Draft7Validator):
        errors = sorted(validator(schema, format_checker=validator.FORMAT_CHECKER).iter_errors(instance), key=str)
        assert not errors, "\n".join(f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in errors)


def png_header(data: bytes) -> tuple[int, int, int, int]:
    """Width, height, bit depth and colour type from a PNG's IHDR chunk."""
    assert data[:8] == PNG_SIGNATURE
    length, kind = struct.unpack(">I4s", data[8:16])
    assert kind == b"IHDR" and length == 13
    width, height, depth, colour = struct.unpack(">IIBB", data[16:26])
    return width, height, depth, colour


def rgba_pixels(data: bytes) -> list[tuple[int, int, int, int]]:
    """Every pixel of a non-interlaced 8-bit RGBA PNG, undoing the row filters."""
    width, height, depth, colour = png_header(data)
    assert (depth, colour, data[28]) == (8, 6, 0), "expected 8-bit RGBA, not interlaced"
    position, compressed = 8, b""
    while position < len(data):
        length, kind = struct.unpack(">I4s", data[position : position + 8])
        if kind == b"IDAT":
            compressed += data[position + 8 : position + 8 + length]
        position += 12 + length
    raw, stride, previous, pixels = zlib.decompress(compressed), width * 4, bytearray(width * 4), []
    for row in range(height):
        kind, line = raw[row * (stride + 1)], bytearray(raw[row * (stride + 1) + 1 : (row + 1) * (stride + 1)])
        for i in range(stride):
            left, up, up_left = (line[i - 4] if i >= 4 else 0), previous[i], (previous[i - 4] if i >= 4 else 0)
            if kind == 1:
                line[i] = (line[i] + left) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + up) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 0xFF
            elif kind == 4:
                guess = left + up - up_left
                # Paeth: the neighbour nearest the guess, ties going to left, then up.
                candidates = [(abs(guess - value), order, value) for order, value in enumerate((left, up, up_left))]
                line[i] = (line[i] + min(candidates)[2]) & 0xFF
        pixels += [tuple(line[i : i + 4]) for i in range(0, stride, 4)]
        previous = line
    return pixels


@pytest.fixture
def package(tmp_path: Path) -> Iterator[zipfile.ZipFile]:
    """The zip `teams-package` writes for a registered deployment."""
    path = tmp_path / "out" / "integriteitsbot-teams.zip"
    write_package(settings(), path)
    with zipfile.ZipFile(path) as zipped:
        yield zipped


def test_manifest_passes_the_official_schema(package: zipfile.ZipFile) -> None:
    manifest = json.loads(package.read("manifest.json"))
    validate(manifest, MANIFEST_SCHEMA)
    assert manifest["manifestVersion"] == MANIFEST_SCHEMA["properties"]["manifestVersion"]["const"]
    assert manifest["$schema"].endswith(f"/teams/v{manifest['manifestVersion']}/MicrosoftTeams.schema.json")


def test_zip_holds_manifest_icons_and_strings_at_its_root(package: zipfile.ZipFile) -> None:
    names = package.namelist()
    assert sorted(names) == ["color.png", "en.json", "manifest.json", "outline.png"]
    manifest = json.loads(package.read("manifest.json"))
    assert {manifest["icons"]["color"], manifest["icons"]["outline"]} <= set(names)
    assert all(language["file"] in names for language in manifest["localizationInfo"]["additionalLanguages"])


def test_english_strings_pass_the_localization_schema_and_name_real_fields(package: zipfile.ZipFile) -> None:
    manifest = json.loads(package.read("manifest.json"))
    assert manifest["localizationInfo"]["defaultLanguageTag"] == "nl"
    english = json.loads(package.read("en.json"))
    validate(english, LOCALIZATION_SCHEMA)
    commands = manifest["bots"][0]["commandLists"]
    for key in english:
        if key.startswith("bots[0]."):
            # bots[0].commandLists[L].commands[C].description must name a command that exists.
            lists, command = (int(part.split("]")[0]) for part in key.split("[")[2:4])
            assert commands[lists]["commands"][command]["description"]


def test_ids_and_valid_domain_come_from_the_settings(package: zipfile.ZipFile) -> None:
    text = package.read("manifest.json").decode("utf-8")
    manifest = json.loads(text)
    assert manifest["id"] == manifest["bots"][0]["botId"] == APP_ID
    assert manifest["validDomains"] == [HOST]
    assert manifest["developer"]["websiteUrl"] == f"https://{HOST}/"
    assert "${" not in text


def test_scopes_and_commands_with_dutch_descriptions(package: zipfile.ZipFile) -> None:
    bot = json.loads(package.read("manifest.json"))["bots"][0]
    assert set(bot["scopes"]) == {"personal", "team", "groupChat"}
    lists = bot["commandLists"]
    assert sorted(scope for commands in lists for scope in commands["scopes"]) == ["groupChat", "personal", "team"]
    for commands in lists:
        assert [command["title"] for command in commands["commands"]] == COMMANDS
        assert all(len(command["description"]) > 20 for command in commands["commands"])
    personal = next(commands for commands in lists if commands["scopes"] == ["personal"])
    assert "anoniem" in personal["commands"][1]["description"]
    # Every command in Teams' menu is one the bot understands as typed.
    assert set(COMMANDS) <= set(FLOW_COMMANDS) | HELP_WORDS | {"dilemma"}
    assert is_dilemma("dilemma") and is_team_dilemma("dilemma")


def test_icons_have_the_sizes_teams_requires(package: zipfile.ZipFile) -> None:
    assert png_header(package.read("color.png"))[:2] == (192, 192)
    outline = package.read("outline.png")
    assert png_header(outline)[:2] == (32, 32)
    pixels = rgba_pixels(outline)
    # White on transparent: every pixel that shows at all is white, and most of the icon is transparent.
    assert {pixel[:3] for pixel in pixels if pixel[3]} == {(255, 255, 255)}
    assert sum(1 for pixel in pixels if pixel[3] == 0) > len(pixels) / 2
    assert (TEAMS_DIR / "color.png").read_bytes() == package.read("color.png")


def test_the_same_settings_give_the_same_zip(tmp_path: Path) -> None:
    write_package(settings(), tmp_path / "a.zip")
    write_package(settings(), tmp_path / "b.zip")
    assert (tmp_path / "a.zip").read_bytes() == (tmp_path / "b.zip").read_bytes()


def test_developer_pages_can_be_the_organisations_own() -> None:
    developer = Developer("Gemeente Voorbeeld", "https://www.voorbeeld.be", "https://www.voorbeeld.be/privacy", None)
    manifest = build_manifest(settings(), developer, version="2.1.0")
    assert manifest["developer"] == {
        "name": "Gemeente Voorbeeld",
        "websiteUrl": "https://www.voorbeeld.be",
        "privacyUrl": "https://www.voorbeeld.be/privacy",
        "termsOfUseUrl": "https://www.voorbeeld.be",
    }
    assert manifest["version"] == "2.1.0"
    validate(manifest, MANIFEST_SCHEMA)
    with pytest.raises(PackageError, match="https"):
        build_manifest(settings(), Developer(privacy_url="http://www.voorbeeld.be/privacy"))
    with pytest.raises(PackageError, match="1 to 32 characters"):
        build_manifest(settings(), Developer("Gemeentelijke Integriteitsdienst Voorbeeld"))
    with pytest.raises(PackageError, match="must look like"):
        build_manifest(settings(), version="2.1")


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"app_id": ""}, "MicrosoftAppId is not set"),
        ({"app_id": "not-a-guid"}, "MicrosoftAppId must be a GUID"),
        ({"public_host": ""}, "INTEGRITEITSBOT_PUBLIC_HOST is not set"),
        ({"public_host": "https://integriteitsbot.voorbeeldgemeente.be/api/messages"}, "must be a host name"),
    ],
)
def test_incomplete_configuration_is_refused(tmp_path: Path, overrides: dict[str, str], message: str) -> None:
    with pytest.raises(PackageError, match=message) as refused:
        write_package(settings(**overrides), tmp_path / "app.zip")
    assert "\n" not in str(refused.value)
    assert not (tmp_path / "app.zip").exists()


def test_cli_without_app_id_says_so_in_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("MicrosoftAppId", raising=False)
    monkeypatch.setenv("INTEGRITEITSBOT_PUBLIC_HOST", HOST)
    assert cli.main(["teams-package", "-o", str(tmp_path / "app.zip")]) == 2
    captured = capsys.readouterr()
    assert captured.err.count("\n") == 1
    assert captured.err.startswith("Configuration error: MicrosoftAppId is not set")
    assert not (tmp_path / "app.zip").exists()


def test_cli_writes_the_package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture) -> None:
    monkeypatch.setenv("MicrosoftAppId", APP_ID)
    monkeypatch.setenv("INTEGRITEITSBOT_PUBLIC_HOST", HOST)
    output = tmp_path / "app.zip"
    assert cli.main(["teams-package", "-o", str(output), "--privacy-url", "https://www.voorbeeld.be/privacy"]) == 0
    assert f"Wrote {output}" in capsys.readouterr().out
    with zipfile.ZipFile(output) as zipped:
        manifest = json.loads(zipped.read("manifest.json"))
    assert manifest["developer"]["privacyUrl"] == "https://www.voorbeeld.be/privacy"
    validate(manifest, MANIFEST_SCHEMA)
