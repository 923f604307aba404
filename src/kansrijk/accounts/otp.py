"""TOTP two-factor login (django-otp), enforceable per role through RolePolicy."""

from io import BytesIO

import qrcode
import qrcode.image.svg
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import RolePolicy


def otp_required_for(user) -> bool:
    policy = RolePolicy.objects.filter(role=user.role).only("otp_required").first()
    # No policy row means the secure default: required.
    return True if policy is None else policy.otp_required


def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def pending_device(user) -> TOTPDevice:
    """The unconfirmed device being set up, created on first call so a page reload shows the same secret."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name="Kansrijk", confirmed=False)


def qr_code_svg(device: TOTPDevice) -> str:
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = BytesIO()
    image.save(buffer)
    return buffer.getvalue().decode()
