"""What a buyer and the public check without signing in: the accessibility statement, the privacy notice and the
cookies page, filled from the deployment's settings (demo mode says it holds practice data only)."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template

from ..access import allow

assurance = Blueprint("assurance", __name__)


def deployment() -> dict[str, object]:
    """Who is responsible and for how long records are kept, as this deployment's settings say."""
    config = current_app.config
    return {"demo": config["DEMO"], "controller": config["DATA_CONTROLLER"], "dpo": config["DATA_PROTECTION_OFFICER"],
            "contact": config["SERVICE_CONTACT"], "years_from_birth": config["RETENTION_YEARS_FROM_BIRTH"],
            "unlinked_days": config["RETENTION_DAYS"], "draft_days": config["RETENTION_DRAFT_DAYS"],
            "idle_minutes": config["IDLE_TIMEOUT_MINUTES"]}


@assurance.get("/accessibility")
@allow("public")
def accessibility():
    return render_template("assurance/accessibility.html", d=deployment())


@assurance.get("/privacy")
@allow("public")
def privacy():
    return render_template("assurance/privacy.html", d=deployment())


@assurance.get("/cookies")
@allow("public")
def cookies():
    return render_template("assurance/cookies.html", d=deployment())
