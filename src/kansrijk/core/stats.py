"""Counts of the main entities for ``kansrijk stats``; later apps add their own counts here."""

from kansrijk.accounts.models import Team, User
from kansrijk.audit.models import AccessLog
from kansrijk.caseload.selectors import counts as caseload_counts
from kansrijk.catalogue.selectors import counts as catalogue_counts
from kansrijk.inview.selectors import assessments_count, contacts_count
from kansrijk.matching.employers.selectors import counts as employer_counts
from kansrijk.trajectories.selectors import counts as trajectory_counts
from kansrijk.trajectories.selectors import plans_count


def collect() -> dict[str, int]:
    return {
        **caseload_counts(),
        **catalogue_counts(),
        "assessments": assessments_count(),
        "contacts": contacts_count(),
        "plans": plans_count(),
        **employer_counts(),
        **trajectory_counts(),
        "users": User.objects.count(),
        "teams": Team.objects.count(),
        "access_records": AccessLog.objects.count(),
    }
