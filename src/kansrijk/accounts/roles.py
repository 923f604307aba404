"""Roles (BRIEF §2) and what each may do. The one place that says who may see what.

Every check in views, API and selectors asks these sets rather than comparing role names itself.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    KLANTMANAGER = "klantmanager", _("Klantmanager")
    TEAMLEIDER = "teamleider", _("Teamleider")
    BELEIDSMEDEWERKER = "beleidsmedewerker", _("Beleidsmedewerker / analist")
    AANBIEDER = "aanbieder", _("Re-integratieaanbieder")
    WERKGEVERSDIENSTVERLENER = "werkgeversdienstverlener", _("Werkgeversdienstverlener")
    WIJKTEAMMEDEWERKER = "wijkteammedewerker", _("Wijkteammedewerker")
    BEHEERDER = "beheerder", _("Functioneel beheerder")


# Roles that see the personal data of the clients of their own teams.
SEES_TEAM_CLIENTS = frozenset({Role.KLANTMANAGER, Role.TEAMLEIDER, Role.WIJKTEAMMEDEWERKER})
# Roles that see income data (benefit spells, cause of dependency). The neighbourhood team sees the social part only
# (the Mens Centraal split, seed 004).
SEES_INCOME_DATA = frozenset({Role.KLANTMANAGER, Role.TEAMLEIDER})
# Special categories (AVG art. 9: health, addiction, origin), per category: only the roles whose work needs them.
SEES_HEALTH = frozenset({Role.KLANTMANAGER, Role.WIJKTEAMMEDEWERKER})
SEES_ADDICTION = frozenset({Role.KLANTMANAGER, Role.WIJKTEAMMEDEWERKER})
SEES_ORIGIN = frozenset({Role.KLANTMANAGER})
# Roles that may change who handles a client (assignment of team and client manager).
ASSIGNS_CLIENTS = frozenset({Role.TEAMLEIDER})
# Administration: users, teams, code lists, imports, the access log.
ADMINISTERS = frozenset({Role.BEHEERDER})
# Aggregated figures without persons.
SEES_AGGREGATES = frozenset({Role.TEAMLEIDER, Role.BELEIDSMEDEWERKER, Role.BEHEERDER})
# Origin (migration background) in the fairness report: the only place Kansrijk reads it outside the client file, and
# then only as counts per group, to watch for bias in live use (BRIEF §7). Narrower than SEES_AGGREGATES: the audit is
# the policy analyst's job; team leads and administrators see the report by sex and age, without origin (data
# minimisation, AVG art. 9).
SEES_ORIGIN_AGGREGATES = frozenset({Role.BELEIDSMEDEWERKER})
# A labour-market region's figures over several municipalities (aggregates only), for the region's policy work: the
# analyst and the administrator who sets regions up. Each user additionally needs the region granted (User.regions).
SEES_REGIONS = frozenset({Role.BELEIDSMEDEWERKER, Role.BEHEERDER})
# Pilot evaluation (issue 6): defining a pilot (approach and period; participants follow from a rule, no person is
# picked) and running its matched comparison show aggregates only, so the roles that see aggregates do it.
RUNS_PILOTS = SEES_AGGREGATES
# The catalogue of approaches is knowledge, not personal data: every role may read it.
SEES_CATALOGUE = frozenset(Role)
# Scoring approaches with the assessment framework (seed 000): the policy analyst's job.
ASSESSES_APPROACHES = frozenset({Role.BELEIDSMEDEWERKER})
# The municipality's menukaart, its own approaches, and catalogue imports.
MANAGES_CATALOGUE = frozenset({Role.BEHEERDER})
# Writing the catalogue out to share it with other municipalities.
EXPORTS_CATALOGUE = frozenset({Role.BEHEERDER, Role.BELEIDSMEDEWERKER})
# Recording the diagnosis (ladder, ZRM, intake): the professionals who hold the conversation.
RECORDS_DIAGNOSIS = frozenset({Role.KLANTMANAGER, Role.WIJKTEAMMEDEWERKER})
# The professional judgement of the distance to the labour market (overriding the derived indicator).
JUDGES_DISTANCE = frozenset({Role.KLANTMANAGER})
# Recording contacts: everyone who works with the client.
RECORDS_CONTACTS = SEES_TEAM_CLIENTS
# Contacts marked "werk en inkomen" are hidden from roles outside this set (the neighbourhood team reads the social
# part only).
SEES_WORK_INCOME_CONTACTS = frozenset({Role.KLANTMANAGER, Role.TEAMLEIDER})
# A worklist of one's own caseload; the team lead sees the team's worklists and caseload balance.
HAS_WORKLIST = frozenset({Role.KLANTMANAGER, Role.TEAMLEIDER})
SEES_TEAM_WORKLISTS = frozenset({Role.TEAMLEIDER})
# Caseload review campaigns (doorlichting): selecting a segment and spreading it over client managers.
RUNS_CAMPAIGNS = frozenset({Role.TEAMLEIDER})
# The plan van aanpak: written with the client by their client manager, read by the team lead as well. It is a work-
# and-income document, so the neighbourhood team does not read it (the Mens Centraal split).
MAKES_PLANS = frozenset({Role.KLANTMANAGER})
SEES_PLANS = frozenset({Role.KLANTMANAGER, Role.TEAMLEIDER})
# Recommended approaches for a client (matching): reading them needs the income side of the file too (legal regime,
# years on benefit), so the neighbourhood team does not see them; the client manager records the decision.
SEES_RECOMMENDATIONS = frozenset({Role.KLANTMANAGER, Role.TEAMLEIDER})
RECOMMENDS_APPROACHES = frozenset({Role.KLANTMANAGER})
# Exchange with the national VUM standard (issue 5). Vacancies are the employer services team's work and the
# functional administrator runs exchanges, so both export and import them.
EXCHANGES_VACANCIES = frozenset({Role.WERKGEVERSDIENSTVERLENER, Role.BEHEERDER})
# Job-seeker profiles leave pseudonymised and only with the client's and client manager's consent; the employer
# services team presents candidates to employers. Every exported profile leaves an access record.
EXPORTS_PROFILES = frozenset({Role.WERKGEVERSDIENSTVERLENER, Role.BEHEERDER})
# Reading profiles in writes into clients' files: an administrative import, like the caseload import.
IMPORTS_PROFILES = ADMINISTERS
# Who reaches the VUM exchange page at all.
EXCHANGES_VUM = EXCHANGES_VACANCIES | EXPORTS_PROFILES | IMPORTS_PROFILES
# Employers and vacancies (issue 5): the employer account manager keeps them; client managers and team leads read
# them to match their clients. Employers are organisations, and their contact persons are business contacts, not
# clients: no access record on reading them.
MANAGES_EMPLOYERS = frozenset({Role.WERKGEVERSDIENSTVERLENER})
SEES_EMPLOYERS = frozenset({Role.WERKGEVERSDIENSTVERLENER, Role.KLANTMANAGER, Role.TEAMLEIDER})
# Matching clients and vacancies both ways, and the weekly matching list: the employer team and the client's side.
# Who a candidate is stays hidden from the employer team until the client and the client manager consented.
MATCHES_VACANCIES = frozenset({Role.WERKGEVERSDIENSTVERLENER, Role.KLANTMANAGER, Role.TEAMLEIDER})
# The job-seeker profile and the consent to show it to employers (the HalloWerk pattern) are agreed with the client
# in a conversation, so the client manager records them; the team lead reads them.
MAKES_JOB_PROFILES = frozenset({Role.KLANTMANAGER})
RECORDS_CONSENT = frozenset({Role.KLANTMANAGER})
# Suggesting a candidate for a vacancy and following it (put forward, interview, hired, turned down): both sides.
PROPOSES_CANDIDATES = frozenset({Role.WERKGEVERSDIENSTVERLENER, Role.KLANTMANAGER})
# Recording a placement is part of the client's file (hours, loonwaarde, instruments): the client manager does it.
PLACES_CLIENTS = frozenset({Role.KLANTMANAGER})
# Stepped selection of candidates for an approach (seed 000 §2.5, *getrapt*): a client manager selects among their own
# caseload, a team lead among the clients of their teams. It reads the income side (legal regime, years on benefit),
# so the neighbourhood team does not select.
SELECTS_CANDIDATES = frozenset({Role.KLANTMANAGER, Role.TEAMLEIDER})
# Selecting over whole teams instead of one's own caseload.
SELECTS_FOR_TEAMS = frozenset({Role.TEAMLEIDER})
# What came of an invitation (aangemeld, afgezien) is recorded by the client's own client manager, who holds the
# conversation in which suitability is really judged.
RECORDS_INVITATION_OUTCOME = frozenset({Role.KLANTMANAGER})
# Referrals and trajectories (issue 5). The client manager refers and follows; the team lead reads. Like the plan
# they are work-and-income, so the neighbourhood team does not see them. The provider (aanbieder) sees only the
# referrals to its own provider, and of those only the shared snapshot and its own trajectory records.
REFERS_CLIENTS = frozenset({Role.KLANTMANAGER})
SEES_TRAJECTORIES = frozenset({Role.KLANTMANAGER, Role.TEAMLEIDER})
DELIVERS_TRAJECTORIES = frozenset({Role.AANBIEDER})
# Who reads a referral or trajectory at all; every read is scoped (client scope, or the provider's own referrals).
SEES_REFERRALS = SEES_TRAJECTORIES | DELIVERS_TRAJECTORIES
# Reports, pauses and the end: the provider, or the client manager on its behalf (a provider that reports by mail).
RECORDS_TRAJECTORY_PROGRESS = frozenset({Role.KLANTMANAGER, Role.AANBIEDER})
# Aftercare (nazorg) after outflow is the client manager's.
FOLLOWS_AFTERCARE = frozenset({Role.KLANTMANAGER})
# Privacy operations (AVG). An access request (inzageverzoek, art. 15) is answered with the client's whole file,
# special categories included, across every team: that is the privacy desk's job, which in Kansrijk is the functional
# administrator's (already the one role that reads the access log across the municipality). A team lead is not given
# it: the team lead may not read health or addiction (SEES_HEALTH), and an access request must not become a way round.
HANDLES_ACCESS_REQUESTS = frozenset({Role.BEHEERDER})
# Retention periods per record type and the job that applies them: the administrator, as the brief assigns retention.
MANAGES_RETENTION = ADMINISTERS
# Person-level pseudonymised exports for analysis: only the policy analyst (bound by a confidentiality agreement;
# every export is logged with its purpose). Narrower than SEES_AGGREGATES: the rows are per person, not counts.
EXPORTS_PSEUDONYMISED = frozenset({Role.BELEIDSMEDEWERKER})
