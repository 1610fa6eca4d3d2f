"""The figures table as an officer moves through it: empty areas hidden, a name filter for a
province's hundreds of communes, sorting by any column, a choice of columns.

Pure functions over the rows of `table.cells`: the screen reads its options from GET parameters
(`forms.TableOptionsForm`), so a sorted, filtered view can be shared as a link and works without
JavaScript. The PDF summary leaves empty rows out the same way (`without_empty`).
"""

from dataclasses import dataclass

from learning_units.text import search_key


def is_empty(cells):
    """No figure at all in the row (every value after the area's name is 0 or unknown)."""
    return not any(cells[1:])


def without_empty(rows, cells_of=lambda row: row):
    return [row for row in rows if not is_empty(cells_of(row))]


@dataclass
class TableView:
    rows: list
    hidden_empty: int  # rows left out because they hold no figure
    filtered_out: int  # rows left out by the name filter


def table_view(rows, *, show_empty=False, query="", sort=None):
    """`rows` are dicts with "cells" (name first). `sort` is a column's number counted from 1,
    negative for descending (the name column sorts in Vietnamese order of its accent-free
    key); rows without a value in the sorted column go last either way."""
    kept = rows if show_empty else [row for row in rows if not is_empty(row["cells"])]
    hidden_empty = len(rows) - len(kept)
    key = search_key(query or "")
    matching = [row for row in kept if key in search_key(str(row["cells"][0]))] if key else kept
    if sort:
        index, descending = abs(sort) - 1, sort < 0
        known = [row for row in matching if row["cells"][index] is not None]
        unknown = [row for row in matching if row["cells"][index] is None]
        if index == 0:
            known.sort(key=lambda row: search_key(str(row["cells"][0])), reverse=descending)
        else:
            known.sort(key=lambda row: row["cells"][index], reverse=descending)
        matching = known + unknown
    return TableView(matching, hidden_empty, len(kept) - len(matching))


def sort_links(column_count, sort):
    """[(the `sort` value a header links to, its aria-sort)] per column. A click on the
    sorted column reverses it; figures sort from the largest first, names from A."""
    links = []
    for number in range(1, column_count + 1):
        if sort == number:
            links.append((-number, "ascending"))
        elif sort == -number:
            links.append((number, "descending"))
        else:
            links.append((number if number == 1 else -number, "none"))
    return links
