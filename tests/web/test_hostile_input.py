"""Hostile or malformed requests get a clear answer (a GOV.UK error message, a 400 or a 404), never a 500 and
never a redirect to another site."""

from __future__ import annotations

import pytest

from tests.web.conftest import DEMO_PASSWORDS, errors_in, signed_in_client


@pytest.mark.parametrize("target", ["/%09/evil.example/phish", "/%0A/evil.example", "/%5Cevil.example",
                                    "//evil.example", "https://evil.example/", "/%0D%0ASet-Cookie:x=1"])
def test_sign_in_never_redirects_off_the_site(anonymous, target):
    form = anonymous.get("/sign-in").text
    token = form.split('name="csrf_token" value="')[1].split('"')[0]
    response = anonymous.post(f"/sign-in?next={target}", data={
        "csrf_token": token, "username": "demo-practitioner", "password": DEMO_PASSWORDS["demo-practitioner"]})
    assert response.status_code == 302
    assert response.location == "/", response.location


def test_a_local_next_page_is_kept(anonymous):
    token = anonymous.get("/sign-in").text.split('name="csrf_token" value="')[1].split('"')[0]
    response = anonymous.post("/sign-in?next=/screenings", data={
        "csrf_token": token, "username": "demo-practitioner", "password": DEMO_PASSWORDS["demo-practitioner"]})
    assert response.location == "/screenings"


@pytest.mark.parametrize(("page", "data", "message"), [
    ("signs", {"missing_episodes_90d": "²"}, "Enter a whole number"),
    ("signs", {"missing_episodes_90d": "①"}, "Enter a whole number"),
    ("signs", {"missing_episodes_90d": "٣"}, "Enter a whole number"),
    ("signs", {"missing_episodes_90d": "9" * 5000}, "The number must be"),
    ("start", {"agency": "school", "age": "²"}, "Enter the child&#39;s age"),
    ("start", {"agency": "school", "age": "9" * 5000}, "The age must be between 0 and 17"),
    ("start", {"agency": "school", "age__dob_day": "99999999999999999999", "age__dob_month": "1",
               "age__dob_year": "2012"}, "Date of birth must be a real date"),
    ("start", {"agency": "school", "age__dob_day": "1", "age__dob_month": "1", "age__dob_year": "٢٠١٢"},
     "Date of birth must be a real date"),
])
def test_numbers_the_tool_cannot_read_get_a_message_beside_the_field(practitioner, page, data, message):
    practitioner.start()
    response = practitioner.page(page, data, expect=400)
    assert any(message in e for e in errors_in(response.text)), errors_in(response.text)


@pytest.mark.parametrize("query", ["days=%C2%B2", "days=99999999999999", "days=-1", "days=" + "9" * 5000])
def test_the_audit_log_filter_takes_any_days_value(app, query):
    lead = signed_in_client(app, "demo-lead")
    assert lead.get(f"/admin/audit?{query}").status_code == 200


@pytest.mark.parametrize("path", ["/rules/versions/99999999999999999999", "/rules/versions/0",
                                  "/training/child_b/stages/99999999999999999999"])
def test_ids_too_large_for_the_database_are_not_found(app, path):
    lead = signed_in_client(app, "demo-lead")
    assert lead.get(path).status_code == 404


def test_a_form_part_without_a_name_is_a_bad_request(client):
    body = b"--XX\r\nContent-Disposition: form-data\r\n\r\nvalue\r\n--XX--\r\n"
    response = client.post("/screenings", data=body, content_type="multipart/form-data; boundary=XX")
    assert response.status_code == 400


def test_strict_transport_security_is_sent_only_when_configured(app, client):
    assert "Strict-Transport-Security" not in client.get("/").headers
    app.config["HSTS_SECONDS"] = 31536000
    assert client.get("/").headers["Strict-Transport-Security"] == "max-age=31536000"

