from django.db import migrations


def add_vng_steps(apps, schema_editor):
    from kansrijk.diagnosis.instruments import VNG_STEPS

    LadderStep = apps.get_model("diagnosis", "LadderStep")
    for code, trede, name, criterion in VNG_STEPS:
        LadderStep.objects.update_or_create(municipality=None, code=code,
                                            defaults={"trede": trede, "name": name, "criterion": criterion,
                                                      "position": trede * 10})


class Migration(migrations.Migration):
    dependencies = [("diagnosis", "0001_initial")]
    operations = [migrations.RunPython(add_vng_steps, migrations.RunPython.noop)]
