from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    """Issue 6: caseload analysis, outflow and duration, as aggregates for policy analysts and team leads."""

    name = "kansrijk.monitoring"
    label = "monitoring"

    def ready(self) -> None:
        from . import signals, signals_results  # noqa: F401
