"""On PostgreSQL: the app's own role may add to the audit trail but never change, delete or truncate it, and the
owner cannot truncate it either; the app serves a journey as that role."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from screening.cli import main
from screening.web import create_app
from tests.conftest import prepared_database
from tests.web.conftest import Practitioner, signed_in_client


def test_the_app_role_only_adds_to_the_audit_trail(tmp_path):
    owner_url = prepared_database(tmp_path)
    owner = create_engine(owner_url)
    with owner.begin() as connection:
        connection.execute(text("DROP ROLE IF EXISTS screening_app_test"))
        connection.execute(text("CREATE ROLE screening_app_test LOGIN"))
    granted = CliRunner().invoke(main, ["db", "grant-app-role", "screening_app_test", "--database", owner_url])
    assert granted.exit_code == 0, granted.output
    app_url = make_url(owner_url).set(username="screening_app_test").render_as_string(hide_password=False)

    app = create_app({"DATABASE_URL": app_url, "TESTING": True})
    practitioner = Practitioner(signed_in_client(app))
    practitioner.start()  # signs in, creates a draft: audit events written as the app role
    app_engine = create_engine(app_url)
    with app_engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM audit_events")).scalar() >= 2
    for statement in ("UPDATE audit_events SET actor = 'x'", "DELETE FROM audit_events", "TRUNCATE audit_events",
                      "CREATE TABLE sneaky (id int)", "DELETE FROM alembic_version"):
        with app_engine.connect() as connection, pytest.raises(Exception, match="permission denied"):
            connection.execute(text(statement))
    with owner.connect() as connection, pytest.raises(Exception, match="append-only"):
        connection.execute(text("TRUNCATE audit_events"))
    app_engine.dispose()
    with owner.begin() as connection:
        connection.execute(text("REASSIGN OWNED BY screening_app_test TO postgres"))
        connection.execute(text("DROP OWNED BY screening_app_test"))
    owner.dispose()


def test_grant_app_role_is_refused_on_sqlite(tmp_path):
    result = CliRunner().invoke(main, ["db", "grant-app-role", "app", "--database", f"sqlite:///{tmp_path / 'x.db'}"])
    assert result.exit_code == 1 and "PostgreSQL only" in result.output
