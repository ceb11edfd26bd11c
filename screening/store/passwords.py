"""Which passwords to refuse, following the NCSC's advice: long enough, and not one that attackers try first.
No composition rules (a digit, a capital): they make passwords harder to remember, not harder to guess."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from ..words import gettext as _

MIN_LENGTH = 12
COMMON_FILE = Path(__file__).with_name("common_passwords.txt")
_SEQUENCES = ("0123456789012345678901234567890", "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz",
              "qwertyuiopasdfghjklzxcvbnmqwertyuiopasdfghjklzxcvbnm")


@cache
def _common() -> frozenset[str]:
    """The shipped deny-list: the words and names at the top of every breached-password list."""
    lines = COMMON_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().lower() for line in lines if line.strip() and not line.startswith("#"))


def problem(password: str) -> str:
    """Why `password` is refused, or '' when it is acceptable."""
    if len(password) < MIN_LENGTH:
        return _("passwords must be at least %(n)s characters", n=MIN_LENGTH)
    lowered = password.lower()
    core = re.sub(r"^[\W\d_]+|[\W\d_]+$", "", lowered)  # 'Password1234!' -> 'password'
    if len(set(lowered)) <= 3 or _is_sequence(lowered):
        return _("choose a password that is not a repeated character or a run like 123456789012")
    if lowered in _common() or core in _common() or _repeats_a_common_word(core):
        return _("that password is one of the first that attackers try; choose three random words instead")
    return ""


def _is_sequence(text: str) -> bool:
    return any(text in run or text in run[::-1] for run in _SEQUENCES)


def _repeats_a_common_word(core: str) -> bool:
    """'passwordpassword', 'qwertyqwerty': a common word written again and again."""
    return any(len(core) % len(word) == 0 and core == word * (len(core) // len(word))
               for word in _common() if 3 <= len(word) < len(core))
