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
    path("rates/", views.rates, name="rates"),
    path("limits/", views.limits, name="limits"),
    path("allocation/", views.allocation, name="allocation"),
    path("budgets/", views.budgets, name="budgets"),
    path("thresholds/", views.thresholds, name="thresholds"),
]
