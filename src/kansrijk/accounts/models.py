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


class Region(models.Model):
    """An arbeidsmarktregio (labour-market region, 35 in the Netherlands): several municipalities whose figures are
    shown together. Only aggregates cross the municipal border: a region gives no access to any person, and a user
    sees a region's figures only when the region is in their ``regions`` (``monitoring.region``)."""

    code = models.CharField(_("code"), max_length=10, unique=True,
                            validators=[RegexValidator(r"^[A-Za-z0-9-]{1,10}$",
                                                       _("Een regiocode bestaat uit letters, cijfers of '-'."))])
    name = models.CharField(_("naam"), max_length=100)
    municipalities = models.ManyToManyField(Municipality, related_name="regions", verbose_name=_("gemeenten"))

    class Meta:
        ordering = ["name"]
        verbose_name = _("arbeidsmarktregio")
        verbose_name_plural = _("arbeidsmarktregio's")

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class User(AbstractUser):
    """A professional. Scope = role × municipalities × teams; ``accounts.scoping`` turns it into querysets."""

    role = models.CharField(_("rol"), max_length=32, choices=Role.choices, default=Role.KLANTMANAGER)
    municipalities = models.ManyToManyField(Municipality, blank=True, related_name="users",
                                            verbose_name=_("gemeenten"))
    teams = models.ManyToManyField(Team, blank=True, related_name="members", verbose_name=_("teams"))
    # Regions whose aggregated figures the user may see (SEES_REGIONS roles): an explicit grant, because a regional
    # analyst usually works for one municipality and must not need access to the others' client files.
    regions = models.ManyToManyField(Region, blank=True, related_name="users", verbose_name=_("arbeidsmarktregio's"))
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
