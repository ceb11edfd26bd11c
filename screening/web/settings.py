"""Every setting in one table: its default, the environment variable that sets it, and how its text is checked.

`load(environ, overrides)` gives the app's settings: defaults, then the environment, then `overrides` (tests and
embedding). A value that cannot be read stops the app at start with one clear line. docs/configuration.md lists the
same table (a test keeps the two together)."""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from ..errors import ScreeningError
from ..question_types import whole_number

ROOT = Path(__file__).resolve().parents[2]


class ConfigurationError(ScreeningError, RuntimeError):
    """The app refuses to start with a setting it cannot use."""


def _default_data_dir() -> Path:
    """instance/ in a checkout (next to pyproject.toml); for an installed package, the user's data folder."""
    if (ROOT / "pyproject.toml").is_file():
        return ROOT / "instance"
    return Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share") / "cse-screening"


def _text(value: str) -> str:
    if not value.strip():
        raise ValueError("it is empty")
    return value.strip()


def _whole(value: str) -> int:
    number = whole_number(value)
    if number is None:
        raise ValueError("it is not a whole number of 0 or more")
    return number


MAX_POSITIVE = 1_000_000  # minutes or hours: anything larger is a typing slip, not a policy


def _positive(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        raise ValueError("it is not a number") from None
    if not 0 < number < MAX_POSITIVE:
        raise ValueError(f"it must be above 0 and below {MAX_POSITIVE:,}")
    return number


def _flag(value: str) -> bool:
    words = {"true": True, "yes": True, "1": True, "on": True, "false": False, "no": False, "0": False, "off": False}
    if value.strip().lower() not in words:
        raise ValueError("use true or false")
    return words[value.strip().lower()]


def _level(value: str) -> str:
    if value.strip().upper() not in ("DEBUG", "INFO", "WARNING", "ERROR"):
        raise ValueError("use DEBUG, INFO, WARNING or ERROR")
    return value.strip().upper()


def _log_format(value: str) -> str:
    if value.strip() not in ("text", "json"):
        raise ValueError("use text or json")
    return value.strip()


def _mode(value: str) -> str:
    if value.strip() not in ("demo", "production"):
        raise ValueError("use demo or production")
    return value.strip()


@dataclass(frozen=True)
class Setting:
    name: str  # the app's config key
    env: str  # the environment variable
    default: object
    read: Callable[[str], object]
    about: str


SETTINGS = (
    Setting("MODE", "SCREENING_MODE", "demo", _mode, "demo (local, demo accounts) or production"),
    Setting("DATA_DIR", "SCREENING_DATA_DIR", str(_default_data_dir()), _text,
            "where the demo SQLite database and the demo mode's shared secret key live"),
    Setting("DATABASE_URL", "DATABASE_URL", "", _text, "SQLAlchemy URL (default: SQLite in DATA_DIR)"),
    Setting("SECRET_KEY", "SECRET_KEY", "", _text, "signs session cookies; production needs 32+ random characters"),
    Setting("IDENTITY_KEYS", "SCREENING_IDENTITY_KEYS", "", _text,
            "Fernet keys sealing children's identities, comma-separated, newest first (production needs it)"),
    Setting("INDEX_KEY", "SCREENING_INDEX_KEY", "", _text,
            "the key of the blind indexes children are found by, urlsafe base64 of 32+ bytes (production needs it)"),
    Setting("RULES_PATH", "RULES_PATH", str(ROOT / "rules" / "default"), _text,
            "the rule set `screening db seed` activates first"),
    Setting("VIGNETTES_PATH", "VIGNETTES_PATH", str(ROOT / "rules" / "vignettes"), _text, "the training vignettes"),
    Setting("IDLE_TIMEOUT_MINUTES", "IDLE_TIMEOUT_MINUTES", 30, _positive, "sign-out after this long idle"),
    Setting("IDLE_WARNING_SECONDS", "IDLE_WARNING_SECONDS", 120, _whole, "the warning shows this long before it"),
    Setting("SESSION_LIFETIME_HOURS", "SESSION_LIFETIME_HOURS", 8, _positive,
            "a session ends this long after sign-in, however active"),
    Setting("RETENTION_DAYS", "RETENTION_DAYS", 730, _whole,
            "`screening purge` deletes completed screenings not linked to a child this many days after their last "
            "change"),
    Setting("RETENTION_DRAFT_DAYS", "RETENTION_DRAFT_DAYS", 90, _whole,
            "`screening purge` deletes drafts never completed this many days after their last change"),
    Setting("RETENTION_YEARS_FROM_BIRTH", "RETENTION_YEARS_FROM_BIRTH", 25, _whole,
            "an identified child's screenings are kept until this many years after their date of birth"),
    Setting("DATA_CONTROLLER", "DATA_CONTROLLER", "", _text,
            "the organisation(s) responsible for the data, named on the privacy notice (production needs it)"),
    Setting("DATA_PROTECTION_OFFICER", "DATA_PROTECTION_OFFICER", "", _text,
            "how to reach the data protection officer, on the privacy notice (production needs it)"),
    Setting("SERVICE_CONTACT", "SERVICE_CONTACT", "", _text,
            "where to report an accessibility problem or ask about the service (production needs it)"),
    Setting("REQUIRE_SECOND_APPROVAL", "REQUIRE_SECOND_APPROVAL", False, _flag,
            "a rule-set change needs a second safeguarding lead's approval"),
    Setting("SUPPRESS_BELOW", "SUPPRESS_BELOW", 5, _whole,
            "the dashboard shows counts from 1 to one below this as 'fewer than N'"),
    Setting("API_CALLS_PER_MINUTE", "API_CALLS_PER_MINUTE", 120, _whole,
            "each API token may make this many calls a minute (shared by every instance); more get 429"),
    Setting("MAX_CONTENT_LENGTH", "MAX_CONTENT_LENGTH", 1024 * 1024, _whole, "the largest request body, in bytes"),
    Setting("TRUSTED_PROXY_HOPS", "TRUSTED_PROXY_HOPS", 0, _whole,
            "reverse proxies in front of the app whose X-Forwarded-For/-Proto/-Host to believe"),
    Setting("HSTS_SECONDS", "HSTS_SECONDS", 0, _whole,
            "Strict-Transport-Security max-age, where TLS ends at this app (0: not sent)"),
    Setting("LOG_LEVEL", "LOG_LEVEL", "INFO", _level, "the app's log level (standard error)"),
    Setting("LOG_FORMAT", "LOG_FORMAT", "text", _log_format, "text lines, or json (one object a line)"),
    Setting("OIDC_PROVIDERS_FILE", "OIDC_PROVIDERS_FILE", "", _text,
            "a YAML file listing the OpenID Connect providers people sign in with (web/providers.py); none: local "
            "accounts only"),
)
NAMED_ON_NOTICES = ("DATA_CONTROLLER", "DATA_PROTECTION_OFFICER", "SERVICE_CONTACT")  # production needs each
FIXED = {  # not settings: how this app always runs
    "WTF_CSRF_TIME_LIMIT": None,  # CSRF tokens last as long as the session
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
}


def load(environ: Mapping[str, str], overrides: Mapping[str, object]) -> dict[str, object]:
    """Defaults, then the environment (checked), then `overrides`; the demo SQLite file goes in DATA_DIR."""
    values: dict[str, object] = {**FIXED}
    for setting in SETTINGS:
        values[setting.name] = setting.default
        raw = environ.get(setting.env)
        if raw is not None and raw != "":
            try:
                values[setting.name] = setting.read(raw)
            except ValueError as exc:
                raise ConfigurationError(f"{setting.env}={raw[:40]!r} cannot be used: {exc}") from None
    values.update(overrides)
    if not values["DATABASE_URL"]:
        values["DATABASE_URL"] = f"sqlite:///{Path(str(values['DATA_DIR'])) / 'screening.db'}"
    return values


def demo_secret(data_dir: str | Path) -> str:
    """Demo mode's secret key, made once and kept in DATA_DIR, so that every worker signs cookies alike."""
    path = Path(data_dir) / "secret_key"
    if path.exists():
        return path.read_text(encoding="ascii").strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    draft = path.with_name(f".secret_key.{os.getpid()}")
    descriptor = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="ascii") as file:
        file.write(secrets.token_hex(32))
    try:
        os.link(draft, path)  # appears whole or not at all; the first worker's key wins
    except FileExistsError:
        pass
    finally:
        draft.unlink()
    return path.read_text(encoding="ascii").strip()
