"""Which years a public recognition listing offers (docs/architecture.md, registries).

Live, the years of an area are a DISTINCT over all its recognitions: at a province's hundreds
of thousands, slower than the rest of the page together (issue #22). An app above that keeps
pre-aggregated figures registers a reader here (`reports` reads its kept summaries, per
commune and province); the listing asks it first and counts live only where no reader answers
(an area below a commune, or no reader installed).
"""

_readers = []


def register(reader):
    """`reader(area)` returns the years with a standing recognition in the area, newest
    first, or None when it cannot tell for that area."""
    if reader not in _readers:
        _readers.append(reader)


def read(area):
    for reader in _readers:
        years = reader(area)
        if years is not None:
            return years
    return None
