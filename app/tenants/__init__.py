"""Tenant voice: the Regulator of Social Housing's tenant perception survey (TP01 to TP12) as a
consultation, its measures by landlord, estate and group, and the Tenant Board's review."""
