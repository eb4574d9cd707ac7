"""Reference data: States, mechanisms, SDG goals and targets, theme vocabularies, affected groups,
currencies and the four voluntary funds. Codes are stable keys; names carry their translations."""
