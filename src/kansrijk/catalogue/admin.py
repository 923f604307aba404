from django.contrib import admin

from kansrijk.core.admin import ReadOnlyAdmin

from .models import Assessment, WorkingElement

# The catalogue is kept through its own pages (/catalogus/) and content files; the admin only shows.


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
