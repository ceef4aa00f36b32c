"""The care package's state machine: every status and the only moves between them. Services move a
package with `package_move`, which refuses anything not listed here, so nothing starts unapproved
and an approved package cannot slip back to being edited."""

from .models import CarePackage

S = CarePackage.Status

TRANSITIONS: dict[str, dict[str, str]] = {
    # from: {to: what the move is called}
    S.DRAFT: {S.BROKERAGE: "Sent to brokerage", S.SUBMITTED: "Submitted for approval", S.CANCELLED: "Cancelled"},
    S.RETURNED: {S.BROKERAGE: "Sent to brokerage", S.SUBMITTED: "Submitted for approval", S.CANCELLED: "Cancelled"},
    S.BROKERAGE: {S.SUBMITTED: "Provider found: submitted for approval", S.DRAFT: "Taken out of brokerage",
                  S.CANCELLED: "Cancelled"},
    S.SUBMITTED: {S.APPROVED: "Approved", S.NOT_APPROVED: "Not approved", S.RETURNED: "Returned for changes",
                  S.CANCELLED: "Withdrawn"},
    S.APPROVED: {S.ACTIVE: "Started", S.ENDED: "Ended", S.CANCELLED: "Cancelled before it started"},
    S.ACTIVE: {S.ENDED: "Ended"},
    S.NOT_APPROVED: {},
    S.ENDED: {},
    S.CANCELLED: {},
}

FINAL = {status for status, moves in TRANSITIONS.items() if not moves}


def can_move(from_status: str, to_status: str) -> bool:
    return to_status in TRANSITIONS.get(from_status, {})


def move_label(from_status: str, to_status: str) -> str:
    return TRANSITIONS[from_status][to_status]
