from django.contrib import admin

from kansrijk.core.admin import ReadOnlyAdmin

from .models import AccessRequest, PseudonymisedExport, RetentionRule, RetentionRun


@admin.register(RetentionRule)
class RetentionRuleAdmin(admin.ModelAdmin):
    """The periods are set here by the administrator, on the municipality's decision; ``clean`` refuses combinations
    a record type does not allow. Rules are one per record type, so none is added or deleted here."""

    list_display = ["record_type", "period_months", "starts_from", "action", "active", "updated_at"]
    list_editable = ["period_months", "active"]
    readonly_fields = ["record_type", "updated_at"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(RetentionRun)
class RetentionRunAdmin(ReadOnlyAdmin):
    list_display = ["started_at", "today", "dry_run", "started_by", "counts"]
    list_filter = ["dry_run"]


@admin.register(AccessRequest)
class AccessRequestAdmin(ReadOnlyAdmin):
    # The client number only: the administrator's record of requests, not a way into the file.
    list_display = ["produced_at", "reference", "client_number", "received_on", "format", "produced_by"]
    fields = ["produced_at", "reference", "client_number", "received_on", "format", "produced_by"]
    readonly_fields = fields


@admin.register(PseudonymisedExport)
class PseudonymisedExportAdmin(ReadOnlyAdmin):
    list_display = ["exported_at", "exported_by", "municipality", "table", "rows", "purpose"]
    list_filter = ["table", "municipality"]
