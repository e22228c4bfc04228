"""The server secret: 32 random bytes kept outside the database, from which every identity key and data key derives."""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import stat
from pathlib import Path

from sqlalchemy.engine import make_url

SECRET_BYTES = 32
SECRET_NAME = "secret.key"
DEFAULT_DATA_DIR = Path("data")


class SecretError(Exception):
    """The secret file cannot be used; the message is one line for the operator."""


def data_dir(database_url: str, configured: str | Path | None = None) -> Path:
    """Where the service keeps its files: INTEGRITEITSBOT_DATA_DIR when set, else the folder of a SQLite database
    file, else data/ (PostgreSQL, or SQLite in memory)."""
    if configured:
        return Path(configured)
    parsed = make_url(database_url)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        return Path(parsed.database).parent
    return DEFAULT_DATA_DIR


def secret_path(database_url: str, secret_file: str | Path | None = None, folder: str | Path | None = None) -> Path:
    """The secret's file: INTEGRITEITSBOT_SECRET_FILE when set, else secret.key in the data directory."""
    return Path(secret_file) if secret_file else data_dir(database_url, folder) / SECRET_NAME


def read_secret(path: Path) -> bytes:
    """The secret in a file that only its owner may read and that holds exactly 32 bytes."""
    try:
        info = path.stat()
        if info.st_mode & (stat.S_IRWXG | stat.S_IRWXO):
            raise SecretError(
                f"the secret file {path} may be read by others (mode {stat.S_IMODE(info.st_mode):o}); chmod 600 it"
            )
        value = path.read_bytes()
    except OSError as exc:
        raise SecretError(f"cannot read the secret file {path}: {exc.strerror or exc}") from None
    if len(value) != SECRET_BYTES:
        raise SecretError(f"the secret file {path} holds {len(value)} bytes, not {SECRET_BYTES}")
    return value


def create_secret(path: Path) -> bytes:
    """Write a new random secret to a file that did not exist, readable by its owner only (mode 0600)."""
    value = secrets.token_bytes(SECRET_BYTES)
    try:
        # A folder that others may write to would let them swap the secret: ours alone, as the file.
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            os.write(handle, value)
            os.fsync(handle)
        finally:
            os.close(handle)
    except FileExistsError:
        raise
    except OSError as exc:
        raise SecretError(f"cannot create the secret file {path}: {exc.strerror or exc}") from None
    return value


def install_secret(value: bytes, path: Path) -> None:
    """Replace the secret file by a new value in one step (a temporary file renamed over it), mode 0600."""
    temporary = path.with_name(path.name + ".new")
    temporary.unlink(missing_ok=True)
    create_secret(temporary)  # creates with 0600; its random content is overwritten below
    temporary.write_bytes(value)
    os.replace(temporary, path)


class ServerSecret:
    """Derives keys from the secret, each under its own label, so no two uses ever share a key."""

    def __init__(self, value: bytes):
        if len(value) != SECRET_BYTES:
            raise SecretError(f"the server secret must be {SECRET_BYTES} bytes")
        self._value = value

    @property
    def value(self) -> bytes:
        """The secret itself, to write it to its file."""
        return self._value

    def derive(self, label: str) -> bytes:
        """A 32-byte key for one purpose (HMAC-SHA-256 of the label under the secret)."""
        return hmac.new(self._value, b"integriteitsbot\0" + label.encode(), hashlib.sha256).digest()

    def flow_key(self, channel: str, conversation_id: str, user_id: str) -> str:
        """The flow state's key: keyed with the secret, so a chat id list and the database alone find no draft;
        the user is part of it, so another user in the same conversation never meets this flow."""
        message = f"{channel}\0{conversation_id}\0{user_id}".encode()
        return hmac.new(self.derive("flow state v2"), message, hashlib.sha256).hexdigest()

    def seal_key(self, channel: str, conversation_id: str, user_id: str) -> bytes:
        """The key of a confirmation kept sealed for its own conversation and user (never stored)."""
        message = f"{channel}\0{conversation_id}\0{user_id}".encode()
        return hmac.new(self.derive("confirmation seal v2"), message, hashlib.sha256).digest()

    def person_key(self, org: str, address: str) -> str:
        """The register's name for a person ("msteams:<aad id>", "slack:<member id>", "email:<address>"): found
        again from their id, but no id in clear in the database."""
        return hmac.new(self.derive("person v1"), f"{org}\0{address}".encode(), hashlib.sha256).hexdigest()

    def voter_key(self, poll_id: str, channel: str, user_id: str) -> str:
        """A voter's name in one poll: one vote per person, changeable, and no id in the row."""
        message = f"{poll_id}\0{channel}\0{user_id}".encode()
        return hmac.new(self.derive("dilemma vote v1"), message, hashlib.sha256).hexdigest()

    @property
    def kek(self) -> bytes:
        """The key-encryption key that wraps the data keys in the keys table."""
        return self.derive("key encryption key v1")


def load_secret(path: Path, may_create: bool) -> ServerSecret:
    """The secret from its file; created there when missing and `may_create` (a database with no data key yet)."""
    if not path.exists() and not path.is_symlink():
        if not may_create:
            raise SecretError(
                f"the secret file {path} is missing, but the database holds data encrypted with it: restore it"
                " from its backup (or set INTEGRITEITSBOT_SECRET_FILE)"
            )
        try:
            return ServerSecret(create_secret(path))
        except FileExistsError:  # another replica, starting at the same moment, made it first
            pass
    return ServerSecret(read_secret(path))
