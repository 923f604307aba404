"""Signals of the caseload register, so apps that react to benefit changes need no hook inside the import."""

from django.dispatch import Signal

# Sent by the import (inside its transaction) when it ends the last running spell of clients already in the register.
# ``outflow`` is a list of (client id, end date of the spell). Receivers must write in bulk: a national import may end
# thousands of spells at once.
benefit_ended = Signal()
