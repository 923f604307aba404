"""One RolePolicy per role, two-factor required: the secure default an administrator may relax per role."""

from django.db import migrations

ROLES = ["klantmanager", "teamleider", "beleidsmedewerker", "aanbieder", "werkgeversdienstverlener",
         "wijkteammedewerker", "beheerder"]


def create(apps, schema_editor):
    RolePolicy = apps.get_model("accounts", "RolePolicy")
    for role in ROLES:
        RolePolicy.objects.get_or_create(role=role, defaults={"otp_required": True})


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
