from django.contrib import admin

from .models import CauseCode, ImportRun


@admin.register(CauseCode)
class CauseCodeAdmin(admin.ModelAdmin):
    """The code list 'oorzaak bijstandsafhankelijkheid'. Client data itself is not administered here: the
    administrator role sees no personal data (data minimisation)."""

    list_display = ["code", "description", "status", "status_date", "cbs_indicator", "statistics_code"]
    list_filter = ["status"]
    search_fields = ["code", "description"]


@admin.register(ImportRun)
class ImportRunAdmin(admin.ModelAdmin):
    list_display = ["created_at", "filename", "municipality", "uploaded_by", "source", "status"]
    list_filter = ["status", "source", "municipality"]
    readonly_fields = [f.name for f in ImportRun._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
