from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import Municipality, Region, RolePolicy, Team, User

admin.site.site_header = _("Kansrijk — beheer")
admin.site.site_title = _("Kansrijk beheer")
admin.site.index_title = _("Gebruikers, teams, rolbeleid en codelijsten")


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["username", "first_name", "last_name", "role", "organisation", "is_active", "last_login"]
    list_filter = ["role", "is_active", "municipalities", "teams"]
    search_fields = ["username", "first_name", "last_name", "email", "organisation"]
    filter_horizontal = ["municipalities", "teams", "regions", "groups", "user_permissions"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Persoon"), {"fields": ("first_name", "last_name", "email", "organisation")}),
        (_("Rol en bereik"), {"fields": ("role", "municipalities", "teams", "regions")}),
        (_("Rechten"), {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
        (_("Datums"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "password1", "password2", "role", "municipalities",
                                                  "teams")}),
    )


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["name", "cbs_code"]
    search_fields = ["name", "cbs_code"]


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["name", "code"]
    search_fields = ["name", "code"]
    filter_horizontal = ["municipalities"]


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "municipality"]
    list_filter = ["municipality"]
    search_fields = ["name"]


@admin.register(RolePolicy)
class RolePolicyAdmin(admin.ModelAdmin):
    list_display = ["role", "otp_required"]
    list_editable = ["otp_required"]

    def has_add_permission(self, request):
        return False  # one row per role, created by a migration

    def has_delete_permission(self, request, obj=None):
        return False
