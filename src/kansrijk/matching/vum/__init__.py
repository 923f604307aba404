"""Exchange with the national VUM standard (Verbeteren Uitwisseling Matchingsgegevens, VNG Realisatie's UM contracts):
job-seeker profiles as ``Werkzoekende`` (WerkzoekendenProfielen 0.8.7) and vacancies as ``Vacature`` (Vacatures 0.8.2).

- ``schemas``: the two OpenAPI contracts (copied into ``specs/`` with their EUPL licence), resolved into JSON Schemas
  and validated with ``jsonschema``; every error becomes a Dutch message with its place in the document.
- ``documents``: the file shapes (one object, a list, or the envelope ``{"werkzoekenden": [...]}`` /
  ``{"vacatures": [...]}``), reading bytes safely and telling the two kinds apart.
- ``profiles`` / ``vacancies``: the mapping between Kansrijk's models and the VUM documents, both ways.
- ``services``: export (validated before it leaves) and atomic import (all errors, or everything written).
"""
