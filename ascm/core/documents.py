"""Documents for people and meetings (letters, plans, assessment copies, meeting packs): one HTML
template each, shown inside the page and rendered to a tagged PDF (PDF/UA-1: a structure tree with
its headings, lists and tables tagged, the language and title set) by WeasyPrint. The page and the
PDF are made from the same template, so they never differ, and a screen reader can read both."""

from django.http import HttpResponse
from django.template.loader import render_to_string

PDF_VARIANT = "pdf/ua-1"


def document_pdf(template: str, context: dict, *, title: str) -> bytes:
    import weasyprint  # imported when a PDF is asked for: it loads Pango, which pages never need
    from django.conf import settings

    html = render_to_string("documents/pdf.html", {"council_name": settings.COUNCIL_NAME, **context,
                                                   "document_template": template, "document_title": title})
    return weasyprint.HTML(string=html).write_pdf(pdf_variant=PDF_VARIANT)


def pdf_response(pdf: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"  # personal data: never kept by a shared cache or the browser
    return response
