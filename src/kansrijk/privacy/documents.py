"""The client's file (``access_request.ClientFile``) as a PDF and as a self-contained HTML page, both in Dutch: they
are the client's documents. The PDF uses the DejaVu fonts of the printable plan, so every letter of a name prints."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import formats, timezone, translation

from kansrijk.trajectories.pdf import ClientDocument

from .access_request import RECIPIENTS_TEXT, ClientFile


class _FileDocument(ClientDocument):
    # Smaller margins than the plan's: a whole file runs to many pages.
    page_margin = 18
    footer_offset = 12

    def heading(self, text: str, size: int = 13):
        self.ln(3)
        self.set_font("DejaVu", "B", size)
        self.multi_cell(0, 7, text, new_x="LMARGIN", new_y="NEXT")
        self.set_font("DejaVu", "", 10)

    def paragraph(self, text: str):
        self.multi_cell(0, 5, text, new_x="LMARGIN", new_y="NEXT")

    def pairs(self, rows):
        for label, value in rows:
            self.set_font("DejaVu", "B", 10)
            self.multi_cell(0, 5, f"{label}:", new_x="LMARGIN", new_y="NEXT")
            self.set_font("DejaVu", "", 10)
            self.set_x(self.l_margin + 6)
            self.multi_cell(0, 5, value, new_x="LMARGIN", new_y="NEXT")


def _produced(file: ClientFile) -> str:
    return formats.date_format(timezone.localtime(file.produced_at), "j F Y H:i")


def render_pdf(file: ClientFile) -> bytes:
    with translation.override("nl"):
        pdf = _FileDocument(f"Uw gegevens in Kansrijk, cliëntnummer {file.client_number}")
        pdf.set_title(f"Inzage in uw gegevens: {file.name}")
        pdf.set_lang("nl")
        pdf.add_page()
        pdf.set_font("DejaVu", "B", 17)
        pdf.multi_cell(0, 9, f"Uw gegevens in Kansrijk: {file.name}", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("DejaVu", "", 10)
        pdf.paragraph(f"Gemeente {file.municipality}. Opgesteld op {_produced(file)} op uw verzoek om inzage "
                      "(artikel 15 van de Algemene verordening gegevensbescherming). Hieronder staat alles wat "
                      "Kansrijk over u vastlegt, met de datum en de rol van wie het vastlegde.")
        pdf.heading("Uw persoonsgegevens")
        pdf.pairs(file.personal)
        for section in file.sections:
            pdf.heading(f"{section.title} ({len(section.records)})")
            if not section.records:
                pdf.paragraph("Niets vastgelegd.")
            for record in section.records:
                pdf.set_font("DejaVu", "B", 10)
                pdf.paragraph(f"Nr. {record.number}")
                pdf.set_font("DejaVu", "", 10)
                pdf.pairs(record.fields)
                pdf.ln(1)
        pdf.heading("Met wie uw gegevens zijn gedeeld")
        pdf.paragraph(RECIPIENTS_TEXT)
        nobody = ("Niemand", "Er zijn geen gegevens met organisaties buiten de gemeente gedeeld.")
        pdf.pairs(file.recipients or [nobody])
        pdf.heading("Hoe aanbevelingen tot stand komen")
        pdf.paragraph(file.logic)
        pdf.heading("Hoe lang uw gegevens worden bewaard")
        pdf.pairs(file.retention or [("Bewaartermijnen", "De gemeente heeft nog geen bewaartermijnen ingesteld.")])
        return bytes(pdf.output())


def render_html(file: ClientFile) -> str:
    with translation.override("nl"):
        return render_to_string("privacy/client_file.html", {"file": file, "produced": _produced(file),
                                                                  "recipients_text": RECIPIENTS_TEXT})
