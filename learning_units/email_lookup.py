"""Finding accounts and citizens by e-mail address, whatever its case, through the lower(email)
indexes of both tables (migration 0011_learners_matched_by_email_through_an_index).

Django's `iexact` compares UPPER(…) on PostgreSQL, which those indexes do not serve, and an OR
across the account's and the citizen's address (or beside the user name) is served by neither:
each was a scan of every account or citizen at a province's size (issue #22). So each table is
looked up on its own, and callers join the ids (`ids_of_accounts`)."""

from django.db.models.functions import Lower


def address_key(address):
    """The form of an address the indexes hold (`lower`; ASCII folding on SQLite, as `iexact`)."""
    return (address or "").strip().lower()


def with_email(queryset, address, field="email"):
    """Rows of `queryset` whose `field` is `address`, in any case."""
    return queryset.alias(email_key=Lower(field)).filter(email_key=address_key(address))


def ids_of_accounts(*branches):
    """The ids of the accounts a few `values_list` look-ups name (each served by its own index),
    in one query: UNION ALL of them."""
    first, *rest = (branch.order_by() for branch in branches)
    rows = first.union(*rest, all=True) if rest else first
    return {pk for (pk,) in rows if pk is not None}
