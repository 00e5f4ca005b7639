"""Administration: who is an admin (``access``), editing the catalogue (``catalogue``) and
the orders flagged for review (``flagged_orders``)."""
