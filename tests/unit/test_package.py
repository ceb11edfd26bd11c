"""The package runs away from the checkout: a built wheel holds the templates, the static files (the committed
ones, and the built CSS when it exists), the schema, the migrations and the Welsh catalogue (compiled by `make`
before the build); an installed copy keeps its data in the
user's data folder, not inside the code."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile

from tests.conftest import ROOT


def test_a_built_wheel_holds_what_the_app_reads_at_run_time(tmp_path):
    had_build = (ROOT / "build").exists()
    try:
        subprocess.run([sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "--no-build-isolation", "-q",
                        "-w", str(tmp_path)], check=True, capture_output=True, timeout=600)
    finally:
        if not had_build:
            shutil.rmtree(ROOT / "build", ignore_errors=True)  # setuptools' work folder, not ours to keep
    (wheel,) = tmp_path.glob("*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for needed in ("screening/web/templates/base.html", "screening/web/templates/outcome.html",
                   "screening/web/templates/macros/outcome.html", "screening/web/static/js/init.js",
                   "screening/web/static/referral/referral.css", "screening/web/static/favicon.svg",
                   "screening/schema/ruleset.schema.json", "screening/store/migrations/env.py",
                   "screening/store/migrations/versions/0005_impact_jobs.py", "screening/store/common_passwords.txt",
                   "screening/translations/cy/LC_MESSAGES/messages.po",  # the Welsh, compiled by `make`
                   "screening/translations/cy/LC_MESSAGES/messages.mo"):
        assert needed in names, needed


def test_an_installed_copy_keeps_its_data_outside_the_code(tmp_path, monkeypatch):
    from screening.web import settings
    monkeypatch.setattr(settings, "ROOT", tmp_path / "site-packages")  # no pyproject.toml: not a checkout
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    assert settings._default_data_dir() == tmp_path / "data" / "cse-screening"
    monkeypatch.setattr(settings, "ROOT", ROOT)
    assert settings._default_data_dir() == ROOT / "instance"
