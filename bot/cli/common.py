"""What the commands of the `integriteitsbot` CLI share: the content, the organisation, the store, a year."""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from bot.settings import Settings, SettingsError

if TYPE_CHECKING:
    from bot.storage.store import Store

DEFAULT_ORG = "voorbeeldgemeente"
T = TypeVar("T")


def content_dir(args: argparse.Namespace) -> Path:
    """The content directory: --content, else the settings' one."""
    return Path(args.content) if args.content else Settings.from_env().content_dir


def org_of(args: argparse.Namespace, packs: dict) -> str:
    """The organisation a command is for: --org, else the settings', else the demo; it must have a pack."""
    org = args.org or Settings.from_env().org or DEFAULT_ORG
    if org not in packs:
        raise SettingsError(f"unknown organisation '{org}' (known: {', '.join(sorted(packs))})")
    return org


def directory_of(settings: Settings, content):
    """The deployment's contacts, read against the content; a bad file is a settings error."""
    from bot.knowledge.directory import DirectoryError, load_directory

    try:
        return load_directory(settings.contacts_file, content, settings.mail_domains)
    except DirectoryError as exc:
        raise SettingsError(f"INTEGRITEITSBOT_CONTACTS: {exc}") from exc


def year(text: str) -> int:
    """A calendar year from the command line, such as 2026."""
    try:
        year = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a year such as 2026") from None
    if not 2000 <= year <= 9999:
        raise argparse.ArgumentTypeError(f"{year} is not a year such as 2026")
    return year


def with_store(work: Callable[[Store], Awaitable[T]]) -> T:
    """Run `work(store)` on the database of the settings, and close it again."""
    from bot.storage.store import Store

    async def run() -> T:
        store = await Store.open((settings := Settings.from_env()).database_url, **settings.store_options)
        try:
            return await work(store)
        finally:
            await store.close()

    return asyncio.run(run())
