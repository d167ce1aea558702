"""Write-side operations of the gig markets, one module per workflow; the public names are re-exported here.

Each service the market gives a person is recorded once more as a `core.ServiceRecord` through
`core.services.service_record_create` (the person-times KPI, docs/kpis.md), inside the same
transaction, so the KPI cannot miss a settlement or count one that was rolled back.
"""

from __future__ import annotations

from markets.services.checkin import (
    CHECKIN_NOTE,
    market_check_in,
)
from markets.services.orders import (
    day_gig_cancel,
    day_gig_check,
    day_gig_create,
    day_gig_left,
    gig_assign,
    gig_assign_check,
    gig_assignment_finish,
)
from markets.services.settlement import (
    insurance_enrol,
    insurance_enrol_check,
    insurance_export_logged,
    rights_case_from_settlement,
    rights_case_open,
    rights_case_set_status,
    settlement_dispute,
    settlement_facts,
    settlement_open,
    settlement_open_check,
    settlement_pay,
)

__all__ = [
    "CHECKIN_NOTE",
    "day_gig_cancel",
    "day_gig_check",
    "day_gig_create",
    "day_gig_left",
    "gig_assign",
    "gig_assign_check",
    "gig_assignment_finish",
    "insurance_enrol",
    "insurance_enrol_check",
    "insurance_export_logged",
    "market_check_in",
    "rights_case_from_settlement",
    "rights_case_open",
    "rights_case_set_status",
    "settlement_dispute",
    "settlement_facts",
    "settlement_open",
    "settlement_open_check",
    "settlement_pay",
]
