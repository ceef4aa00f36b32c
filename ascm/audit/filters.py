import django_filters
from auditlog.registry import auditlog
from django import forms
from django.contrib.contenttypes.models import ContentType

from ascm.core.forms import GovukFormMixin

from .models import AuditEntry


class GovukFilterForm(GovukFormMixin, forms.Form):
    pass


def _audited_types(request=None):
    # The registered models, not a DISTINCT over the whole log (millions of rows in a year).
    content_types = ContentType.objects.get_for_models(*auditlog.get_models()).values()
    return ContentType.objects.filter(pk__in=[ct.pk for ct in content_types]).order_by("app_label", "model")


class AuditEntryFilter(django_filters.FilterSet):
    """Search the audit log by who, which record and when."""

    actor = django_filters.CharFilter(
        label="User (username)",
        field_name="actor__username",
        lookup_expr="iexact",
        help_text="The username of the person who acted, like jsmith",
    )
    record_type = django_filters.ModelChoiceFilter(
        label="Record type", field_name="content_type", queryset=_audited_types, empty_label="Any record type"
    )
    record_id = django_filters.CharFilter(label="Record ID", field_name="object_pk")
    action = django_filters.ChoiceFilter(choices=AuditEntry.Action.choices, empty_label="Any action")
    date_from = django_filters.DateFilter(
        label="From (date)",
        field_name="timestamp",
        lookup_expr="date__gte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    date_to = django_filters.DateFilter(
        label="To (date)",
        field_name="timestamp",
        lookup_expr="date__lte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    request_id = django_filters.CharFilter(label="Request ID", field_name="cid")

    class Meta:
        model = AuditEntry
        fields = []
        form = GovukFilterForm
