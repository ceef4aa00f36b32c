from django import template

register = template.Library()


@register.simple_tag
def chart_bars(months, *, width: int = 590, height: int = 170, left: int = 40, base: int = 190):
    """Bars for a monthly chart: heights scaled to the largest month (the table beside it has the figures)."""
    top = max((n for _, n in months), default=0) or 1
    step = width / max(len(months), 1)
    return [{"month": month, "x": round(left + i * step + step * 0.15, 1), "width": round(step * 0.7, 1),
             "height": round(height * n / top, 1), "y": round(base - height * n / top, 1),
             "label_x": round(left + i * step + step / 2, 1)} for i, (month, n) in enumerate(months)]


@register.filter
def absolute(value):
    return abs(value)
