from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "kansrijk.core"
    label = "core"
