"""The test OpenID Connect provider (server.mjs: the `oidc-provider` package on Node, installed by `make
oidc-provider`), started on a port the OS picks, and how the tests sign in through it over HTTP."""

from __future__ import annotations

import json
import os
import subprocess
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin

import requests

HERE = Path(__file__).resolve().parent
CALLBACK = "http://localhost/sign-in/with/test-idp/callback"  # where the Flask test client's app is reached
CLIENT_SECRET_ENV = "TEST_IDP_CLIENT_SECRET"
CLIENT_SECRET = "test-client-secret"  # the provider's client secret for these tests  # nosec B105
GROUPS = {"safeguarding_lead": ["leads"], "practitioner": ["practitioners"], "mash": ["mash"],
          "board": ["board"], "trainer": ["trainers"], "admin": ["admins"]}
PEOPLE = {"safeguarding_lead": "lee", "practitioner": "pat", "mash": "mo", "board": "bo", "trainer": "tia",
          "admin": "ada"}


@dataclass(frozen=True)
class LocalProvider:
    issuer: str

    def providers_file(self, folder: Path) -> str:
        """A providers file (OIDC_PROVIDERS_FILE) naming this provider as 'test-idp'."""
        path = folder / "providers.yaml"
        path.write_text(json.dumps({"providers": [{
            "id": "test-idp", "name": "Test Council", "issuer": self.issuer, "client_id": "screening",
            "client_secret_env": CLIENT_SECRET_ENV, "scopes": ["openid", "profile", "email", "groups"],
            "roles": GROUPS, "agency": "social_care"}]}))
        return str(path)

    def set_groups(self, account: str, groups: list[str]) -> None:
        requests.post(f"{self.issuer}/test/groups", json={"account": account, "groups": groups},
                      timeout=10).raise_for_status()

    def authorize(self, authorization_url: str, account: str) -> str:
        """Sign `account` in at the provider (its login form, as a browser would) from the app's redirect to it;
        returns the app's callback address with the code and state."""
        browser = requests.Session()
        response = browser.get(authorization_url, allow_redirects=False, timeout=10)
        while response.status_code in (302, 303) and response.headers["Location"].startswith(("/", self.issuer)):
            location = urljoin(self.issuer, response.headers["Location"])
            response = browser.get(location, allow_redirects=False, timeout=10)
            if response.status_code == 200 and 'name="login"' in response.text:  # the login form
                response = browser.post(location, data={"prompt": "login", "login": account, "password": "any"},
                                        allow_redirects=False, timeout=10)
        assert response.status_code in (302, 303), response.text[:500]
        return response.headers["Location"]


@contextmanager
def running_provider(redirect_uris: tuple[str, ...] = (CALLBACK,),
                     post_logout_redirect_uris: tuple[str, ...] = ("http://localhost/signed-out",),
                     ) -> Iterator[LocalProvider]:
    """Start the provider; ready once its discovery document is served; stopped afterwards."""
    if not (HERE / "node_modules" / "oidc-provider").is_dir():
        raise RuntimeError("the test OpenID provider is not installed: run `make oidc-provider`")
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "REDIRECT_URIS": ",".join(redirect_uris),
           "POST_LOGOUT_REDIRECT_URIS": ",".join(post_logout_redirect_uris)}
    process = subprocess.Popen(["node", str(HERE / "server.mjs")], cwd=HERE, env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.DEVNULL, text=True)
    try:
        line = process.stdout.readline()  # written once the server listens
        assert line, "the test OpenID provider stopped before it listened"
        issuer = json.loads(line)["issuer"]
        with urllib.request.urlopen(f"{issuer}/.well-known/openid-configuration", timeout=10) as answer:  # nosec B310
            assert json.load(answer)["issuer"] == issuer
        yield LocalProvider(issuer)
    finally:
        process.terminate()
        process.wait(timeout=10)
        process.stdout.close()


def through_provider(client, idp: LocalProvider, account: str):
    """Start at the app, sign in at the provider as `account`, come back: the app's answer to the callback."""
    start = client.get("/sign-in/with/test-idp")
    assert start.status_code == 302 and start.location.startswith(idp.issuer)
    assert "code_challenge_method=S256" in start.location and "nonce=" in start.location
    return client.get(idp.authorize(start.location, account))
