"""Sign-in: only failures count, per account and per address, shared by every instance; a locked account costs the
same work as any other; passwords follow NCSC guidance; usernames are checked when they are made."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher

from screening.store import users as accounts
from screening.web import create_app
from tests.conftest import prepared_database
from tests.web.conftest import sign_in


def test_successful_sign_ins_are_never_throttled(app):
    client = app.test_client()
    assert [sign_in(client).status_code for _ in range(accounts.ADDRESS_LIMIT + 5)] == [302] * 25


def test_failures_from_one_address_count_on_every_instance(app):
    second = create_app({"DATABASE_URL": app.config["DATABASE_URL"], "TESTING": True})
    for n in range(accounts.ADDRESS_LIMIT):
        assert sign_in((app if n % 2 else second).test_client(), f"nobody{n}", "wrong").status_code == 401
    assert sign_in(second.test_client(), "demo-practitioner").status_code == 429


def test_the_proxys_client_address_is_used_only_when_trusted(tmp_path):
    url = prepared_database(tmp_path, "proxy.db")
    behind = create_app({"DATABASE_URL": url, "TESTING": True, "TRUSTED_PROXY_HOPS": 1})
    for n in range(accounts.ADDRESS_LIMIT):
        sign_in(behind.test_client(), f"nobody{n}", "wrong", headers={"X-Forwarded-For": "203.0.113.9"})
    elsewhere = behind.test_client()
    assert sign_in(elsewhere, headers={"X-Forwarded-For": "198.51.100.4"}).status_code == 302
    assert sign_in(behind.test_client(), headers={"X-Forwarded-For": "203.0.113.9"}).status_code == 429
    untrusting = create_app({"DATABASE_URL": prepared_database(tmp_path, "direct.db"), "TESTING": True})
    for n in range(accounts.ADDRESS_LIMIT):  # a forged header changes nothing: all come from one address
        sign_in(untrusting.test_client(), f"nobody{n}", "wrong", headers={"X-Forwarded-For": f"192.0.2.{n}"})
    assert sign_in(untrusting.test_client(), headers={"X-Forwarded-For": "192.0.2.250"}).status_code == 429


class CountingHasher(PasswordHasher):
    """Real argon2 (cheap parameters), counting the hashes it verifies."""

    verified = 0

    def verify(self, hash, password):  # noqa: A002 - the library's own parameter name
        CountingHasher.verified += 1
        return super().verify(hash, password)


@pytest.mark.parametrize("username", ["demo-practitioner", "nobody-at-all"])
def test_a_locked_account_costs_the_same_work_as_any_other(app, username):
    accounts.use_hasher(CountingHasher(time_cost=1, memory_cost=8, parallelism=1))
    try:
        client = app.test_client()
        for _ in range(accounts.MAX_FAILURES):
            sign_in(client, "demo-practitioner", "not the password")
        CountingHasher.verified = 0
        assert sign_in(client, username, "not the password").status_code == 401
        assert CountingHasher.verified == 1  # locked, unknown or known: one argon2 verification each
    finally:
        accounts.use_hasher(PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))


@pytest.mark.parametrize("password", ["aaaaaaaaaaaa", "password1234", "Password1234!", "123456789012",
                                      "qwertyuiopas", "monkeymonkey", "short"])
def test_weak_passwords_are_refused(password):
    assert accounts.passwords.problem(password)


@pytest.mark.parametrize("password", ["correct horse battery staple", "tin-lamp-ocean-garden", "Xq7!vR2#pL9@"])
def test_long_uncommon_passwords_are_accepted(password):
    assert accounts.passwords.problem(password) == ""


@pytest.mark.parametrize("username", ["a/b", "A", "x" * 65, "Upper", "-dash", "with space", "é"])
def test_usernames_are_checked_when_made(app, username):
    with pytest.raises(accounts.AccountError, match="usernames are"), app.extensions["db"].transaction() as tx:
        accounts.add_user(tx, username, "Someone", "practitioner", "school", "tin-lamp-ocean-garden")
