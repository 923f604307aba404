"""Login safety: two-factor per role, lockout after repeated failures, idle timeout, API tokens."""

import pytest
from django.conf import settings
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token

from kansrijk.accounts.models import RolePolicy

PASSWORD = "password"


def _token(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift):06d}"


def test_password_login_lands_on_home(world, client):
    response = client.post(reverse("accounts:login"), {"username": "klantmanager", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get(reverse("core:home")).status_code == 200


def test_wrong_password_is_explained_in_dutch(world, client):
    response = client.post(reverse("accounts:login"), {"username": "klantmanager", "password": "fout"})
    assert "De gebruikersnaam of het wachtwoord klopt niet" in response.content.decode()


def test_role_requiring_two_factor_must_set_up_and_enter_a_code(world, client):
    RolePolicy.objects.filter(role="klantmanager").update(otp_required=True)
    client.post(reverse("accounts:login"), {"username": "klantmanager", "password": PASSWORD})
    response = client.get(reverse("caseload:client-list"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:otp"))
    setup = client.get(response["Location"])
    assert setup.context["setting_up"] is True and "<svg" in setup.content.decode()
    device = TOTPDevice.objects.get(user=world.users["klantmanager"])
    wrong = client.post(reverse("accounts:otp"), {"token": "000000", "next": "/klanten/"})
    assert "Deze code klopt niet" in wrong.content.decode()
    # A wrong code throttles the device (django-otp backs off after failures); an honest retry comes later.
    device.refresh_from_db()
    assert device.throttling_failure_count == 1
    device.throttle_reset()
    ok = client.post(reverse("accounts:otp"), {"token": _token(device), "next": "/klanten/"})
    assert ok.status_code == 302 and ok["Location"] == "/klanten/"
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(reverse("caseload:client-list")).status_code == 200


def test_two_factor_is_per_role(world, client):
    RolePolicy.objects.filter(role="beheerder").update(otp_required=True)
    client.force_login(world.users["klantmanager"])
    assert client.get(reverse("caseload:client-list")).status_code == 200
    client.force_login(world.users["beheerder"])
    assert client.get(reverse("caseload:import-upload")).status_code == 302


def test_next_parameter_cannot_redirect_elsewhere(world, client):
    RolePolicy.objects.filter(role="klantmanager").update(otp_required=True)
    client.force_login(world.users["klantmanager"])
    client.get(reverse("accounts:otp"))
    device = TOTPDevice.objects.get(user=world.users["klantmanager"])
    response = client.post(reverse("accounts:otp"), {"token": _token(device), "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_lockout_after_repeated_failures(world, client):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("accounts:login"), {"username": "klantmanager", "password": "fout"})
    response = client.post(reverse("accounts:login"), {"username": "klantmanager", "password": PASSWORD})
    assert response.status_code == 429
    assert "tijdelijk geblokkeerd" in response.content.decode()


def test_session_expires_when_idle():
    assert settings.SESSION_SAVE_EVERY_REQUEST is True
    assert settings.SESSION_COOKIE_AGE <= 60 * 60
    assert settings.SESSION_COOKIE_HTTPONLY is True


def test_api_token_authentication_is_scoped_like_the_ui(world, client):
    token = Token.objects.create(user=world.users["klantmanager"])
    response = client.get(reverse("api:client-list"), HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code == 200
    assert {c["client_number"] for c in response.json()["results"]} == {"5001", "5002"}


@pytest.mark.parametrize("header", [None, "Token ongeldig"])
def test_api_without_valid_credentials_answers_problem_details(header, world, client):
    kwargs = {"HTTP_AUTHORIZATION": header} if header else {}
    response = client.get(reverse("api:client-list"), **kwargs)
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == 401 and body["title"] and body["type"].startswith("https://")
