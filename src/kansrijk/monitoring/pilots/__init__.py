"""Pilot evaluation (issue 6): a pilot of an approach, its participants by rule, and evaluations against a comparison
group of non-participants matched on observed characteristics (``analysis``)."""
