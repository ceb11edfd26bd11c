"""Tests that need a PostgreSQL server of their own to stop and restart: run by the PostgreSQL leg of `make test`
(scripts/with-postgres.sh sets SCREENING_TEST_PG_CTL), not collected in the SQLite leg."""

import os

collect_ignore_glob = [] if os.environ.get("SCREENING_TEST_PG_CTL") else ["test_*.py"]
