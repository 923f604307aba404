from django.contrib import admin

from .models import Assessment, WorkingElement


class ReadOnlyAdmin(admin.ModelAdmin):
    """The catalogue is kept through its own pages (/catalogus/) and content files; the admin only shows."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(WorkingElement)
class WorkingElementAdmin(ReadOnlyAdmin):
    list_display = ["key", "label", "category", "target_group", "source"]
    list_filter = ["category", "target_group"]
    search_fields = ["key", "label", "description"]


@admin.register(Assessment)
class AssessmentAdmin(ReadOnlyAdmin):
    list_display = ["approach", "assessor", "created_at", "effect_level"]
    list_filter = ["effect_level"]
    search_fields = ["approach__name"]
