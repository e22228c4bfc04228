"""The Teams app package: deploy/teams/'s manifest template filled from the settings, zipped with its icons."""

from __future__ import annotations

import json
import re
import zipfile
from dataclasses import dataclass
from importlib import metadata
from importlib.resources import files
from pathlib import Path
from typing import Any

from bot.settings import Settings, SettingsError

TEAMS_DIR = Path(str(files("integriteitsbot_teams")))  # deploy/teams/ in the checkout, package data in a wheel
TEMPLATE = "manifest.template.json"
# Besides manifest.json, the files the zip holds at its root: the icons and the English strings.
FILES = ("color.png", "outline.png", "en.json")
DEFAULT_OUTPUT = Path("build") / "integriteitsbot-teams.zip"
DEFAULT_DEVELOPER = "Integriteitsbot"
DEVELOPER_NAME_LIMIT = 32  # the manifest schema's maxLength for developer.name

_GUID = re.compile(r"^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$")
_HOST = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]([a-z0-9-]{0,61}[a-z0-9])?$")
_VERSION = re.compile(r"^\d{1,9}\.\d{1,9}\.\d{1,9}$")
_PLACEHOLDER = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")
# A zip entry's timestamp: fixed, so the same settings always give the same bytes.
_ZIP_TIME = (2026, 1, 1, 0, 0, 0)


class PackageError(SettingsError):
    """The Teams app package cannot be built from this configuration; the message is one line."""


@dataclass(frozen=True)
class Developer:
    """The manifest's developer block: who publishes the app, and its website, privacy and terms pages."""

    name: str = DEFAULT_DEVELOPER
    website_url: str | None = None
    privacy_url: str | None = None
    terms_url: str | None = None


def app_version() -> str:
    """The installed package's version, which the manifest's `version` follows."""
    try:
        return metadata.version("integriteitsbot")
    except metadata.PackageNotFoundError:
        return "0.1.0"


def check_app_id(settings: Settings) -> str:
    """The Microsoft app id the manifest uses as app id and bot id; refuses a missing or malformed one."""
    app_id = settings.app_id.strip()
    if not app_id:
        raise PackageError(
            "MicrosoftAppId is not set: register the Azure Bot and set its app id (README, 'Installing in Teams')"
        )
    if not _GUID.match(app_id):
        raise PackageError(f"MicrosoftAppId must be a GUID (the Azure Bot's app id), not {app_id!r}")
    return app_id


def check_host(settings: Settings) -> str:
    """The public host name of the service (the Teams app's valid domain); refuses a URL or a missing host."""
    host = settings.public_host.strip().lower().rstrip(".")
    if not host:
        raise PackageError(
            "INTEGRITEITSBOT_PUBLIC_HOST is not set: the host name of the messaging endpoint https://<host>/api/messages"
        )
    if not _HOST.match(host):
        raise PackageError(
            f"INTEGRITEITSBOT_PUBLIC_HOST must be a host name such as bot.voorbeeldgemeente.be, not {host!r}"
        )
    return host


def _https(url: str, what: str) -> str:
    if not re.match(r"^https://[^\s/]+", url):
        raise PackageError(f"{what} must be an https:// URL, not {url!r}")
    return url


def _fill(value: Any, values: dict[str, str]) -> Any:
    """Replace every ${name} in the template's strings; the JSON is parsed first, so a value cannot break it."""
    if isinstance(value, dict):
        return {key: _fill(item, values) for key, item in value.items()}
    if isinstance(value, list):
        return [_fill(item, values) for item in value]
    if isinstance(value, str):

        def substitute(match: re.Match[str]) -> str:
            if match.group(1) not in values:
                raise PackageError(f"{TEMPLATE}: no value for ${{{match.group(1)}}}")
            return values[match.group(1)]

        return _PLACEHOLDER.sub(substitute, value)
    return value


def build_manifest(
    settings: Settings,
    developer: Developer | None = None,
    version: str | None = None,
    template_dir: Path = TEAMS_DIR,
) -> dict[str, Any]:
    """The manifest for this deployment: app and bot id from MicrosoftAppId, valid domain from the public host."""
    app_id = check_app_id(settings)
    host = check_host(settings)
    developer = developer or Developer()
    if not 0 < len(developer.name.strip()) <= DEVELOPER_NAME_LIMIT:
        raise PackageError(f"the developer name must be 1 to {DEVELOPER_NAME_LIMIT} characters, not {developer.name!r}")
    version = version or app_version()
    if not _VERSION.match(version):
        raise PackageError(f"the app version must look like 1.2.3 (Teams requires it), not {version!r}")
    website = _https(developer.website_url or f"https://{host}/", "the developer website URL")
    values = {
        "MicrosoftAppId": app_id,
        "INTEGRITEITSBOT_PUBLIC_HOST": host,
        "version": version,
        "developer": developer.name,
        "websiteUrl": website,
        "privacyUrl": _https(developer.privacy_url or website, "the privacy statement URL"),
        "termsOfUseUrl": _https(developer.terms_url or website, "the terms of use URL"),
    }
    template = json.loads((template_dir / TEMPLATE).read_text(encoding="utf-8"))
    return _fill(template, values)


def write_package(
    settings: Settings,
    output: Path = DEFAULT_OUTPUT,
    developer: Developer | None = None,
    version: str | None = None,
    template_dir: Path = TEAMS_DIR,
) -> dict[str, Any]:
    """Write the installable zip (manifest.json, the icons, the English strings at its root); return the manifest."""
    manifest = build_manifest(settings, developer, version, template_dir)
    output.parent.mkdir(parents=True, exist_ok=True)
    entries = {"manifest.json": json.dumps(manifest, ensure_ascii=False, indent=2).encode("utf-8") + b"\n"}
    entries.update({name: (template_dir / name).read_bytes() for name in FILES})
    with zipfile.ZipFile(output, "w", compression=zipfile.ZIP_DEFLATED) as zipped:
        for name, data in entries.items():
            info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zipped.writestr(info, data)
    return manifest
