"""Buttons that call a service without a form: the refusal or the success becomes the page's banner."""

from django.contrib import messages
from django.core.exceptions import ValidationError


def service_call_with_message(request, call, *, success: str) -> bool:
    """Run `call()`; show its ValidationError as an error banner, or `success`. True if it succeeded."""
    try:
        call()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return False
    messages.success(request, success)
    return True
