"""The meeting pack as a PDF (reportlab: pure Python, no system libraries to install)."""

import io
from xml.sax.saxutils import escape

from django.utils import timezone
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer
from reportlab.platypus.tables import Table, TableStyle


def meeting_pack_pdf(*, meeting, agenda, attendees) -> bytes:
    styles = getSampleStyleSheet()
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm, topMargin=18 * mm,
                            bottomMargin=18 * mm, title=f"MDT meeting pack: {meeting.title}", author="ASCM")
    when = timezone.localtime(meeting.starts_at)

    def para(text, style="BodyText"):
        return Paragraph(escape(str(text)).replace("\n", "<br/>"), styles[style])

    story = [para(f"{meeting.title}: meeting pack", "Title"),
             para(f"{when:%A %d %B %Y, %H:%M} at {meeting.venue}"),
             para("OFFICIAL-SENSITIVE: personal data. For the attendees of this meeting only.", "Italic"),
             para("Attendees", "Heading2")]
    story += [para(str(a)) for a in attendees] or [para("None recorded")]
    story.append(para(f"Agenda ({len(agenda)} {'person' if len(agenda) == 1 else 'people'})", "Heading2"))
    for number, item in enumerate(agenda, start=1):
        client = item.client
        rows = [["Date of birth", f"{client.date_of_birth:%d %b %Y}" if client.date_of_birth else "Not known"],
                ["NHS number", client.nhs_number_display if client.nhs_number else "Not known"],
                ["Lifespan band", client.lifespan_band_label],
                ["Current episode", item.episode_label or "None open"],
                ["Flags", ", ".join(_flags(item)) or "None"],
                ["Why discussed", item.reason], ["Asked of the MDT", item.ask]]
        if item.without_consent:
            rows.append(["Consent", f"Not given ({item.consent_at_adding.replace('_', ' ')}). Lawful basis: "
                                    f"{item.lawful_basis}"])
        story += [para(f"{number}. {client.display_name}", "Heading3"),
                  Table([[para(k), para(v)] for k, v in rows], colWidths=[40 * mm, 130 * mm],
                        style=TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                                          ("LINEBELOW", (0, 0), (-1, -1), 0.25, "#b1b4b6")])),
                  Spacer(1, 4 * mm)]
    doc.build(story)
    return buffer.getvalue()


def _flags(item) -> list[str]:
    flags = list(item.client.safety_flag_labels)
    flags += [f"{flag.label} (details in its own record)" for flag in item.person_flags]
    return flags
