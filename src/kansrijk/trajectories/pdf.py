"""The printable plan van aanpak for the client: plain Dutch, large enough type, one plan per document.

fpdf2 with DejaVu Sans (vendored from npm at install time, see the Makefile), so every letter of a client's name
prints, not only those of Latin-1."""

from __future__ import annotations

from pathlib import Path

from django.utils import formats, translation
from fpdf import FPDF
from fpdf.fonts import FontFace

from .models import GoalKind, Plan

FONT_DIR = Path(__file__).resolve().parent / "fonts"


def _date(value) -> str:
    return formats.date_format(value, "j F Y") if value else "–"


class ClientDocument(FPDF):
    """An A4 document for the client in DejaVu Sans, with a footer naming it and the page; the printable plan and the
    access request's file (``privacy.documents``) both build on it."""

    page_margin = 20
    footer_offset = 14

    def __init__(self, footer_text: str):
        super().__init__(format="A4")
        self.footer_text = footer_text
        self.add_font("DejaVu", "", str(FONT_DIR / "DejaVuSans.ttf"))
        self.add_font("DejaVu", "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
        self.set_margins(self.page_margin, self.page_margin, self.page_margin)
        self.set_auto_page_break(True, margin=self.page_margin)

    def footer(self):
        self.set_y(-self.footer_offset)
        self.set_font("DejaVu", "", 8)
        self.cell(0, 6, f"{self.footer_text} · pagina {self.page_no()} van {{nb}}", align="C")


class _PlanDocument(ClientDocument):

    def heading(self, text: str):
        self.ln(3)
        self.set_font("DejaVu", "B", 13)
        self.multi_cell(0, 7, text, new_x="LMARGIN", new_y="NEXT")
        self.set_font("DejaVu", "", 11)

    def paragraph(self, text: str):
        self.multi_cell(0, 6, text, new_x="LMARGIN", new_y="NEXT")


def render_plan(plan: Plan) -> bytes:
    """The plan as a PDF, in Dutch whatever the language of the user who prints it: it is the client's document."""
    with translation.override("nl"):
        return _render(plan)


def _render(plan: Plan) -> bytes:
    client = plan.client
    pdf = _PlanDocument(f"Plan van aanpak {client.display_name}, versie {plan.version}")
    pdf.set_title(f"Plan van aanpak {client.display_name}")
    pdf.set_lang("nl")
    pdf.add_page()
    pdf.set_font("DejaVu", "B", 18)
    pdf.multi_cell(0, 9, f"Plan van aanpak voor {client.display_name}", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 11)
    pdf.paragraph(f"Versie {plan.version}, opgesteld op {_date(plan.created_at.date())} door {plan.created_by}.")
    if plan.situation:
        pdf.heading("Waar sta je nu?")
        pdf.paragraph(plan.situation)
    if plan.ambition:
        pdf.heading("Wat wil je bereiken?")
        pdf.paragraph(plan.ambition)

    goals = list(plan.goals.all())
    pdf.heading("Je doelen")
    for goal in goals:
        if goal.kind == GoalKind.SUBDOEL:
            continue
        label = "Leerdoel" if goal.kind == GoalKind.LEERDOEL else "Doel"
        pdf.set_font("DejaVu", "B", 11)
        pdf.paragraph(f"{label} {goal.position}: {goal.description}")
        pdf.set_font("DejaVu", "", 11)
        details = []
        if goal.target:
            details.append(f"Hoeveel: {goal.target}")
        if goal.due_on:
            details.append(f"Klaar op: {_date(goal.due_on)}")
        if details:
            pdf.paragraph(" · ".join(details))
        for sub in (g for g in goals if g.parent_id == goal.pk):
            line = f"    Stap {sub.position}: {sub.description}"
            if sub.due_on:
                line += f" (klaar op {_date(sub.due_on)})"
            pdf.paragraph(line)

    actions = list(plan.actions.all())
    if actions:
        pdf.heading("Wie doet wat, en wanneer?")
        with pdf.table(col_widths=(44, 22, 21, 13), text_align="LEFT", line_height=6,
                       headings_style=FontFace(emphasis="BOLD")) as table:
            table.row(["Wat", "Wie", "Wanneer klaar", "Gedaan"])
            for action in actions:
                who = action.get_owner_display() + (f" ({action.owner_name})" if action.owner_name else "")
                table.row([action.description, who, _date(action.due_on), "ja" if action.done else "nee"])

    agreements = list(plan.agreements.all())
    if agreements:
        pdf.heading("Afspraken")
        for agreement in agreements:
            pdf.paragraph(f"• {agreement.text}")

    pdf.heading("Akkoord")
    if plan.agreed_on:
        pdf.paragraph(f"Je bent op {_date(plan.agreed_on)} akkoord gegaan met dit plan "
                      f"({plan.get_agreed_how_display().lower()}).")
    else:
        pdf.paragraph("Ben je het eens met dit plan? Bespreek het met je klantmanager. Je kunt altijd vragen om het "
                      "plan aan te passen.")
        pdf.ln(8)
        pdf.paragraph("Handtekening cliënt: ______________________    Datum: ____________")
    return bytes(pdf.output())
