"""Default retention rules, one per record type. Placeholders, switched off: the municipality's records officer and FG
set each period (Selectielijst gemeenten and the municipality's own decisions) and switch the rule on in /beheer/
before the job is scheduled. Kansrijk makes no claim that these periods are the legal ones."""

from django.db import migrations

BASIS = "Standaardwaarde van Kansrijk; door de gemeente vast te stellen (archivaris en FG, Selectielijst gemeenten)."
DEFAULTS = [
    ("client_file", 84, "benefit_end", "anonymise"),
    ("special_categories", 24, "benefit_end", "delete"),
    ("contacts", 84, "record_date", "anonymise"),
    ("access_log", 60, "record_date", "delete"),
    ("change_history", 84, "record_date", "anonymise"),
]


def create(apps, schema_editor):
    RetentionRule = apps.get_model("privacy", "RetentionRule")
    for record_type, months, starts_from, action in DEFAULTS:
        RetentionRule.objects.get_or_create(record_type=record_type, defaults={
            "period_months": months, "starts_from": starts_from, "action": action, "active": False, "basis": BASIS})


class Migration(migrations.Migration):
    dependencies = [("privacy", "0001_initial")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
