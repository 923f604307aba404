"""Role checks for the API, built on the role sets in ``roles`` (views use ``decorators.role_required``)."""

from rest_framework.permissions import BasePermission


def role_permission(allowed: frozenset, name: str) -> type[BasePermission]:
    """A DRF permission class admitting authenticated users whose role is in ``allowed``."""

    class HasRole(BasePermission):
        message = "Uw rol geeft geen toegang tot deze gegevens."

        def has_permission(self, request, view):
            return bool(request.user and request.user.is_authenticated and request.user.has_role(allowed))

    HasRole.__name__ = name
    return HasRole
