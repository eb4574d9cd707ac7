"""Technical-assistance requests (with the State's consent), the support catalogue (what providers
offer), activities (what was provided) and inter-agency coordination (overlaps, information exchange)."""
