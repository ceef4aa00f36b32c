from django.urls import path

from . import views

app_name = "finance"

urlpatterns = [
    path("", views.home, name="home"),
    path("packages/", views.packages, name="packages"),
    path("packages/new/<int:client_pk>/", views.package_new, name="package-new"),
    path("packages/<int:pk>/", views.package, name="package"),
    path("packages/<int:pk>/lines/", views.line_add, name="line-add"),
    path("packages/<int:pk>/submit/", views.submit, name="submit"),
    path("packages/<int:pk>/brokerage/", views.to_brokerage, name="to-brokerage"),
    path("packages/<int:pk>/decision/", views.decide, name="decide"),
    path("packages/<int:pk>/approaches/", views.approach, name="approach"),
    path("packages/<int:pk>/approaches/<int:approach_pk>/accept/", views.accept, name="accept"),
    path("packages/<int:pk>/change/", views.change, name="change"),
    path("packages/<int:pk>/end/", views.end, name="end"),
    path("packages/<int:pk>/cancel/", views.cancel, name="cancel"),
    path("approvals/", views.approvals, name="approvals"),
    path("brokerage/", views.brokerage, name="brokerage"),
    path("plans/<int:plan_pk>/personal-budget/", views.personal_budget, name="personal-budget"),
    path("commitments/", views.commitments, name="commitments"),
    path("commitments/<int:year>/<int:locality_pk>/<slug:service_type>/", views.commitment_lines, name="commitment-lines"),
    path("people/<int:client_pk>/financial-assessments/new/", views.financial_assessment_new,
         name="financial-assessment-new"),
    path("financial-assessments/<int:pk>/", views.financial_assessment, name="financial-assessment"),
    path("financial-assessments/<int:pk>/edit/", views.financial_assessment_edit, name="financial-assessment-edit"),
    path("financial-assessments/<int:pk>/complete/", views.financial_assessment_complete,
         name="financial-assessment-complete"),
    path("financial-assessments/<int:pk>/told/", views.financial_assessment_told, name="financial-assessment-told"),
    path("financial-assessments/<int:pk>/charges/", views.financial_assessment_charges,
         name="financial-assessment-charges"),
    path("financial-assessments/<int:pk>/letter/", views.financial_assessment_letter,
         name="financial-assessment-letter"),
    path("rates/", views.rates, name="rates"),
    path("charging-rates/", views.charging_rates, name="charging-rates"),
    path("limits/", views.limits, name="limits"),
    path("allocation/", views.allocation, name="allocation"),
    path("budgets/", views.budgets, name="budgets"),
    path("thresholds/", views.thresholds, name="thresholds"),
]
