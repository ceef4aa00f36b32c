"""The financial assessment's arithmetic (Care and Support (Charging and Assessment of Resources)
Regulations 2014 and the Care and support statutory guidance, annex B–C): pure functions over the
figures and the dated rates, returning the weekly contribution and every line of the working, so the
page, the letter and the API show exactly how it was reached.

- Capital above the upper limit: the person pays the full cost. Between the limits: tariff income of
  £1 a week for every £250 (the table's step), or part of it, above the lower limit (£20,000 → £23;
  £15,750 → £6; £14,251 → £1; £14,250 → £0).
- Care at home: assessable income (income less the disregarded kinds, plus tariff income) less the
  Minimum Income Guarantee (by age; premiums below pension age), disability-related expenditure (the
  standard allowance, or the items of an individual assessment) and housing costs. Never below 0,
  never above the cost of care. The value of the home is disregarded.
- Care home: assessable income less the Personal Expenses Allowance; the home counts as capital
  except for the first 12 weeks of permanent care, or while a deferred payment agreement is in place.
"""

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, Decimal

from .money import pounds

ZERO = Decimal("0.00")
# Income the regulations disregard in full (schedule 1): earnings, the mobility components.
DISREGARDED_INCOME = {"earnings": "Earnings", "pip_mobility": "PIP mobility component",
                      "dla_mobility": "DLA mobility component"}
INCOME_KINDS = {"state_pension": "State Pension", "private_pension": "Private or workplace pension",
                "pension_credit": "Pension Credit", "attendance_allowance": "Attendance Allowance",
                "pip_daily_living": "PIP daily living component", "dla_care": "DLA care component",
                "esa": "Employment and Support Allowance", "universal_credit": "Universal Credit",
                **DISREGARDED_INCOME, "other": "Other income"}
CAPITAL_KINDS = {"savings": "Savings and bank accounts", "investments": "Investments and shares",
                 "other": "Other capital"}
PROPERTY_DISREGARD_WEEKS = 12


@dataclass
class Result:
    weekly_contribution: Decimal | None
    pays_full_cost: bool
    lines: list[tuple[str, str]] = field(default_factory=list)  # (what, "£x.xx" or words)

    def add(self, what: str, amount) -> None:
        self.lines.append((what, f"£{pounds(amount):,}" if isinstance(amount, Decimal) else str(amount)))


def tariff_income(capital: Decimal, rates) -> Decimal:
    if capital <= rates.capital_lower:
        return ZERO
    capped = min(capital, rates.capital_upper)
    steps = ((capped - rates.capital_lower) / rates.tariff_step).to_integral_value(rounding=ROUND_CEILING)
    return pounds(steps)


def age_on(born: datetime.date | None, on: datetime.date) -> int | None:
    if born is None:
        return None
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def minimum_income_guarantee(rates, *, age: int | None, disabled: bool, enhanced: bool) -> Decimal:
    if age is None:
        raise ValueError("The person's date of birth is needed for the Minimum Income Guarantee")
    if age >= rates.pension_age:
        if rates.mig_pension_age is None:
            raise ValueError("The rates in force have no pension-age Minimum Income Guarantee: an administrator enters it")
        return rates.mig_pension_age
    base = rates.mig_18_24 if age < 25 else rates.mig_25_to_pension
    return base + (rates.disability_premium if disabled else ZERO) + (rates.enhanced_disability_premium if enhanced else ZERO)


def _capital_lines(result, items, property_counted: Decimal, property_note: str):
    total = ZERO
    for item in items:
        value = Decimal(item["value"])
        total += value
        result.add(f"Capital: {CAPITAL_KINDS.get(item['kind'], item['kind'])}{' — ' + item['description'] if item.get('description') else ''}", value)
    if property_note:
        result.add(property_note, property_counted)
    return total + property_counted


def calculate(*, setting: str, rates, on: datetime.date, born: datetime.date | None, capital: list[dict],
              income: list[dict], property_value: Decimal = ZERO, permanent_care_from: datetime.date | None = None,
              deferred_payment: bool = False, dre_items: list[dict] = (), housing_costs: Decimal = ZERO,
              disabled: bool = False, enhanced: bool = False, cost_of_care: Decimal | None = None) -> Result:
    result = Result(weekly_contribution=None, pays_full_cost=False)
    result.add("Rates used", f"from {rates.effective_from:%-d %B %Y}")
    home = setting == "home"
    if home:
        property_counted, note = ZERO, ("The home you live in (not counted for care at home)" if property_value else "")
    elif deferred_payment:
        property_counted, note = ZERO, "Your home (not counted: a deferred payment agreement is in place)"
    elif permanent_care_from and on < permanent_care_from + datetime.timedelta(weeks=PROPERTY_DISREGARD_WEEKS):
        until = permanent_care_from + datetime.timedelta(weeks=PROPERTY_DISREGARD_WEEKS)
        property_counted, note = ZERO, f"Your home (not counted for the first 12 weeks of permanent care, until {until:%-d %B %Y})"
    else:
        property_counted, note = Decimal(property_value), ("Your home" if property_value else "")
    total_capital = _capital_lines(result, capital, property_counted, note)
    result.add("Capital counted", total_capital)
    if total_capital > rates.capital_upper:
        result.add(f"Capital is above the upper limit of £{rates.capital_upper:,}", "You pay the full cost of your care")
        result.pays_full_cost = True
        result.weekly_contribution = pounds(cost_of_care) if cost_of_care is not None else None
        if cost_of_care is not None:
            result.add("Your weekly contribution: the full cost of your care", cost_of_care)
        return result
    tariff = tariff_income(total_capital, rates)
    result.add(f"Tariff income: £1 a week for every £{rates.tariff_step:,.0f} (or part) above £{rates.capital_lower:,}", tariff)
    counted = ZERO
    for item in income:
        weekly = Decimal(item["weekly"])
        label = INCOME_KINDS.get(item["kind"], item["kind"])
        if item["kind"] in DISREGARDED_INCOME:
            result.add(f"Income: {label} (disregarded, not counted)", weekly)
            continue
        counted += weekly
        result.add(f"Income: {label}", weekly)
    assessable = counted + tariff
    result.add("Assessable income a week (income counted plus tariff income)", assessable)
    if home:
        mig = minimum_income_guarantee(rates, age=age_on(born, on), disabled=disabled, enhanced=enhanced)
        result.add("Less the Minimum Income Guarantee you keep", mig)
        if dre_items:
            dre = sum((Decimal(i["weekly"]) for i in dre_items), ZERO)
            for item in dre_items:
                result.add(f"Less disability-related expenditure: {item['description']}", Decimal(item["weekly"]))
        else:
            dre = rates.dre_standard
            result.add("Less disability-related expenditure (the standard allowance)", dre)
        if housing_costs:
            result.add("Less housing costs", Decimal(housing_costs))
        charge = assessable - mig - dre - Decimal(housing_costs)
    else:
        result.add("Less the Personal Expenses Allowance you keep", rates.personal_expenses_allowance)
        charge = assessable - rates.personal_expenses_allowance
    charge = max(pounds(charge), ZERO)
    if cost_of_care is not None and charge > cost_of_care:
        result.add(f"Capped at the cost of your care (£{pounds(cost_of_care):,} a week)", cost_of_care)
        charge = pounds(cost_of_care)
    result.weekly_contribution = charge
    result.add("Your weekly contribution", charge)
    return result
