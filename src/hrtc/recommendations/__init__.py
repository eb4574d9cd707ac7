"""The recommendations registry: UPR, treaty-body and special-procedure recommendations and voluntary
pledges, their themes, responsible national entities, clusters and implementation status history."""
