"""Guessing is slowed down: passwords by django-axes (per username and address), two-factor codes by django-otp."""

from datetime import timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from kansrijk.accounts.models import RolePolicy

PASSWORD = "password"


def _fail(client, username="klantmanager", address="127.0.0.1", times=1):
    for _ in range(times):
        client.post(reverse("accounts:login"), {"username": username, "password": "fout"}, REMOTE_ADDR=address)


def test_locked_account_refuses_even_the_right_password_and_says_so_in_dutch(world, client):
    _fail(client, times=settings.AXES_FAILURE_LIMIT - 1)
    # One short of the limit the right password still works, and resets the count.
    assert client.post(reverse("accounts:login"), {"username": "klantmanager", "password": PASSWORD}).status_code == 302
    client.logout()
    _fail(client, times=settings.AXES_FAILURE_LIMIT)
    response = client.post(reverse("accounts:login"), {"username": "klantmanager", "password": PASSWORD})
    assert response.status_code == 429
    html = response.content.decode()
    assert "<h1>Account tijdelijk geblokkeerd</h1>" in html and "functioneel beheerder" in html
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("caseload:client-list")).status_code == 302  # still not logged in


def test_lockout_is_per_username_and_address(world, client):
    _fail(client, address="10.0.0.1", times=settings.AXES_FAILURE_LIMIT)
    locked = client.post(reverse("accounts:login"), {"username": "klantmanager", "password": PASSWORD},
                         REMOTE_ADDR="10.0.0.1")
    assert locked.status_code == 429
    # Someone guessing at one name from one place does not lock the real user out from another workstation, nor a
    # colleague at the same address.
    elsewhere = client.post(reverse("accounts:login"), {"username": "klantmanager", "password": PASSWORD},
                            REMOTE_ADDR="10.0.0.2")
    assert elsewhere.status_code == 302
    client.logout()
    colleague = client.post(reverse("accounts:login"), {"username": "teamleider", "password": PASSWORD},
                            REMOTE_ADDR="10.0.0.1")
    assert colleague.status_code == 302


def _token(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift):06d}"


def _device_after_password(world, client) -> TOTPDevice:
    RolePolicy.objects.filter(role="klantmanager").update(otp_required=True)
    client.post(reverse("accounts:login"), {"username": "klantmanager", "password": PASSWORD})
    client.get(reverse("accounts:otp"))
    return TOTPDevice.objects.get(user=world.users["klantmanager"])


def test_wrong_codes_make_the_next_attempt_wait_longer(world, client):
    device = _device_after_password(world, client)
    waits = []
    for attempt in range(1, 4):
        device.refresh_from_db()
        device.throttling_failure_timestamp = timezone.now() - timedelta(hours=1)  # the previous wait is over
        device.save(update_fields=["throttling_failure_timestamp"])
        response = client.post(reverse("accounts:otp"), {"token": "000000"})
        assert "Deze code klopt niet" in response.content.decode()
        device.refresh_from_db()
        assert device.throttling_failure_count == attempt
        allowed, why = device.verify_is_allowed()
        assert not allowed
        waits.append((why["locked_until"] - device.throttling_failure_timestamp).total_seconds())
    assert waits == [1, 2, 4]


def test_right_code_during_the_wait_is_not_even_checked(world, client):
    device = _device_after_password(world, client)
    client.post(reverse("accounts:otp"), {"token": "000000"})
    device.refresh_from_db()
    device.throttling_failure_count = 10  # after ten wrong codes django-otp waits 2**9 seconds
    device.save(update_fields=["throttling_failure_count"])
    response = client.post(reverse("accounts:otp"), {"token": _token(device)})
    assert response.status_code == 200
    assert "te veel verkeerde codes na elkaar" in response.content.decode()
    assert client.get(reverse("caseload:client-list")).status_code == 302  # still at the second step
    device.refresh_from_db()
    assert not device.confirmed and device.throttling_failure_count == 10
    # Once the wait is over, the right code lets the user in and clears the count.
    device.throttling_failure_timestamp = timezone.now() - timedelta(hours=1)
    device.save(update_fields=["throttling_failure_timestamp"])
    assert client.post(reverse("accounts:otp"), {"token": _token(device)}).status_code == 302
    device.refresh_from_db()
    assert device.confirmed and device.throttling_failure_count == 0
    assert client.get(reverse("caseload:client-list")).status_code == 200
