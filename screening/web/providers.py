"""OpenID Connect providers a deployment signs people in with, read from the file OIDC_PROVIDERS_FILE names and
checked at start; and how a provider's claims map to a role and an agency here.

    providers:
      - id: council                       # lower-case letters, digits, dashes; in the callback address
        name: Council staff               # the sign-in button says "Sign in with Council staff"
        issuer: https://login.microsoftonline.com/TENANT-ID/v2.0
        client_id: 11111111-2222-3333-4444-555555555555
        client_secret_env: COUNCIL_OIDC_SECRET   # the environment variable holding the client secret
        groups_claim: groups              # the claim listing the person's groups (or app roles); default groups
        roles:                            # role: the groups that give it; the first role that matches wins
          safeguarding_lead: [GROUP-ID-1]
          practitioner: [GROUP-ID-2]
        agency: social_care               # every person from this provider, or by group:
        # agencies: {school: [GROUP-ID-3], health_gp: [GROUP-ID-4]}
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import yaml

from ..store.models import ROLES
from ..store.users import ProviderPerson
from .settings import ConfigurationError

ID = re.compile(r"[a-z0-9][a-z0-9-]{0,15}")
REQUIRED = ("id", "name", "issuer", "client_id", "client_secret_env", "roles")
ALLOWED = (*REQUIRED, "groups_claim", "agency", "agencies", "scopes")


@dataclass(frozen=True)
class Provider:
    id: str
    name: str
    issuer: str
    client_id: str
    client_secret: str
    roles: tuple[tuple[str, frozenset[str]], ...]  # in the order the file gives them
    agency: str = ""  # every person's agency, or
    agencies: tuple[tuple[str, frozenset[str]], ...] = ()  # by group, first match
    groups_claim: str = "groups"
    scopes: str = "openid profile email"

    def person(self, claims: Mapping[str, object]) -> ProviderPerson | None:
        """Who signed in, with the role and agency their groups give them here; None when they map to none."""
        groups = _strings(claims.get(self.groups_claim))
        role = _first(self.roles, groups)
        agency = self.agency or _first(self.agencies, groups)
        subject = str(claims.get("sub") or "")
        if not (role and agency and subject):
            return None
        handle = str(claims.get("preferred_username") or claims.get("email") or subject)
        return ProviderPerson(self.id, subject, handle, str(claims.get("name") or handle)[:200], role, agency)


def _strings(value: object) -> frozenset[str]:
    if isinstance(value, str):
        return frozenset({value})
    return frozenset(str(v) for v in value) if isinstance(value, list) else frozenset()


def _first(table: tuple[tuple[str, frozenset[str]], ...], groups: frozenset[str]) -> str:
    return next((name for name, needed in table if needed & groups), "")


def load(path: str, environ: Mapping[str, str] = os.environ) -> tuple[Provider, ...]:
    """The providers in the file at `path` ('' for none), each checked; any problem stops the app at start."""
    if not path:
        return ()
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigurationError(f"OIDC_PROVIDERS_FILE {path} cannot be read: {exc}") from None
    entries = data.get("providers") if isinstance(data, dict) else None
    if not isinstance(entries, list) or not entries:
        raise ConfigurationError(f"OIDC_PROVIDERS_FILE {path}: write `providers:` with a list of providers")
    providers = tuple(_provider(entry, number, environ) for number, entry in enumerate(entries, 1))
    ids = [p.id for p in providers]
    if len(set(ids)) != len(ids):
        raise ConfigurationError(f"OIDC_PROVIDERS_FILE {path}: two providers have the same id")
    return providers


def _provider(entry: object, number: int, environ: Mapping[str, str]) -> Provider:
    where = f"OIDC_PROVIDERS_FILE, provider {number}"
    if not isinstance(entry, dict):
        raise ConfigurationError(f"{where}: write id, name, issuer, client_id, client_secret_env and roles")
    missing = [key for key in REQUIRED if not entry.get(key)]
    unknown = sorted(set(entry) - set(ALLOWED))
    if missing or unknown:
        raise ConfigurationError(f"{where}: " + "; ".join(
            ([f"missing {', '.join(missing)}"] if missing else [])
            + ([f"unknown {', '.join(unknown)} (allowed keys are {', '.join(ALLOWED)})"] if unknown else [])))
    if not ID.fullmatch(str(entry["id"])):
        raise ConfigurationError(f"{where}: id must be 1 to 16 lower-case letters, digits or dashes")
    if not str(entry["issuer"]).startswith(("https://", "http://127.0.0.1", "http://localhost")):
        raise ConfigurationError(f"{where}: the issuer must be an https:// address")
    secret = environ.get(str(entry["client_secret_env"]), "")
    if not secret:
        raise ConfigurationError(f"{where}: the environment variable {entry['client_secret_env']} (the client "
                                 "secret) is not set")
    roles = _table(entry["roles"], f"{where} roles", ROLES)
    agencies = _table(entry.get("agencies") or {}, f"{where} agencies", None)
    if bool(entry.get("agency")) == bool(agencies):
        raise ConfigurationError(f"{where}: give either agency (one for everyone) or agencies (by group)")
    return Provider(id=str(entry["id"]), name=str(entry["name"]), issuer=str(entry["issuer"]).rstrip("/"),
                    client_id=str(entry["client_id"]), client_secret=secret, roles=roles,
                    agency=str(entry.get("agency") or ""), agencies=agencies,
                    groups_claim=str(entry.get("groups_claim") or "groups"),
                    scopes=" ".join(entry.get("scopes") or ["openid", "profile", "email"]))


def _table(value: object, where: str, names: tuple[str, ...] | None) -> tuple[tuple[str, frozenset[str]], ...]:
    if not isinstance(value, dict) or not all(isinstance(v, list) and v for v in value.values()):
        raise ConfigurationError(f"{where}: map each name to a list of groups")
    unknown = [name for name in value if names is not None and name not in names]
    if unknown:
        raise ConfigurationError(f"{where}: unknown role {unknown[0]} (roles are {', '.join(ROLES)})")
    return tuple((str(name), frozenset(str(g) for g in groups)) for name, groups in value.items())
