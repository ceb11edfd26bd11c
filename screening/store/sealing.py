"""Keys for children's identities: Fernet (AES-128-CBC with HMAC-SHA256, from `cryptography`) seals each child's
identity, and a separate HMAC-SHA256 key makes the blind indexes they are found by, so the database holds no
identifier in plain text and none that can be searched without the index key.

Production takes both from the environment and refuses to start without them. Demo mode makes them once and keeps
them in the data folder. Rotation: put a new Fernet key first in SCREENING_IDENTITY_KEYS (keep the old ones after
it), run `screening children rotate-keys`, then drop the old keys (docs/deploying.md)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

from ..errors import ScreeningError
from ..identifiers import Identity


class KeysMissing(ScreeningError, RuntimeError):
    """Production needs the identity and index keys; the message says how to make them."""


@dataclass(frozen=True)
class Keys:
    identity: MultiFernet
    index: bytes

    def seal(self, who: Identity) -> str:
        return self.identity.encrypt(json.dumps(who.to_json(), sort_keys=True).encode()).decode("ascii")

    def unseal(self, token: str) -> Identity:
        try:
            data = json.loads(self.identity.decrypt(token.encode("ascii")))
        except InvalidToken:
            raise KeysMissing("a child's identity cannot be read with the keys given: is SCREENING_IDENTITY_KEYS "
                              "missing the key it was sealed with?") from None
        return Identity.from_json(data)

    def reseal(self, token: str) -> str:
        """The same identity under the newest key."""
        return self.identity.rotate(token.encode("ascii")).decode("ascii")

    def blind(self, kind: str, value: str) -> str:
        return hmac.new(self.index, f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()


def keys_from(identity_keys: str, index_key: str) -> Keys:
    """Keys from their settings: Fernet keys comma-separated, newest first; the index key as urlsafe base64 of
    32 or more bytes."""
    try:
        fernets = [Fernet(k.strip().encode("ascii")) for k in identity_keys.split(",") if k.strip()]
        index = base64.urlsafe_b64decode(index_key.strip().encode("ascii"))
    except (ValueError, UnicodeEncodeError):
        raise KeysMissing(f"the identity or index key cannot be read. {_HOW}") from None
    if not fernets or len(index) < 32:
        raise KeysMissing(f"the identity and index keys are required. {_HOW}")
    return Keys(MultiFernet(fernets), index)


_HOW = ("Make them with `screening children new-keys` and set SCREENING_IDENTITY_KEYS and SCREENING_INDEX_KEY "
        "(docs/deploying.md)")


def new_keys() -> dict[str, str]:
    return {"identity": Fernet.generate_key().decode("ascii"),
            "index": base64.urlsafe_b64encode(os.urandom(32)).decode("ascii")}


def demo_keys(data_dir: str | Path) -> Keys:
    """Demo mode's keys, made once and kept in the data folder, so that every worker reads the same children."""
    path = Path(data_dir) / "identity_keys.json"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        draft = path.with_name(f".identity_keys.{os.getpid()}")
        descriptor = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w", encoding="ascii") as file:
            json.dump(new_keys(), file)
        try:
            os.link(draft, path)  # appears whole or not at all; the first worker's keys win
        except FileExistsError:
            pass
        finally:
            draft.unlink()
    kept = json.loads(path.read_text(encoding="ascii"))
    return keys_from(kept["identity"], kept["index"])
