"""Signing in through the real form in the browser, with the demo accounts (demo mode)."""

from __future__ import annotations

DEMO_PASSWORDS = {"demo-practitioner": "demo-practitioner-password", "demo-lead": "demo-lead-password",
                  "demo-nurse": "demo-nurse-password", "demo-mash": "demo-mash-password",
                  "demo-board": "demo-board-password",
                  "demo-trainer": "demo-trainer-password", "demo-admin": "demo-admin-password"}


def sign_in(page, base: str, username: str = "demo-practitioner", axe=None) -> None:
    page.goto(base + "/sign-in")
    if axe:
        axe(page)
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password", exact=True).fill(DEMO_PASSWORDS[username])
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.wait_for_url(lambda url: "/sign-in" not in url)
