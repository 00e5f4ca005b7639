from __future__ import annotations

from pynamodb.attributes import NumberAttribute, UnicodeAttribute, UnicodeSetAttribute
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex
from pynamodb.models import Model

from photoshoot.models.base import table_meta


class UserOrdersIndex(GlobalSecondaryIndex):
    class Meta:
        index_name = "user-orders-index"
        projection = AllProjection()

    user_id = UnicodeAttribute(hash_key=True)
    created_at = UnicodeAttribute(range_key=True)


class PaymentIndex(GlobalSecondaryIndex):
    class Meta:
        index_name = "payment-index"
        projection = AllProjection()

    payment_id = UnicodeAttribute(hash_key=True)


class StatusIndex(GlobalSecondaryIndex):
    """Lets the sweep find old pending orders without a scan."""

    class Meta:
        index_name = "status-index"
        projection = AllProjection()

    status = UnicodeAttribute(hash_key=True)
    created_at = UnicodeAttribute(range_key=True)


class Order(Model):
    """A package purchase. Money is integer kopecks."""

    Meta = table_meta("orders")

    order_id = UnicodeAttribute(hash_key=True)
    user_id = UnicodeAttribute()
    package_id = UnicodeAttribute()
    package_title = UnicodeAttribute(null=True)
    photoshoots = NumberAttribute()
    amount_kopecks = NumberAttribute()
    currency = UnicodeAttribute(default="RUB")
    provider = UnicodeAttribute(default="yookassa")  # yookassa | stars
    payment_id = UnicodeAttribute(null=True)
    status = UnicodeAttribute(default="pending")  # pending|paid|cancelled|refunded|expired
    cancellation_reason = UnicodeAttribute(null=True)
    source = UnicodeAttribute(default="web")
    confirmation_url = UnicodeAttribute(null=True)
    created_at = UnicodeAttribute()
    paid_at = UnicodeAttribute(null=True)
    updated_at = UnicodeAttribute(null=True)
    cancellation_code = UnicodeAttribute(null=True)  # the provider's reason, e.g. card_expired
    refunded_at = UnicodeAttribute(null=True)
    # Photoshoots a refund could not take back because they were already spent.
    refund_shortfall = NumberAttribute(null=True)
    # Why a person should look at this order (amount mismatch, refund shortfall …): every
    # flag raised on it, each added with ``ADD`` (``payments.review``), so a later flag — a
    # late partial refund, a mismatching notification — never replaces one a person must
    # still act on. Read through ``flags``.
    review_flags = UnicodeSetAttribute(null=True)
    # The one flag orders carried before ``review_flags`` (each write replaced the last).
    # Never written any more; still read, so old flagged orders stay flagged.
    review_flag = UnicodeAttribute(null=True)
    # Refunded money already in the statistics: the payment's refunded total as of the last
    # count (only grows, by conditional writes) and the refunds whose notification moved it.
    # Orders counted before the total was kept have only the ids (their amounts were counted).
    counted_refunded_kopecks = NumberAttribute(null=True)
    counted_refund_ids = UnicodeSetAttribute(null=True)
    # Telegram Stars orders (provider "stars", currency "XTR"): the price in Stars. Such an
    # order brings no roubles, so its amount_kopecks is 0 — kopecks always mean roubles.
    amount_stars = NumberAttribute(null=True)

    user_orders_index = UserOrdersIndex()
    payment_index = PaymentIndex()
    status_index = StatusIndex()

    @property
    def flags(self) -> frozenset[str]:
        """Every review flag of the order, old single-attribute items included."""
        flags = set(self.review_flags or ())
        if self.review_flag:
            flags.add(self.review_flag)
        return frozenset(flags)
