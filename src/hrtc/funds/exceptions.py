"""The funds' domain errors; the API answers them with the status each names."""

from hrtc.core.append_only import AppendOnlyViolation
from hrtc.core.exceptions import Conflict, InvalidInput


class FundOverdrawn(Conflict):
    """The movement would take a fund's available balance (cash less commitments) below zero."""

    code = "fund_overdrawn"


class BalanceExceeded(Conflict):
    """The movement exceeds what is left on the record it draws on (a grant, a pledge, a contribution)."""

    code = "balance_exceeded"


class AlreadyReversed(Conflict):
    code = "already_reversed"


class CurrencyMismatch(InvalidInput):
    """Amounts in different currencies meet; hrtc refuses rather than converting silently."""

    code = "currency_mismatch"


class NoExchangeRate(InvalidInput):
    code = "no_exchange_rate"


class IdempotencyKeyReused(InvalidInput):
    code = "idempotency_key_reused"


class LedgerUnbalanced(AssertionError):
    """A posting whose debits and credits differ: a programming error, never saved."""


class LedgerIsAppendOnly(AppendOnlyViolation):
    """Ledger rows and money movements are never changed or deleted; post a reversal instead."""

    def __init__(self, message: str):
        super().__init__(f"{message}; post a reversal instead.")
