"""The contribution letter: its page and its tagged PDF are made from one template
(finance/documents/contribution_letter.html, through ascm.core.documents)."""

from django.utils import timezone

REVIEW_WORDS = ("You can ask us to look at it again at any time: if something has changed, if we have missed something "
                "you pay because of your disability, or if you think we made a mistake. Call us or write to us and say "
                "what you think is wrong. We will look again and write to you with what we decide.")
TEMPLATE = "finance/documents/contribution_letter.html"


def contribution_letter_context(assessment) -> dict:
    return {"assessment": assessment, "client": assessment.client, "today": timezone.localdate(),
            "review_words": REVIEW_WORDS}


def contribution_letter_pdf(assessment) -> bytes:
    from ascm.core.documents import document_pdf

    return document_pdf(TEMPLATE, contribution_letter_context(assessment), title="What you will pay towards your care")
