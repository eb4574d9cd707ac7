"""The voluntary funds (resolution 48/24, op. 4): donors, pledges, contributions, grants to activities and
to States' delegations, disbursements, refunds, UN operational exchange rates, and the double-entry ledger
every money movement posts to. Balances are derived from the ledger, never stored."""
