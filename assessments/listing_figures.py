"""What a public recognition listing reads from pre-aggregated figures (docs/architecture.md,
registries): the years it offers and the totals it shows.

Live, the years of an area are a DISTINCT over all its recognitions and its totals a COUNT of
them: at a province's hundreds of thousands, slower than the rest of the page together (issue
#22). An app above that keeps pre-aggregated figures registers readers here (`reports` reads
its kept summaries, per commune and province); the listing asks them first and counts live only
where no reader answers (an area below a commune, or no reader installed).
"""

_year_readers = []
_count_readers = []


def register(*, years=None, counts=None):
    """`years(area)` returns the years with a standing recognition in the area, newest first;
    `counts(area, year)` the number of citizens and of collectives the listing of that area and
    year shows, as `{"citizens": n, "collectives": m}`. Either returns None when it cannot tell
    for that area."""
    for reader, readers in ((years, _year_readers), (counts, _count_readers)):
        if reader is not None and reader not in readers:
            readers.append(reader)


def _first_answer(readers, *args):
    for reader in readers:
        answer = reader(*args)
        if answer is not None:
            return answer
    return None


def years(area):
    return _first_answer(_year_readers, area)


def counts(area, year):
    return _first_answer(_count_readers, area, year)
