"""Form fields over the one numeric parser (``common.parsing``)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from xiangtan_jobs.common.parsing import parse_decimal


class AmountField(forms.DecimalField):
    """An amount in yuan, ASCII digits with at most two decimals (0.5 元/件, 210 元/天).

    Django's own DecimalField takes 「２１０」 and 「2e2」 (``Decimal()`` does); this takes what
    ``parse_decimal`` takes and says what to type otherwise."""

    default_error_messages = {"invalid": _("请填写金额数字，最多两位小数，例如「200」或「0.5」")}

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_digits", 9)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("min_value", 0)
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]  # the stubs type DecimalField as IntegerField
        if value in self.empty_values:
            return None
        amount = parse_decimal(value)
        if amount is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return amount
