"""Role checks for views and API, built on the role sets in ``roles``."""

from django.contrib.auth.mixins import AccessMixin
from rest_framework.permissions import BasePermission


def role_permission(allowed: frozenset, name: str) -> type[BasePermission]:
    """A DRF permission class admitting authenticated users whose role is in ``allowed``."""

    class HasRole(BasePermission):
        message = "Uw rol geeft geen toegang tot deze gegevens."

        def has_permission(self, request, view):
            return bool(request.user and request.user.is_authenticated and request.user.has_role(allowed))

    HasRole.__name__ = name
    return HasRole


class RoleRequiredMixin(AccessMixin):
    """For class-based views: logged in, and a role in ``allowed_roles``; otherwise 403 (or the login page)."""

    allowed_roles: frozenset = frozenset()

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not request.user.has_role(self.allowed_roles):
            self.raise_exception = True
            return self.handle_no_permission()
        return super().dispatch(request, *args, **kwargs)
