"""The contribution letter as a PDF, with the same words and working as its page (reportlab, as the
MDT pack: pure Python)."""

import io
from xml.sax.saxutils import escape

from django.utils import timezone
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer
from reportlab.platypus.tables import Table, TableStyle

REVIEW_WORDS = ("You can ask us to look at it again at any time: if something has changed, if we have missed something "
                "you pay because of your disability, or if you think we made a mistake. Call us or write to us and say "
                "what you think is wrong. We will look again and write to you with what we decide.")


def contribution_letter_pdf(assessment, *, council: str) -> bytes:
    styles = getSampleStyleSheet()
    buffer = io.BytesIO()
    client = assessment.client
    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=20 * mm, rightMargin=20 * mm, topMargin=20 * mm,
                            bottomMargin=20 * mm, title="What you will pay towards your care", author=council,
                            lang="en-GB")

    def para(text, style="BodyText"):
        return Paragraph(escape(str(text)), styles[style])

    if assessment.pays_full_cost:
        what = "You will pay the full cost of your care" + (
            f": £{assessment.weekly_contribution} a week." if assessment.weekly_contribution is not None else ".")
    else:
        what = (f"You will pay £{assessment.weekly_contribution} a week towards your care. "
                "You never pay more than your care costs.")
    story = [para(f"{council} · Adult social care"), para(f"{timezone.localdate():%-d %B %Y}"), Spacer(1, 6 * mm),
             para(f"Dear {client.display_name},"), para("What you will pay towards your care", "Title"),
             para(f"We looked at your money on {assessment.assessed_on:%-d %B %Y}. {what}"),
             para("We will not charge you for any week before you received this letter."),
             para("How we worked it out", "Heading2"),
             Table([[para(what_line), para(amount)] for what_line, amount in assessment.lines],
                   colWidths=[120 * mm, 45 * mm],
                   style=TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("ALIGN", (1, 0), (1, -1), "RIGHT"),
                                     ("LINEBELOW", (0, 0), (-1, -1), 0.25, "#b1b4b6")])),
             para("If you think this is wrong", "Heading2"), para(REVIEW_WORDS),
             Spacer(1, 6 * mm), para("Yours sincerely,"), para("Adult social care finance team")]
    doc.build(story)
    return buffer.getvalue()
