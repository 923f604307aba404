"""The monitoring app's models live beside the code that uses them; they are imported here so Django finds them."""

from .pilots.models import Pilot, PilotEvaluation, PilotParticipant  # noqa: F401
