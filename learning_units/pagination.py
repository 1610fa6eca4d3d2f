"""A paginator that never counts a big set in full (issue #22).

A province's public listing holds hundreds of thousands of recognitions: counting them all on
every page costs more than the page itself. `CappedPaginator` counts at most `cap` rows (a
COUNT over a LIMITed subquery) and says so: `count_label` and `pages_label` read "1000+" and
"20+" past the cap. Narrowing by area or name brings the exact figures back. The cap is what a
page's count costs: 10,000 joined rows took 0.9 s of a province's page 1 at 55k recognitions on
a loaded 2-core PostgreSQL (bench/bench_reports_listing.py); 1,000 is twenty pages of names,
more than anyone pages through before searching. Even capped, that count cost 457 ms at 55k;
where the total is kept elsewhere (a listing's pre-aggregated figures) the caller passes it as
`count`: nothing is counted, the total is shown exact, and pages still stop at the cap.
"""

from functools import cached_property

from django.core.paginator import Paginator

CAP = 1_000


class CappedPaginator(Paginator):
    """Pages are cut from at most `cap` rows, whatever the total: a deep page's OFFSET costs
    what the rows before it cost (1.1 s for the last of 1,093 pages at 55k, against 0.2 s for
    page 1), so past the cap a visitor narrows by name or area instead of paging. Read from an
    index in the page's order (the recognition listing's, `assessments/models/listing.py`),
    the rows before the capped last page are a thousand index entries: 8 ms at 55k."""

    def __init__(self, object_list, per_page, *, cap=None, count=None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.cap = CAP if cap is None else cap
        self.total = count  # known elsewhere: nothing is counted

    def page(self, number):
        """The page's rows, sliced by `per_page` alone: a total kept elsewhere that lags behind
        the rows never hides one (Django's `page` stops its last slice at the count)."""
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if self.orphans and top + self.orphans >= self.count:
            top = self.count
        return self._get_page(self.object_list[bottom:top], number, self)

    @cached_property
    def count(self):
        """The rows pages are cut from: the total, up to the cap."""
        if self.total is None:
            # No ORDER BY in the count: with one, PostgreSQL may pick a nested loop walking the
            # order to stop at the LIMIT, which without fresh statistics never ends.
            counted = self.object_list.order_by()[: self.cap + 1].count()
        else:
            counted = self.total
        self.capped = counted > self.cap
        return min(counted, self.cap)

    capped = False

    @property
    def count_label(self):
        count = self.count  # counts first: it is what sets `capped`
        if self.total is not None:
            return str(self.total)
        return f"{count}+" if self.capped else str(count)

    @property
    def pages_label(self):
        pages = self.num_pages
        return f"{pages}+" if self.capped else str(pages)
