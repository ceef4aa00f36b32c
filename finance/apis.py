"""Finance under /api/v1/: care packages with their lines, brokerage and the decision; personal
budgets; provider rates, approval limits, the allocation table, budgets; and commitments."""

from django.core.exceptions import ValidationError
from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from ascm.audit.services import audit_record_view
from ascm.core.api_schema import SummarySchema, paged
from ascm.core.policies import PolicyPermission
from ascm.core.years import year_parse
from clients.selectors import client_get_for_search

from . import selectors, services
from .models import (
    AllocationTable,
    ApprovalLimit,
    Budget,
    CarePackage,
    ChargingRates,
    ClientInvoice,
    ClientPayment,
    DirectPaymentAgreement,
    FinancialAssessment,
    PackageLine,
    PayRun,
    PersonalBudget,
    ProviderApproach,
    ProviderRate,
    Reassessment,
    ServiceActual,
)
from .permissions import (
    allocation_table_policy,
    approval_limit_policy,
    budget_policy,
    care_package_policy,
    charging_rates_policy,
    client_invoice_policy,
    client_payment_policy,
    direct_payment_policy,
    finance_return_policy,
    financial_assessment_policy,
    pay_run_policy,
    personal_budget_policy,
    provider_rate_policy,
    reassessment_policy,
    service_actual_policy,
)
from .serializers import (
    AcceptSerializer,
    AllocationTableSerializer,
    ApproachWriteSerializer,
    ApprovalLimitSerializer,
    BudgetSerializer,
    CarePackageSerializer,
    ChangeSerializer,
    ChargeStartSerializer,
    ChargingRatesSerializer,
    ClientInvoiceSerializer,
    ClientPaymentCancelSerializer,
    ClientPaymentSerializer,
    CommitmentLineSerializer,
    CommitmentsSerializer,
    DirectPaymentReviewSerializer,
    DirectPaymentSerializer,
    DirectPaymentSurplusSerializer,
    EmptySerializer,
    EndSerializer,
    FinanceReturnPersonSerializer,
    FinanceReturnSerializer,
    FinancialAssessmentSerializer,
    LettersSentSerializer,
    LineChangeSerializer,
    LineWriteSerializer,
    PackageDecisionSerializer,
    PackageLineSerializer,
    PackageReasonSerializer,
    PayRunSerializer,
    PersonalBudgetSerializer,
    ProviderRateSerializer,
    ReassessmentSerializer,
    ServiceActualSerializer,
    StatementSerializer,
    ToldSerializer,
)

PACKAGE_PAGE = paged("CarePackagePage", CarePackageSerializer)


def _funding(data):
    return [(item["stream"], item["share_percent"]) for item in data]


class _RecordActionsMixin:
    """A person's record through its policy: fetched for the action's permission (404 out of reach),
    each view audited, and the @actions that post a body to a service (`_act`)."""

    view_reason = "Viewed (API)"

    def get_object(self):
        action_name = PolicyPermission.action_for(self.request, self)
        record = self.policy.get(self.request.user, self.kwargs["pk"], action_name, queryset=self.get_queryset())
        audit_record_view(user=self.request.user, instance=record, reason=self.view_reason)
        return record

    def _act(self, request, body_class, act, code=status.HTTP_200_OK):
        record = self.get_object()
        body = body_class(data=request.data)
        body.is_valid(raise_exception=True)
        result = act(record, dict(body.validated_data))
        if isinstance(result, type(record)) and result.pk != record.pk:  # a new record (a package's change)
            record, code = result, status.HTTP_201_CREATED
        return Response(self.get_serializer(self.get_queryset().get(pk=record.pk)).data, status=code)


class CarePackageViewSet(_RecordActionsMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Care packages in reach (finance officers and brokers: the county). POST to start one (a draft);
    .../lines/ adds a service; .../submit/, .../brokerage/, .../decision/ (approve within your limit,
    return or not approve, with the reason), .../approaches/ and .../accept/ (brokers), .../change/
    (a new draft that replaces an approved package once approved), .../end/, .../cancel/.
    ?status=, ?locality=, ?client= filter."""

    serializer_class = CarePackageSerializer
    queryset = CarePackage.objects.none()
    permission_classes = [PolicyPermission]
    policy = care_package_policy
    view_reason = "Care package viewed (API)"
    policy_actions = {"lines": "change", "submit": "change", "brokerage": "change", "decision": "approve",
                      "approaches": "broker", "accept": "broker", "change": "change", "end": "change", "cancel": "change",
                      "approval_queue": "approve", "brokerage_queue": "broker"}
    filterset_fields = ["status", "locality", "client", "delivery_mechanism"]

    def get_queryset(self):
        return (care_package_policy.instances(self.request.user)
                .prefetch_related("lines__funding", "lines__approaches", "status_changes").order_by("-pk"))

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        data["client"] = client_get_for_search(user=self.request.user, pk=data["client"].pk)
        serializer.instance = services.package_create(user=self.request.user, **data)

    @extend_schema(request=LineWriteSerializer, responses={201: CarePackageSerializer})
    @action(detail=True, methods=["post"])
    def lines(self, request, pk=None):
        def act(package, data):
            data["funding"] = _funding(data["funding"])
            services.line_add(user=request.user, package=package, **data)

        return self._act(request, LineWriteSerializer, act, status.HTTP_201_CREATED)

    @extend_schema(request=EmptySerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        return self._act(request, EmptySerializer, lambda p, d: services.package_submit(user=request.user, package=p))

    @extend_schema(request=EmptySerializer)
    @action(detail=True, methods=["post"])
    def brokerage(self, request, pk=None):
        return self._act(request, EmptySerializer, lambda p, d: services.package_to_brokerage(user=request.user, package=p))

    @extend_schema(request=PackageDecisionSerializer)
    @action(detail=True, methods=["post"])
    def decision(self, request, pk=None):
        return self._act(request, PackageDecisionSerializer,
                         lambda p, d: services.package_decide(user=request.user, package=p, **d))

    @extend_schema(request=ApproachWriteSerializer)
    @action(detail=True, methods=["post"])
    def approaches(self, request, pk=None):
        return self._act(request, ApproachWriteSerializer,
                         lambda p, d: services.approach_record(user=request.user, package=p, **d))

    @extend_schema(request=AcceptSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        def act(package, data):
            offer = ProviderApproach.objects.filter(pk=data["approach"], line__package=package).first()
            if offer is None:
                raise ValidationError({"approach": "No such offer for this package"})
            services.offer_accept(user=request.user, approach=offer, off_framework_reason=data["off_framework_reason"])

        return self._act(request, AcceptSerializer, act)

    @extend_schema(request=ChangeSerializer, responses={201: CarePackageSerializer})
    @action(detail=True, methods=["post"])
    def change(self, request, pk=None):
        return self._act(request, ChangeSerializer,
                         lambda p, d: services.package_change(user=request.user, package=p, **d))

    @extend_schema(request=EndSerializer)
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        return self._act(request, EndSerializer, lambda p, d: services.package_end(user=request.user, package=p, **d))

    @extend_schema(request=PackageReasonSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        return self._act(request, PackageReasonSerializer,
                         lambda p, d: services.package_cancel(user=request.user, package=p, **d))

    @extend_schema(responses=PACKAGE_PAGE)
    @action(detail=False, methods=["get"], url_path="approval-queue")
    def approval_queue(self, request):
        """Packages waiting for approval that you may decide (not your own), oldest first."""
        queue, _ = selectors.approval_queue(request.user)
        page = self.paginate_queryset(queue.prefetch_related("lines__funding", "lines__approaches", "status_changes"))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(responses=PACKAGE_PAGE)
    @action(detail=False, methods=["get"], url_path="brokerage-queue")
    def brokerage_queue(self, request):
        """Packages waiting for a provider, longest in brokerage first."""
        page = self.paginate_queryset(selectors.brokerage_queue(request.user)
                                      .prefetch_related("lines__funding", "lines__approaches", "status_changes"))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class PackageLineViewSet(mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """A package's services. PATCH/PUT changes a service's units, cost, end or funding while its package
    is a draft or returned; an approved package is changed with .../care-packages/{id}/change/."""

    serializer_class = PackageLineSerializer
    queryset = PackageLine.objects.none()
    permission_classes = [PolicyPermission]
    policy = care_package_policy
    http_method_names = ["get", "put", "patch", "head", "options"]

    def get_queryset(self):
        return (PackageLine.objects.filter(package__in=care_package_policy.instances(self.request.user))
                .prefetch_related("funding", "approaches").order_by("pk"))

    @extend_schema(request=LineChangeSerializer)
    def update(self, request, *args, **kwargs):
        line = self.get_object()
        if not care_package_policy.user_may_for(request.user, "change", line.package):
            raise Http404("No such care package")
        body = LineChangeSerializer(data=request.data, partial=kwargs.get("partial", False))
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        data.setdefault("units_per_week", line.units_per_week)
        if "funding" in data:
            data["funding"] = _funding(data["funding"])
        if "unit_cost" not in request.data:
            data["unit_cost"] = line.unit_cost
        services.line_change(user=request.user, line=line, **data)
        return Response(self.get_serializer(self.get_queryset().get(pk=line.pk)).data)

    @extend_schema(request=LineChangeSerializer)
    def partial_update(self, request, *args, **kwargs):
        kwargs["partial"] = True
        return self.update(request, *args, **kwargs)


class PersonalBudgetViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Personal budgets on support plans. POST {plan, agreed_weekly, difference_reason} works out the
    indicative amount from the resource allocation table and records the agreed one (again for the
    same plan: it changes it)."""

    serializer_class = PersonalBudgetSerializer
    queryset = PersonalBudget.objects.none()
    permission_classes = [PolicyPermission]
    policy = personal_budget_policy
    filterset_fields = ["client", "plan"]

    def get_queryset(self):
        return personal_budget_policy.instances(self.request.user).order_by("-pk")

    def perform_create(self, serializer):
        from pathways.care.selectors import plan_get_for_user

        data = serializer.validated_data
        plan = plan_get_for_user(user=self.request.user, pk=data["plan"].pk)
        serializer.instance = services.personal_budget_set(
            user=self.request.user, plan=plan, agreed_weekly=data.get("agreed_weekly"),
            difference_reason=data.get("difference_reason", ""))


class _SetupViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    permission_classes = [PolicyPermission]


class ProviderRateViewSet(_SetupViewSet):
    """Framework rates, dated: POST adds one from a date (the one before ends the day before; overlaps refused)."""

    serializer_class = ProviderRateSerializer
    queryset = ProviderRate.objects.none()
    policy = provider_rate_policy
    filterset_fields = ["provider", "service_type"]

    def get_queryset(self):
        return ProviderRate.objects.select_related("provider").order_by("provider_id", "service_type", "-effective_from")

    def perform_create(self, serializer):
        serializer.instance = services.rate_add(user=self.request.user, **serializer.validated_data)


class ApprovalLimitViewSet(_SetupViewSet):
    """Delegated limits per role (by slug), dated; an empty limit is no upper limit."""

    serializer_class = ApprovalLimitSerializer
    queryset = ApprovalLimit.objects.none()
    policy = approval_limit_policy

    def get_queryset(self):
        return ApprovalLimit.objects.select_related("role").order_by("role_id", "-effective_from")

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = services.approval_limit_set(user=self.request.user, role=data["role"],
                                                          weekly_limit=data.get("weekly_limit"),
                                                          effective_from=data["effective_from"])


class AllocationTableViewSet(_SetupViewSet):
    """Resource allocation tables, dated: points per outcome by why, and bands of points → weekly amount."""

    serializer_class = AllocationTableSerializer
    queryset = AllocationTable.objects.none()
    policy = allocation_table_policy

    def get_queryset(self):
        return AllocationTable.objects.prefetch_related("bands")

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        bands = [(b["from_points"], b["weekly_amount"]) for b in data.pop("bands")]
        serializer.instance = services.allocation_table_create(user=self.request.user, bands=bands, **data)


class BudgetViewSet(_SetupViewSet):
    """Budgets per financial year, locality (and team, optionally) and service; POST sets one (again:
    changes its amount). ?year= filters."""

    serializer_class = BudgetSerializer
    queryset = Budget.objects.none()
    policy = budget_policy
    filterset_fields = ["year", "locality", "team", "service_type"]

    def get_queryset(self):
        return budget_policy.instances(self.request.user).order_by("year", "locality_id", "service_type")

    def perform_create(self, serializer):
        serializer.instance = services.budget_set(user=self.request.user, **serializer.validated_data)


def _year(request) -> int:
    try:
        return year_parse(request.query_params.get("year"))
    except ValueError:
        raise serializers.ValidationError({"year": ["Give the year the financial year starts, like 2026"]}) from None


class CommitmentsViewSet(viewsets.ViewSet):
    """Commitments against budgets for a financial year (?year=2026 for 2026-27; ?locality=): each
    budget's committed full-year cost, what waits for approval, the forecast outturn and variance.
    .../lines/?locality=&service_type= lists the package lines behind a figure (paged)."""

    permission_classes = [PolicyPermission]
    policy = budget_policy
    schema = SummarySchema()

    @extend_schema(parameters=[OpenApiParameter("year", int), OpenApiParameter("locality", int)],
                   responses=CommitmentsSerializer)
    def list(self, request):
        year = _year(request)
        locality = request.query_params.get("locality")
        data = selectors.commitments(request.user, year=year, locality=int(locality) if str(locality).isdigit() else None)
        return Response(CommitmentsSerializer({"year": year, **data}).data)

    @extend_schema(parameters=[OpenApiParameter("year", int), OpenApiParameter("locality", int, required=True),
                               OpenApiParameter("service_type", str, required=True), OpenApiParameter("team", int),
                               OpenApiParameter("pipeline", bool), OpenApiParameter("page", int)],
                   responses=paged("CommitmentLinePage", CommitmentLineSerializer))
    @action(detail=False, methods=["get"])
    def lines(self, request):
        from ascm.core.api import Pagination

        from .models import ServiceType

        year = _year(request)
        locality = request.query_params.get("locality", "")
        service_type = request.query_params.get("service_type", "")
        errors = {}
        if not locality.isdigit():
            errors["locality"] = ["Give the locality's id"]
        if service_type not in ServiceType.values:
            errors["service_type"] = ["Give a service type: " + ", ".join(ServiceType.values)]
        if errors:
            raise serializers.ValidationError(errors)
        if not budget_policy.may_see_locality(request.user, int(locality)):
            raise Http404("Not found")
        team = request.query_params.get("team", "")
        lines = selectors.commitment_lines(request.user, year=year, locality_id=int(locality), service_type=service_type,
                                           team_id=int(team) if team.isdigit() else None,
                                           include_pipeline=request.query_params.get("pipeline") in ("1", "true"))
        paginator = Pagination()
        page = paginator.paginate_queryset(lines, request, view=self)
        return paginator.get_paginated_response(CommitmentLineSerializer(page, many=True).data)


class FinancialAssessmentViewSet(_RecordActionsMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Financial assessments (finance officers: the county; the person's workers may read them). POST a
    draft with the figures; .../complete/ works the contribution out with the rates in force on its date
    and keeps the working; .../told/ records the day the person was told; .../charges/ the day charges
    start (not before they were told, unless a manager backdates with the reason)."""

    serializer_class = FinancialAssessmentSerializer
    queryset = FinancialAssessment.objects.none()
    permission_classes = [PolicyPermission]
    policy = financial_assessment_policy
    view_reason = "Financial assessment viewed (API)"
    policy_actions = {"complete": "change", "told": "change", "charges": "change"}
    filterset_fields = ["client", "status"]

    def get_queryset(self):
        return financial_assessment_policy.instances(self.request.user).order_by("-pk")

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        client = client_get_for_search(user=self.request.user, pk=data.pop("client").pk)
        for name in ("capital", "income", "dre_itemised"):
            data[name] = [dict(item) for item in data.get(name, [])]
        serializer.instance = services.financial_assessment_save(user=self.request.user, client=client, **data)

    @extend_schema(request=EmptySerializer)
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        return self._act(request, EmptySerializer,
                         lambda a, d: services.financial_assessment_complete(user=request.user, assessment=a))

    @extend_schema(request=ToldSerializer)
    @action(detail=True, methods=["post"])
    def told(self, request, pk=None):
        return self._act(request, ToldSerializer, lambda a, d: services.person_told(user=request.user, assessment=a, **d))

    @extend_schema(request=ChargeStartSerializer)
    @action(detail=True, methods=["post"])
    def charges(self, request, pk=None):
        return self._act(request, ChargeStartSerializer,
                         lambda a, d: services.charges_start(user=request.user, assessment=a, **d))


class ChargingRatesViewSet(_SetupViewSet):
    """Charging rates, dated (each April's DHSC circular): a new table changes results from its date."""

    serializer_class = ChargingRatesSerializer
    queryset = ChargingRates.objects.none()
    policy = charging_rates_policy

    def get_queryset(self):
        return ChargingRates.objects.all()

    def perform_create(self, serializer):
        serializer.instance = services.charging_rates_add(user=self.request.user, **serializer.validated_data)


class PayRunViewSet(_SetupViewSet):
    """4-weekly provider pay runs: POST {period_start} makes one (a period overlapping another is refused);
    .../approve/ (another finance officer; makes the people's invoices); .../ledger/ the ledger rows."""

    serializer_class = PayRunSerializer
    queryset = PayRun.objects.none()
    policy = pay_run_policy
    policy_actions = {"approve": "change", "ledger": "view"}

    def get_queryset(self):
        return PayRun.objects.prefetch_related("items").order_by("-period_start")

    def perform_create(self, serializer):
        from . import payments

        serializer.instance = payments.pay_run_create(user=self.request.user, **serializer.validated_data)

    @extend_schema(request=EmptySerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        from . import payments

        run = payments.pay_run_approve(user=request.user, pay_run=self.get_object())
        return Response(self.get_serializer(self.get_queryset().get(pk=run.pk)).data)

    @extend_schema(responses=serializers.ListField(child=serializers.ListField(child=serializers.CharField())))
    @action(detail=True, methods=["get"])
    def ledger(self, request, pk=None):
        from . import payments

        run = self.get_object()
        if run.status != run.Status.APPROVED:
            raise ValidationError({"pay_run": "Only an approved pay run goes to the ledger"})
        return Response(payments.ledger_rows(run))


class ServiceActualViewSet(_SetupViewSet):
    """Providers' actuals: POST {line, period_start, units} (again for the same period replaces it)."""

    serializer_class = ServiceActualSerializer
    queryset = ServiceActual.objects.none()
    policy = service_actual_policy
    filterset_fields = ["line", "period_start"]

    def get_queryset(self):
        return ServiceActual.objects.order_by("-period_start", "line_id")

    def perform_create(self, serializer):
        from . import payments

        serializer.instance = payments.actual_record(user=self.request.user, **serializer.validated_data)


class ClientInvoiceViewSet(viewsets.ReadOnlyModelViewSet):
    """The people's invoices (?client=): their contribution per period, never above the care received."""

    serializer_class = ClientInvoiceSerializer
    queryset = ClientInvoice.objects.none()
    permission_classes = [PolicyPermission]
    policy = client_invoice_policy
    filterset_fields = ["client", "period_start"]

    def get_queryset(self):
        return client_invoice_policy.instances(self.request.user).order_by("-period_start", "pk")

    @extend_schema(parameters=[OpenApiParameter("client", int, required=True)], responses=StatementSerializer)
    @action(detail=False, methods=["get"])
    def statement(self, request):
        """One person's statement: invoiced, paid, the balance and what is in arrears, with both lists."""
        from clients.permissions import client_policy

        from .selectors import statement_for

        if not request.query_params.get("client", "").isdigit():
            raise ValidationError({"client": "Give the person: ?client= and their id"})
        person = client_policy.get(request.user, request.query_params["client"])
        invoices = list(self.get_queryset().filter(client=person))
        payments = (list(client_payment_policy.instances(request.user).filter(client=person))
                    if client_payment_policy.user_may(request.user, "view") else [])
        audit_record_view(user=request.user, instance=person, reason="Statement of charges viewed (API)")
        found = statement_for(person, invoices, payments)
        return Response(StatementSerializer({
            "client": person.pk, "invoiced": found.invoiced, "paid": found.paid, "balance": found.balance,
            "overdue": found.overdue, "invoices": invoices, "payments": payments}).data)


class ClientPaymentViewSet(_RecordActionsMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """What people paid towards their invoices (?client=). POST {client, received_on, amount, method,
    reference}; .../cancel/ {reason} for one recorded in error (kept, and no longer counted)."""

    serializer_class = ClientPaymentSerializer
    queryset = ClientPayment.objects.none()
    permission_classes = [PolicyPermission]
    policy = client_payment_policy
    view_reason = "Payment viewed (API)"
    policy_actions = {"cancel": "change"}
    filterset_fields = ["client"]

    def get_queryset(self):
        return client_payment_policy.instances(self.request.user).order_by("-received_on", "-pk")

    def perform_create(self, serializer):
        from clients.permissions import client_policy

        from . import payments

        data = dict(serializer.validated_data)
        person = client_policy.get(self.request.user, data.pop("client").pk)
        serializer.instance = payments.client_payment_record(user=self.request.user, client=person, **data)

    @extend_schema(request=ClientPaymentCancelSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        from . import payments

        return self._act(request, ClientPaymentCancelSerializer,
                         lambda p, d: payments.client_payment_cancel(user=request.user, payment=p, **d))


class DirectPaymentViewSet(_RecordActionsMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Direct payment agreements: POST {package, recipient, starts_on, …} for an approved package with
    direct payment services; .../review/ (the next within 12 months), .../surplus/ (money returned)."""

    serializer_class = DirectPaymentSerializer
    queryset = DirectPaymentAgreement.objects.none()
    permission_classes = [PolicyPermission]
    policy = direct_payment_policy
    view_reason = "Direct payment viewed (API)"
    policy_actions = {"review": "change", "surplus": "change"}
    filterset_fields = ["client"]

    def get_queryset(self):
        return direct_payment_policy.instances(self.request.user).order_by("next_review_due", "pk")

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        package = care_package_policy.get(self.request.user, data.pop("package").pk)
        serializer.instance = services.direct_payment_agree(user=self.request.user, package=package, **data)

    @extend_schema(request=DirectPaymentReviewSerializer)
    @action(detail=True, methods=["post"])
    def review(self, request, pk=None):
        return self._act(request, DirectPaymentReviewSerializer,
                         lambda a, d: services.direct_payment_review(user=request.user, agreement=a, **d))

    @extend_schema(request=DirectPaymentSurplusSerializer)
    @action(detail=True, methods=["post"])
    def surplus(self, request, pk=None):
        return self._act(request, DirectPaymentSurplusSerializer,
                         lambda a, d: services.direct_payment_surplus(user=request.user, agreement=a, **d))


class ReassessmentViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Everyone re-assessed on a new April table: POST {rates} starts the Celery task (progress in
    `done` of `total`); .../letters/ {told_on} records the day the letters went, from which (or the
    rates' date, if later) the new contributions are charged."""

    serializer_class = ReassessmentSerializer
    queryset = Reassessment.objects.none()
    permission_classes = [PolicyPermission]
    policy = reassessment_policy
    policy_actions = {"letters": "change"}

    def get_queryset(self):
        return reassessment_policy.instances(self.request.user).order_by("-created_at", "-pk")

    def perform_create(self, serializer):
        serializer.instance = services.reassessment_start(user=self.request.user,
                                                          rates=serializer.validated_data["rates"])

    @extend_schema(request=LettersSentSerializer)
    @action(detail=True, methods=["post"])
    def letters(self, request, pk=None):
        job = reassessment_policy.get(request.user, pk, "change")
        body = LettersSentSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        job = services.reassessment_told(user=request.user, job=job, **body.validated_data)
        return Response(self.get_serializer(job).data)


class FinanceReturnViewSet(viewsets.ViewSet):
    """The finance return's (ASC-FR) extracts for a financial year (?year=2025 for 2025-26; a year
    not yet started is refused, the current one is to date): long-term support by primary support
    reason × setting × age band, short-term support, care homes' cost per resident-week, home care's
    hourly rates. .../people/?year=&setting=&psr=&band= lists the people behind a figure (paged;
    setting may be long or short for all of either)."""

    permission_classes = [PolicyPermission]
    policy = finance_return_policy
    schema = SummarySchema()

    def _year(self, request) -> int:
        from . import asc_fr

        year = _year(request)
        asc_fr.year_check(year)
        return year

    @extend_schema(parameters=[OpenApiParameter("year", int)], responses=FinanceReturnSerializer)
    def list(self, request):
        from . import asc_fr

        return Response(FinanceReturnSerializer(asc_fr.extract(self._year(request))).data)

    @extend_schema(parameters=[OpenApiParameter("year", int), OpenApiParameter("setting", str),
                               OpenApiParameter("psr", str), OpenApiParameter("band", str), OpenApiParameter("page", int)],
                   responses=paged("FinanceReturnPeoplePage", FinanceReturnPersonSerializer))
    @action(detail=False, methods=["get"])
    def people(self, request):
        from ascm.core.api import Pagination

        from . import asc_fr

        year = self._year(request)
        filters = {k: request.query_params.get(k, "") for k in ("setting", "psr", "band")}
        asc_fr.filters_check(**filters)
        paginator = Pagination()
        page = paginator.paginate_queryset(asc_fr.people(year, **filters), request, view=self)
        return paginator.get_paginated_response(FinanceReturnPersonSerializer(page, many=True).data)
