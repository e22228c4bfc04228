"""Service settings, read from the environment and validated at start-up."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from email.utils import parseaddr
from pathlib import Path

from dotenv import dotenv_values

from bot.knowledge.content import DEFAULT_CONTENT_DIR
from bot.knowledge.directory import DEFAULT_CONTACTS_FILE

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///data/integriteitsbot.db"
DEFAULT_SLACK_API_URL = "https://slack.com/api/"


class SettingsError(ValueError):
    """A configuration value is missing or malformed."""


def _parse_tenant_map(raw: str, name: str = "INTEGRITEITSBOT_TENANTS", key: str = "tenant-id") -> dict[str, str]:
    """Parse `tenant-id=org,tenant-id=org` (or Slack `team-id=org,...`) into a mapping."""
    mapping: dict[str, str] = {}
    for item in filter(None, (part.strip() for part in raw.split(","))):
        tenant, sep, org = item.partition("=")
        if not sep or not tenant.strip() or not org.strip():
            raise SettingsError(f"{name}: '{item}' is not of the form {key}=org")
        mapping[tenant.strip()] = org.strip()
    return mapping


def _switch(env: dict[str, str], name: str) -> bool | None:
    """An on/off variable: None when unset."""
    value = env.get(name, "").strip().lower()
    if not value:
        return None
    if value in ("1", "on", "true", "yes"):
        return True
    if value in ("0", "off", "false", "no"):
        return False
    raise SettingsError(f"{name} must be on or off, not '{env[name]}'")


def _smtp_port(raw: str) -> int:
    """SMTP_PORT: a TCP port number."""
    try:
        port = int(raw)
    except ValueError:
        raise SettingsError(f"SMTP_PORT must be a number, not '{raw}'") from None
    if not 1 <= port <= 65535:
        raise SettingsError(f"SMTP_PORT must be between 1 and 65535, not {port}")
    return port


def _check_smtp_from(host: str, sender: str) -> None:
    """With mail on, SMTP_FROM must hold one address (optionally with a display name)."""
    if not host:
        return
    if not sender:
        raise SettingsError("SMTP_HOST is set, so SMTP_FROM must be set too: the address the bot's mail comes from")
    address = parseaddr(sender)[1]
    local, at, domain = address.rpartition("@")
    if not at or not local or not domain or any(char.isspace() for char in address):
        raise SettingsError(f"SMTP_FROM must be an e-mail address such as integriteitsbot@gemeente.be, not '{sender}'")


_DOMAIN = re.compile(r"(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}")


def _mail_domains(raw: str) -> tuple[str, ...]:
    """INTEGRITEITSBOT_MAIL_DOMAINS: the organisation's own mail domains, `kortrijk.be,ocmw-kortrijk.be`."""
    domains = tuple(part.strip().lower().removeprefix("@") for part in raw.split(",") if part.strip())
    for domain in domains:
        if not _DOMAIN.fullmatch(domain):
            raise SettingsError(f"INTEGRITEITSBOT_MAIL_DOMAINS: '{domain}' is not a mail domain such as kortrijk.be")
    return domains


def _api_url(url: str) -> str:
    """The Slack Web API base URL, ending in a slash as slack_sdk joins method names onto it."""
    if not url.startswith(("http://", "https://")):
        raise SettingsError(f"SLACK_API_URL must be an http(s) URL, not '{url}'")
    return url if url.endswith("/") else url + "/"


# The configuration file: `.env` in the working directory, or the file this variable names.
ENV_FILE = "INTEGRITEITSBOT_ENV_FILE"


def _log_format(value: str) -> str:
    """LOG_FORMAT: text or json."""
    fmt = value.strip().lower() or "text"
    if fmt not in ("text", "json"):
        raise SettingsError(f"LOG_FORMAT must be text or json, not '{value}'")
    return fmt


def read_env_file(environ: dict[str, str] | None = None) -> Path | None:
    """Put the settings of the `.env` file into the environment, where the environment does not set them already:
    the environment wins over the file, and command-line flags (applied later) win over both. The file read."""
    environ = os.environ if environ is None else environ
    named = environ.get(ENV_FILE, "").strip()
    path = Path(named) if named else Path.cwd() / ".env"
    if not path.is_file():
        if named:
            raise SettingsError(f"{ENV_FILE}: {path} is not a file")
        return None
    for name, value in dotenv_values(path).items():
        if value is not None:
            environ.setdefault(name, value)
    return path


@dataclass(frozen=True)
class Settings:
    """Everything the service needs to start; see the README for each variable."""

    host: str = "0.0.0.0"
    port: int = 3978
    org: str | None = None
    tenants: dict[str, str] = field(default_factory=dict)
    content_dir: Path = DEFAULT_CONTENT_DIR
    contacts_file: Path = DEFAULT_CONTACTS_FILE
    database_url: str = DEFAULT_DATABASE_URL
    secret_file: Path | None = None  # the server secret; None: secret.key in the data directory
    data_dir: Path | None = None  # None: the SQLite file's folder, or data/ for PostgreSQL
    outbox_interval: float = 2.0
    app_id: str = ""
    app_password: str = ""
    app_type: str = "MultiTenant"
    app_tenant_id: str = ""
    log_level: str = "INFO"
    log_format: str = "text"  # "json": one JSON object per line
    dev_mode: bool = False  # only when asked for (INTEGRITEITSBOT_DEV, serve --dev): /api/messages without tokens
    teams_notify: bool | None = None  # notifications as Teams messages; None: on when an app id is configured
    teams_service_url: str | None = None  # Bot Connector URL for proactive messages before a tenant was seen
    public_host: str = ""  # the host of https://<host>/api/messages: the Teams app's valid domain
    retention_years: int = 5  # closed cases, gifts and contact requests older than this are deleted daily
    slack_bot_token: str = ""
    slack_signing_secret: str = ""
    slack_api_url: str = DEFAULT_SLACK_API_URL  # tests point the Web API client at a local fake
    slack_teams: dict[str, str] = field(default_factory=dict)  # Slack workspace (team) id -> organisation
    smtp_host: str = ""  # mail is on when set
    smtp_port: int = 587
    smtp_user: str = ""
    smtp_password: str = field(default="", repr=False)
    smtp_from: str = ""
    smtp_starttls: bool = True
    # Typed addresses the bot may mail: only these domains (and their subdomains); contacts' addresses always.
    mail_domains: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        """Refuse combinations that contradict each other."""
        if self.dev_mode and self.app_id:
            # Either tokens are checked or they are not: an app id in development mode would say both at once.
            raise SettingsError(
                "INTEGRITEITSBOT_DEV turns authentication off, so it cannot go with MicrosoftAppId: unset one of them"
            )
        if self.teams_notify and not self.teams:
            raise SettingsError(
                "INTEGRITEITSBOT_TEAMS_NOTIFY is on, but Teams is off: set MicrosoftAppId (or INTEGRITEITSBOT_DEV=1)"
            )

    @property
    def notification_channels(self) -> set[str]:
        """The chat and mail channels this service delivers notifications through, besides the log."""
        on = {"msteams": self.teams_notifications, "slack": self.slack, "email": self.email}
        return {name for name, enabled in on.items() if enabled}

    @property
    def store_options(self) -> dict[str, Path | None]:
        """Where the store finds the server secret: Store.open(url, clock, **settings.store_options)."""
        return {"secret_file": self.secret_file, "data_dir": self.data_dir}

    @property
    def slack(self) -> bool:
        """Whether Slack is on: both its secrets are set."""
        return bool(self.slack_bot_token and self.slack_signing_secret)

    @property
    def email(self) -> bool:
        """Whether the outbox delivers notifications by e-mail: SMTP_HOST is set."""
        return bool(self.smtp_host)

    @property
    def teams(self) -> bool:
        """Whether /api/messages is on: with an app id (every request authenticated), or in development mode.
        Without either it is off: a missing app id never means "accept anything"."""
        return bool(self.app_id) or self.dev_mode

    @property
    def teams_notifications(self) -> bool:
        """Whether the outbox delivers notifications in Teams: on by default with an app id; in development mode
        only when asked for (a test connector); never with Teams off."""
        if not self.teams:
            return False
        return self.teams_notify if self.teams_notify is not None else bool(self.app_id)

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None, **overrides: object) -> Settings:
        """Build settings from environment variables, then apply explicit overrides (CLI flags)."""
        env = dict(os.environ if env is None else env)
        try:
            port = int(env.get("PORT", "3978"))
        except ValueError as exc:
            raise SettingsError(f"PORT must be a number, not '{env['PORT']}'") from exc
        try:
            outbox_interval = float(env.get("OUTBOX_INTERVAL", "2"))
        except ValueError as exc:
            raise SettingsError(f"OUTBOX_INTERVAL must be a number of seconds, not '{env['OUTBOX_INTERVAL']}'") from exc
        if outbox_interval <= 0:
            raise SettingsError("OUTBOX_INTERVAL must be more than 0 seconds")
        try:
            retention_years = int(env.get("RETENTION_YEARS", "5"))
        except ValueError as exc:
            raise SettingsError(f"RETENTION_YEARS must be a number of years, not '{env['RETENTION_YEARS']}'") from exc
        if retention_years < 1:
            raise SettingsError("RETENTION_YEARS must be at least 1")
        # Under systemd, StateDirectory= gives the service the one folder it may write: its database and secret go
        # there unless DATABASE_URL or INTEGRITEITSBOT_DATA_DIR say otherwise.
        state = env.get("STATE_DIRECTORY", "").split(":")[0].strip()
        values: dict[str, object] = {
            "host": env.get("HOST", "0.0.0.0"),
            "port": port,
            "org": env.get("INTEGRITEITSBOT_ORG") or None,
            "tenants": _parse_tenant_map(env.get("INTEGRITEITSBOT_TENANTS", "")),
            "content_dir": Path(env.get("INTEGRITEITSBOT_CONTENT") or DEFAULT_CONTENT_DIR),
            "contacts_file": Path(env.get("INTEGRITEITSBOT_CONTACTS") or DEFAULT_CONTACTS_FILE),
            "database_url": env.get("DATABASE_URL")
            or (f"sqlite+aiosqlite:///{state}/integriteitsbot.db" if state else DEFAULT_DATABASE_URL),
            "secret_file": Path(env["INTEGRITEITSBOT_SECRET_FILE"]) if env.get("INTEGRITEITSBOT_SECRET_FILE") else None,
            "data_dir": Path(data) if (data := env.get("INTEGRITEITSBOT_DATA_DIR") or state) else None,
            "outbox_interval": outbox_interval,
            "app_id": env.get("MicrosoftAppId", ""),
            "app_password": env.get("MicrosoftAppPassword", ""),
            "app_type": env.get("MicrosoftAppType", "MultiTenant") or "MultiTenant",
            "app_tenant_id": env.get("MicrosoftAppTenantId", ""),
            "log_level": env.get("LOG_LEVEL", "INFO").upper(),
            "log_format": _log_format(env.get("LOG_FORMAT", "text")),
            "dev_mode": _switch(env, "INTEGRITEITSBOT_DEV") is True,
            "teams_notify": _switch(env, "INTEGRITEITSBOT_TEAMS_NOTIFY"),
            "teams_service_url": env.get("TEAMS_SERVICE_URL") or None,
            "public_host": env.get("INTEGRITEITSBOT_PUBLIC_HOST", "").strip(),
            "retention_years": retention_years,
            "slack_bot_token": env.get("SLACK_BOT_TOKEN", "").strip(),
            "slack_signing_secret": env.get("SLACK_SIGNING_SECRET", "").strip(),
            "slack_api_url": _api_url(env.get("SLACK_API_URL", "").strip() or DEFAULT_SLACK_API_URL),
            "slack_teams": _parse_tenant_map(
                env.get("INTEGRITEITSBOT_SLACK_TEAMS", ""), "INTEGRITEITSBOT_SLACK_TEAMS", "team-id"
            ),
            "smtp_host": env.get("SMTP_HOST", "").strip(),
            "smtp_port": _smtp_port(env.get("SMTP_PORT", "").strip() or "587"),
            "smtp_user": env.get("SMTP_USER", "").strip(),
            "smtp_password": env.get("SMTP_PASSWORD", ""),
            "smtp_from": env.get("SMTP_FROM", "").strip(),
            "smtp_starttls": _switch(env, "SMTP_STARTTLS") is not False,
            "mail_domains": _mail_domains(env.get("INTEGRITEITSBOT_MAIL_DOMAINS", "")),
        }
        _check_smtp_from(str(values["smtp_host"]), str(values["smtp_from"]))
        if bool(values["slack_bot_token"]) != bool(values["slack_signing_secret"]):
            raise SettingsError("Slack needs both SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET, or neither to leave it off")
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)  # type: ignore[arg-type]

    # botbuilder's ConfigurationBotFrameworkAuthentication reads these attribute names.
    @property
    def APP_ID(self) -> str:
        """Microsoft app id, under the name botbuilder expects."""
        return self.app_id

    @property
    def APP_PASSWORD(self) -> str:
        """Microsoft app password, under the name botbuilder expects."""
        return self.app_password

    @property
    def APP_TYPE(self) -> str:
        """Microsoft app type, under the name botbuilder expects."""
        return self.app_type

    @property
    def APP_TENANTID(self) -> str:
        """Microsoft app tenant id, under the name botbuilder expects."""
        return self.app_tenant_id
