from django.contrib.auth.models import AbstractUser
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from .roles import Role


class Municipality(models.Model):
    """A gemeente, identified by its four-digit CBS code. One installation may serve several (shared services)."""

    cbs_code = models.CharField(
        _("CBS-gemeentecode"),
        max_length=4,
        unique=True,
        validators=[RegexValidator(r"^\d{4}$", _("Een CBS-gemeentecode bestaat uit vier cijfers."))],
    )
    name = models.CharField(_("naam"), max_length=100)

    class Meta:
        ordering = ["name"]
        verbose_name = _("gemeente")
        verbose_name_plural = _("gemeenten")

    def __str__(self) -> str:
        return f"{self.name} ({self.cbs_code})"


class Team(models.Model):
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="teams",
                                     verbose_name=_("gemeente"))
    name = models.CharField(_("naam"), max_length=100)

    class Meta:
        ordering = ["municipality__name", "name"]
        constraints = [models.UniqueConstraint(fields=["municipality", "name"], name="team_unique_name")]
        verbose_name = _("team")
        verbose_name_plural = _("teams")

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """A professional. Scope = role × municipalities × teams; ``accounts.scoping`` turns it into querysets."""

    role = models.CharField(_("rol"), max_length=32, choices=Role.choices, default=Role.KLANTMANAGER)
    municipalities = models.ManyToManyField(Municipality, blank=True, related_name="users",
                                            verbose_name=_("gemeenten"))
    teams = models.ManyToManyField(Team, blank=True, related_name="members", verbose_name=_("teams"))
    organisation = models.CharField(_("organisatie"), max_length=150, blank=True,
                                    help_text=_("Voor aanbieders: de naam van de organisatie."))

    class Meta:
        verbose_name = _("gebruiker")
        verbose_name_plural = _("gebruikers")
        ordering = ["username"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def has_role(self, allowed: frozenset) -> bool:
        return self.is_authenticated and self.is_active and self.role in allowed


class RolePolicy(models.Model):
    """Per-role security policy an administrator sets: whether TOTP two-factor login is required."""

    role = models.CharField(_("rol"), max_length=32, choices=Role.choices, unique=True)
    otp_required = models.BooleanField(_("tweestapsverificatie verplicht"), default=True)

    class Meta:
        verbose_name = _("rolbeleid")
        verbose_name_plural = _("rolbeleid")
        ordering = ["role"]

    def __str__(self) -> str:
        return self.get_role_display()
