"""A paginator that never counts a big set in full (issue #22).

A province's public listing holds hundreds of thousands of recognitions: counting them all on
every page costs more than the page itself. `CappedPaginator` counts at most `cap` rows (a
COUNT over a LIMITed subquery) and says so: `count_label` and `pages_label` read "10000+" and
"200+" past the cap. Narrowing by area or name brings the exact figures back.
"""

from functools import cached_property

from django.core.paginator import Paginator

CAP = 10_000


class CappedPaginator(Paginator):
    def __init__(self, object_list, per_page, *, cap=None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.cap = CAP if cap is None else cap

    @cached_property
    def count(self):
        counted = self.object_list[: self.cap + 1].count()
        self.capped = counted > self.cap
        return min(counted, self.cap)

    capped = False

    @property
    def count_label(self):
        count = self.count  # counts first: it is what sets `capped`
        return f"{count}+" if self.capped else str(count)

    @property
    def pages_label(self):
        pages = self.num_pages
        return f"{pages}+" if self.capped else str(pages)
