"""Package purchases through YooKassa, credited exactly once.

``orders`` creates and reads orders, ``gateway`` is the adapter over the ``yookassa`` SDK,
``settlement`` moves an order by what the API says about its payment (paid, cancelled,
refunded), ``notifications`` authenticates and parses YooKassa's webhooks, ``sweep`` re-checks
pending orders whose notification was lost, ``refund_sweep`` applies refunds whose
notification was lost, ``notify`` tells the user, ``review`` flags an order for a person
(flags accumulate; none is ever replaced).
"""
