"""Security settings: Content-Security-Policy, cookies and headers, CSRF, API throttling, no personal data in the
log, and a clean `check --deploy` with production settings."""

import io
import json
import logging
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client as DjangoClient
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse
from rest_framework.authtoken.models import Token
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle

from kansrijk.core.log_privacy import pseudonymous_login_client

PACKAGE = Path(__file__).resolve().parents[2]
PASSWORD = "password"


def _policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in (p.strip() for p in header.split(";")) if part}


# --- Content-Security-Policy -------------------------------------------------------------------------------------

def _page_names(resolver: URLResolver, namespace: str = "") -> list[str]:
    names = []
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace in ("admin", "api"):
                continue
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names += _page_names(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.append(f"{namespace}{pattern.name}")
    return names


def _reachable_pages(world) -> list[str]:
    """Every named page that needs no argument or only a client's id: the bulk of the interface."""
    urls = []
    for name in sorted(set(_page_names(get_resolver()))):
        for kwargs in ({}, {"pk": world.own.pk}):
            try:
                url = reverse(name, kwargs=kwargs)
            except NoReverseMatch:
                continue
            if "pk" not in kwargs or url.startswith("/klanten/"):
                urls.append(url)
            break
    return urls


INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I)
STYLE_ATTRIBUTE = re.compile(r"<[a-z][^>]*\sstyle\s*=", re.I)


def _assert_strict_policy(response, url):
    policy = _policy(response)
    assert policy["default-src"] == ["'self'"], url
    assert "'unsafe-inline'" not in policy["script-src"] and "'unsafe-eval'" not in policy["script-src"], url
    assert policy["style-src"] == ["'self'"], url
    assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"], url
    assert policy["base-uri"] == ["'self'"] and policy["form-action"] == ["'self'"], url
    assert policy["img-src"] == ["'self'"], url
    return policy


@pytest.mark.parametrize("role", ["klantmanager", "beheerder"])
def test_every_page_sends_a_strict_policy_and_contains_no_inline_code(world, client, role):
    client.force_login(world.users[role])
    checked = 0
    for url in _reachable_pages(world):
        response = client.get(url)
        if response.streaming:
            continue
        policy = _assert_strict_policy(response, url)
        if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
            continue
        html = response.content.decode()
        nonce = next((s[len("'nonce-"):-1] for s in policy["script-src"] if s.startswith("'nonce-")), None)
        for tag in INLINE_SCRIPT.findall(html):
            assert nonce and f'nonce="{nonce}"' in tag, f"{url}: inline script without this response's nonce: {tag}"
        assert not STYLE_ATTRIBUTE.search(html), f"{url}: style attribute (refused by style-src 'self')"
        assert "<style" not in html, f"{url}: <style> element (refused by style-src 'self')"
        checked += 1
    assert checked >= 15, f"only {checked} pages rendered; did the page discovery break?"


def test_login_and_error_pages_send_the_policy_too(world, client):
    _assert_strict_policy(client.get(reverse("accounts:login")), "login")
    _assert_strict_policy(client.get("/bestaat-niet/"), "404")
    client.force_login(world.users["klantmanager"])
    _assert_strict_policy(client.get(reverse("api:client-list")), "api")


def test_chart_pages_load_their_script_from_a_static_file(world, login):
    from django.contrib.staticfiles import finders

    html = login(world.users["beheerder"]).get(reverse("monitoring:caseload")).content.decode()
    assert "/static/kansrijk/charts/analysis.js" in html and "<canvas" in html
    for name in ("analysis", "progress"):  # the pilot evaluation uses analysis.js too
        assert "new window.Chart" in Path(finders.find(f"kansrijk/charts/{name}.js")).read_text()


def test_htmx_injects_no_styles_and_keeps_no_page_copies(world, login):
    html = login(world.users["klantmanager"]).get(reverse("core:home")).content.decode()
    config = json.loads(re.search(r"<meta name=\"htmx-config\" content='([^']+)'>", html).group(1))
    assert config["includeIndicatorStyles"] is False and config["allowEval"] is False
    assert config["historyCacheSize"] == 0
    css = (PACKAGE / "static" / "kansrijk" / "kansrijk.css").read_text()
    assert ".htmx-request .htmx-indicator" in css


TEMPLATE_EXEMPT = {
    # drf-spectacular's Redoc page: its own relaxed policy (urls.API_DOCS_CSP) allows inline styles there.
    "templates/drf_spectacular/redoc.html",
    # The client's own file for an access request is a download (Content-Disposition: attachment), opened from disk
    # where no policy of ours applies; it carries its styling inline so it reads well without the server.
    "templates/privacy/client_file.html",
}


def test_no_template_contains_inline_script_or_style():
    templates = [p for p in PACKAGE.rglob("templates/**/*.html")]
    assert len(templates) > 50
    offenders = []
    for path in templates:
        relative = path.relative_to(PACKAGE).as_posix()
        if relative in TEMPLATE_EXEMPT:
            continue
        text = path.read_text()
        for tag in INLINE_SCRIPT.findall(text):
            if "csp_nonce" not in tag:
                offenders.append(f"{relative}: {tag}")
        if re.search(r"\sstyle\s*=", text) or "<style" in text:
            offenders.append(f"{relative}: inline style")
    assert not offenders, "\n".join(offenders)


def test_template_scan_catches_what_it_should():
    assert INLINE_SCRIPT.search("<script>alert(1)</script>")
    assert INLINE_SCRIPT.search('<script nonce="{{ request.csp_nonce }}">x()</script>')  # allowed via the nonce
    assert not INLINE_SCRIPT.search('<script src="/static/x.js" defer></script>')
    assert not INLINE_SCRIPT.search('<script id="d" type="application/json">{}</script>')
    assert STYLE_ATTRIBUTE.search('<span class="bar" style="width: 3%">')


@pytest.mark.parametrize("name", ["api:api-docs", "api:api-redoc"])
def test_api_documentation_has_its_own_relaxed_policy(world, login, name):
    response = login(world.users["klantmanager"]).get(reverse(name))
    assert response.status_code == 200
    policy = _policy(response)
    assert "'unsafe-inline'" in policy["style-src"] and "blob:" in policy["worker-src"] and "data:" in policy["img-src"]
    assert "'unsafe-inline'" not in policy["script-src"] and "'unsafe-eval'" not in policy["script-src"]
    html = response.content.decode()
    assert not INLINE_SCRIPT.search(html), "the documentation's start script must be a file"
    assert "googleapis" not in html


def test_swagger_start_script_is_served_as_a_file(world, login):
    response = login(world.users["klantmanager"]).get(reverse("api:api-docs") + "?script=")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle(" in response.content.decode()


# --- Cookies, headers, clickjacking -----------------------------------------------------------------------------

@pytest.mark.skipif(os.environ.get("DEBUG", "").lower() in {"1", "true", "yes", "on", "ja"},
                    reason="settings were loaded with DEBUG on; the production run below covers them")
def test_production_headers_and_cookies(world, client):
    login_page = client.get(reverse("accounts:login"), secure=True)
    assert login_page["X-Frame-Options"] == "DENY"
    assert login_page["X-Content-Type-Options"] == "nosniff"
    assert login_page["Referrer-Policy"] == "same-origin"
    assert login_page["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    csrf = login_page.cookies[settings.CSRF_COOKIE_NAME]
    assert csrf["secure"] and csrf["httponly"] and csrf["samesite"] == "Lax"
    response = client.post(reverse("accounts:login"), {"username": "klantmanager", "password": PASSWORD},
                           secure=True)
    assert response.status_code == 302
    session = response.cookies[settings.SESSION_COOKIE_NAME]
    assert session["secure"] and session["httponly"] and session["samesite"] == "Lax"
    assert not session["max-age"] and not session["expires"], "the session cookie must end with the browser"


def test_production_settings_from_the_environment(tmp_path):
    """The settings module itself, loaded as in production: nothing but the required variables set."""
    names = ["DEBUG", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY",
             "CSRF_COOKIE_HTTPONLY", "SESSION_COOKIE_SAMESITE", "CSRF_COOKIE_SAMESITE",
             "SESSION_EXPIRE_AT_BROWSER_CLOSE", "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS",
             "X_FRAME_OPTIONS", "SECURE_CONTENT_TYPE_NOSNIFF", "SECURE_REFERRER_POLICY", "SILENCED_SYSTEM_CHECKS",
             "OTP_TOTP_THROTTLE_FACTOR"]
    code = ("import json, django; django.setup(); from django.conf import settings as s; "
            f"print(json.dumps({{k: getattr(s, k) for k in {names!r}}}))")
    result = subprocess.run([sys.executable, "-c", code], env=_production_env(tmp_path), capture_output=True,
                            text=True)
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    assert values == {
        "DEBUG": False, "SESSION_COOKIE_SECURE": True, "CSRF_COOKIE_SECURE": True, "SESSION_COOKIE_HTTPONLY": True,
        "CSRF_COOKIE_HTTPONLY": True, "SESSION_COOKIE_SAMESITE": "Lax", "CSRF_COOKIE_SAMESITE": "Lax",
        "SESSION_EXPIRE_AT_BROWSER_CLOSE": True, "SECURE_HSTS_SECONDS": 31536000,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True, "X_FRAME_OPTIONS": "DENY", "SECURE_CONTENT_TYPE_NOSNIFF": True,
        "SECURE_REFERRER_POLICY": "same-origin", "SILENCED_SYSTEM_CHECKS": ["security.W008"],
        "OTP_TOTP_THROTTLE_FACTOR": 1,
    }


# --- CSRF ---------------------------------------------------------------------------------------------------------

def test_login_without_csrf_token_is_refused(world):
    browser = DjangoClient(enforce_csrf_checks=True)
    response = browser.post(reverse("accounts:login"), {"username": "klantmanager", "password": PASSWORD})
    assert response.status_code == 403
    assert "_auth_user_id" not in browser.session


def test_form_without_csrf_token_is_refused(world):
    browser = DjangoClient(enforce_csrf_checks=True)
    browser.force_login(world.users["teamleider"])
    response = browser.post(reverse("caseload:client-assign", args=[world.own.pk]),
                            {"team": world.team.pk, "client_manager": world.colleague.pk})
    assert response.status_code == 403
    world.own.refresh_from_db()
    assert world.own.client_manager == world.users["klantmanager"]
    # The same form with the token from the page goes through: the refusal above was about the token only.
    page = browser.get(reverse("caseload:client-detail", args=[world.own.pk]))
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode()).group(1)
    ok = browser.post(reverse("caseload:client-assign", args=[world.own.pk]),
                      {"team": world.team.pk, "client_manager": world.colleague.pk, "csrfmiddlewaretoken": token})
    assert ok.status_code == 302
    world.own.refresh_from_db()
    assert world.own.client_manager == world.colleague


def _contact(summary="Telefonisch gesprek.", on="2024-01-02"):
    return json.dumps({"contacted_on": on, "channel": "telefoon", "summary": summary})


def test_api_with_session_enforces_csrf_but_token_clients_need_none(world):
    url = reverse("api:client-contacts-list", kwargs={"client_pk": world.own.pk})
    browser = DjangoClient(enforce_csrf_checks=True)
    browser.force_login(world.users["klantmanager"])
    refused = browser.post(url, _contact(), content_type="application/json")
    assert refused.status_code == 403 and refused["Content-Type"] == "application/problem+json"
    assert "CSRF" in refused.json()["detail"]
    assert browser.get(url).status_code == 200  # safe methods need no token
    token = Token.objects.create(user=world.users["klantmanager"])
    script = DjangoClient(enforce_csrf_checks=True)
    created = script.post(url, _contact(), content_type="application/json", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert created.status_code == 201, created.content


# --- Two-factor also for the API over the browser session ---------------------------------------------------------

def test_api_session_needs_the_second_login_step_when_the_role_requires_it(world, client):
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from kansrijk.accounts.models import RolePolicy

    RolePolicy.objects.filter(role="klantmanager").update(otp_required=True)
    client.post(reverse("accounts:login"), {"username": "klantmanager", "password": PASSWORD})
    assert client.get(reverse("api:client-list")).status_code == 401  # password alone: no API
    client.get(reverse("accounts:otp"))
    device = TOTPDevice.objects.get(user=world.users["klantmanager"])
    code = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift):06d}"
    assert client.post(reverse("accounts:otp"), {"token": code}).status_code == 302
    assert client.get(reverse("api:client-list")).status_code == 200


# --- API throttling -----------------------------------------------------------------------------------------------

@pytest.fixture
def tiny_rates(monkeypatch):
    # DRF reads the rates into the throttle classes when they are imported; the cache behind them is emptied per
    # test by the root conftest.
    monkeypatch.setattr(UserRateThrottle, "THROTTLE_RATES", {"user": "3/minute", "anon": "2/minute"})
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"user": "3/minute", "anon": "2/minute"})


def _assert_throttled_problem(response):
    assert response.status_code == 429
    assert response["Content-Type"] == "application/problem+json"
    assert 0 < int(response["Retry-After"]) <= 60
    body = response.json()
    assert body["status"] == 429 and body["code"] == "throttled" and body["title"] == "Te veel verzoeken"
    assert f"over {response['Retry-After']} seconden" in body["detail"]


def test_api_user_is_throttled_with_problem_details(world, api_login, tiny_rates):
    api = api_login(world.users["klantmanager"])
    for _ in range(3):
        assert api.get(reverse("api:me")).status_code == 200
    _assert_throttled_problem(api.get(reverse("api:me")))
    # Per user: a colleague from the same address is not slowed down by it.
    assert api_login(world.users["teamleider"]).get(reverse("api:me")).status_code == 200


def test_anonymous_api_requests_are_throttled(db, client, tiny_rates):
    schema = reverse("api:schema") + "?format=json"
    for _ in range(2):
        assert client.get(schema).status_code == 200
    _assert_throttled_problem(client.get(schema))


def test_api_rates_come_from_the_settings():
    rates = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
    assert set(rates) == {"anon", "user"}
    assert {c.rsplit(".", 1)[1] for c in settings.REST_FRAMEWORK["DEFAULT_THROTTLE_CLASSES"]} == {
        "AnonRateThrottle", "UserRateThrottle"}


# --- No personal data in the log ------------------------------------------------------------------------------------

@pytest.fixture
def log_output():
    """What the configured console handler writes, with the root logger opened up to DEBUG (LOG_LEVEL=DEBUG)."""
    root = logging.getLogger()
    console = next(h for h in root.handlers if h.get_name() == "console")
    buffer = io.StringIO()
    previous_stream, previous_level = console.setStream(buffer), root.level
    root.setLevel(logging.DEBUG)
    try:
        yield buffer
    finally:
        root.setLevel(previous_level)
        console.setStream(previous_stream)


def test_no_personal_data_reaches_the_log(world, log_output, monkeypatch, settings, tmp_path):
    settings.KANSRIJK_UPLOAD_DIR = tmp_path
    secrets = ["Anna", "Jansen", "111222333", "anna.jansen@example.nl", "0612345678", "pietje.puk", "7364519"]
    browser = DjangoClient(raise_request_exception=False)
    # A failed login under an e-mail address as username, and a lockout of an existing user.
    browser.post(reverse("accounts:login"), {"username": "pietje.puk@example.nl", "password": "fout"})
    for _ in range(settings.AXES_FAILURE_LIMIT + 1):
        browser.post(reverse("accounts:login"), {"username": "klantmanager", "password": "fout"})
    secrets.append("klantmanager")

    browser.force_login(world.users["klantmanager"])
    assert browser.get(reverse("caseload:client-list"), {"q": "Jansen"}).status_code == 200
    browser.get(reverse("caseload:client-list") + "?q=Jansen", HTTP_HX_REQUEST="true")
    browser.get(reverse("caseload:client-detail", args=[world.own.pk]))
    browser.get("/klanten/999999/?q=Jansen")  # 404
    browser.get("/api/v1/clients/999999/?bsn=111222333")  # API 404
    bad = browser.post(reverse("api:client-contacts-list", kwargs={"client_pk": world.own.pk}),
                       _contact("Anna Jansen, anna.jansen@example.nl, 0612345678", on="morgen"),
                       content_type="application/json")
    assert bad.status_code in (400, 403)
    upload = io.BytesIO(("Dossiernr;Clientnummer;geboortejaar;geslacht;Kode groep;Startdatum periodiek algemeen;"
                         "Einddatum periodiek algemeen;Oorspronkelijke begindatum uitkeringsdossier;"
                         "Omschrijving leefvorm;Oorzaak bijstandsafhankelijkheid\n"
                         "1;7364519;1800;Q;PW;31-02-2015;;01-01-2015;Alleenstaande;11\n").encode())
    upload.name = "export.csv"
    administrator = DjangoClient(raise_request_exception=False)
    administrator.force_login(world.users["beheerder"])
    assert administrator.post(reverse("caseload:import-upload"),
                              {"file": upload, "municipality": world.muni.pk}).status_code in (200, 302)

    # A server error whose exception quotes the client, as a database error quotes the offending row.
    def broken(*args, **kwargs):
        # Built from the data, not written out: the traceback quotes this source line, as it would real code.
        own = world.own
        raise ValueError(f"Key (bsn)=({own.bsn}) already exists for {own.given_names} {own.family_name}")

    monkeypatch.setattr("kansrijk.caseload.selectors.spell_timeline", broken)
    assert browser.get(reverse("caseload:client-detail", args=[world.own.pk]), {"q": "Jansen"}).status_code == 500

    logged = log_output.getvalue()
    assert "Internal Server Error" in logged and "ValueError" in logged, "the error itself must still be logged"
    assert "AXES" in logged and pseudonymous_login_client("klantmanager", "127.0.0.1", "", "", None) in logged
    assert "Not Found" in logged
    leaked = [s for s in secrets if s.lower() in logged.lower()]
    assert not leaked, f"personal data in the log: {leaked}\n{logged}"


def test_runserver_request_lines_lose_their_query_string(log_output):
    logging.getLogger("django.server").info('"%s" %s %s', "GET /klanten/?q=Jansen&bsn=111222333 HTTP/1.1", 200, 5)
    logged = log_output.getvalue()
    assert "GET /klanten/?[…] HTTP/1.1" in logged and "Jansen" not in logged


# --- kansrijk check --deploy ----------------------------------------------------------------------------------------

def _production_env(tmp_path) -> dict[str, str]:
    """The environment docs/configuration.md's production checklist asks for, and nothing that relaxes it."""
    env = {k: v for k, v in os.environ.items() if k not in {
        "DEBUG", "ALLOW_PLAIN_HTTP", "SECURE_COOKIES", "SECURE_HSTS_SECONDS", "SECURE_SSL_REDIRECT", "LOG_LEVEL"}}
    env.update({"SECRET_KEY": "pV7#kq2!Lx9@mZ4$wR8&tY1*uI6^oP3%aS5(dF0)gH-jK_lQ+zX=cB",
                "ALLOWED_HOSTS": "kansrijk.example.nl", "PSEUDONYMISATION_KEY": "q" * 48,
                "CSRF_TRUSTED_ORIGINS": "https://kansrijk.example.nl", "BEHIND_TLS_PROXY": "1",
                "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}", "KANSRIJK_HOME": str(tmp_path),
                "DJANGO_SETTINGS_MODULE": "kansrijk.settings"})
    return env


def test_deploy_check_reports_nothing_with_production_settings(tmp_path):
    result = subprocess.run([sys.executable, "-m", "kansrijk.manage", "check", "--deploy", "--fail-level", "WARNING"],
                            env=_production_env(tmp_path), capture_output=True, text=True)
    assert result.returncode == 0, result.stderr + result.stdout
    # The one silenced check is W008 (HTTPS redirect at the proxy, reason in settings.py); nothing else is hidden.
    assert result.stdout.strip() == "System check identified no issues (1 silenced).", result.stdout


def test_a_forged_forwarded_for_header_does_not_escape_the_anonymous_throttle(db, client, tiny_rates):
    """DRF identifies an anonymous caller by the X-Forwarded-For header when NUM_PROXIES is unset, a header the
    caller writes: a new value per request would never be throttled. Without a proxy the socket address counts."""
    schema = reverse("api:schema") + "?format=json"
    for number in range(2):
        assert client.get(schema, HTTP_X_FORWARDED_FOR=f"203.0.113.{number}").status_code == 200
    _assert_throttled_problem(client.get(schema, HTTP_X_FORWARDED_FOR="203.0.113.99"))
