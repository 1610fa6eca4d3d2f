"""One indicator of the self-assessment step page, and the parts' navigation, built in Python.

The step page shows every indicator of a part with its text, points, note and proof. Rendered
through the template engine that was about 0.5 ms per indicator, a third of the page's time on
the citizens' most used page (bench/bench_self_assessment.py). This builds the same markup as
the reference template `assessments/public/includes/indicator.html`; tests/test_step_html.py
renders both for indicators in every state (computed, with errors, proof, suggestions, guidance
pages) and compares them. The evidence list and the course suggestions, shown only when there
is something in them, stay templates.
"""

from django.template.loader import get_template
from django.urls import reverse
from django.utils.html import linebreaks
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from learning_units.html import escape_text as e

from .rules import format_points

EVIDENCE_LIST = "assessments/public/includes/evidence_list.html"
SUGGESTIONS = "assessments/public/includes/_course_suggestions.html"


_TEXTS = {}


def _texts():
    """The fixed words of an indicator, translated and escaped once per language."""
    language = get_language()
    texts = _TEXTS.get(language)
    if texts is None:
        texts = _TEXTS[language] = {
            "proof_needed": e(_("proof needed")),
            "up_to": _("Up to %(max)s points"),
            "proof": e(_("Proof")),
            "add_proof": e(_("Add proof")),
            "attach": e(_("Attach")),
        }
    return texts


def _points(value):
    return "" if value is None or value == "" else format_points(value)


def _field(fields, name):
    field = fields.get(name)
    return field.as_field_group() if field is not None else ""


def _errors(fields, name):
    field = fields.get(name)
    return field is not None and bool(field.errors)


def indicator_section(row, request=None, level=2):
    """The HTML of one row of `views.public.Step.context` (safe text); the indicator's title
    is a heading of `level` (2 on a part's page, 3 under the part's heading on all parts),
    its proof a heading one level below."""
    indicator, answer, fields = row["indicator"], row["answer"], row["fields"]
    level = 3 if level == 3 else 2
    text = _texts()
    proof_needed = (
        f" · <strong>{text['proof_needed']}</strong>"
        if indicator.evidence_required and not row["computed"]
        else ""
    )
    up_to = e(text["up_to"] % {"max": _points(indicator.max_points)})
    parts = [
        f'\n  \n  <section class="sa-indicator" id="indicator-{indicator.pk}">\n'
        f'    <h{level}><span class="sa-code">{e(indicator.code)}</span> '
        f"{e(indicator.title)}</h{level}>\n"
        f'    <p class="sa-max">{up_to}{proof_needed}</p>\n'
        f'    <div class="sa-guidance">{linebreaks(indicator.guidance, autoescape=True)}</div>\n'
        "    "
    ]
    if row["pages"]:
        links = ", ".join(
            f'<a href="{e(page.get_url(request=request) or "")}">{e(page.title)}</a>'
            for page in row["pages"]
        )
        parts.append(f'\n      <p class="sa-more">{e(_("Read more:"))} {links}</p>\n    ')
    parts.append("\n    ")
    if row["computed"]:
        worked_out = _("Worked out from your members' results, you do not fill it in:")
        parts.append(
            f'\n      <div class="notice"><p>'
            f"{e(worked_out)} "
            f"{e(_points(answer.self_points))} {e(_('points'))}.</p>"
            f'<p class="field__help">{e(answer.note)}</p></div>\n    '
        )
    else:
        evidence = list(answer.evidence.all()) if answer is not None else []
        context = {"answer": answer, "removable": True, "request": request}
        evidence_html = get_template(EVIDENCE_LIST).render(context) if evidence else ""
        add_open = (
            _errors(fields, "file")
            or _errors(fields, "url")
            or _errors(fields, "course")
            or (not evidence and indicator.evidence_required)
        )
        suggestions = row["suggestions"]
        suggestions_html = (
            get_template(SUGGESTIONS).render(
                {"indicator": indicator, "suggestions": suggestions, "request": request}
            )
            if suggestions
            else ""
        )
        parts.append(
            '\n      <div class="sa-answer">\n'
            f"        {_field(fields, 'points')}\n"
            f"        {_field(fields, 'note')}\n"
            "      </div>\n"
            '      <div class="sa-evidence">\n'
            f"        <h{level + 1}>{text['proof']}</h{level + 1}>\n"
            f"        {evidence_html}\n"
            f'        <details class="sa-add"{" open" if add_open else ""}>\n'
            f"          <summary>{text['add_proof']}</summary>\n"
            f"          {_field(fields, 'file')}\n"
            f"          {_field(fields, 'url')}\n"
            f"          {_field(fields, 'course')}\n"
            f'          <button type="submit" form="step-form" name="anchor" '
            f'value="{indicator.pk}" class="button button--small">{text["attach"]}</button>\n'
            "        </details>\n"
            f"        {suggestions_html}\n"
            "      </div>\n    "
        )
    parts.append("\n  </section>\n  \n")
    return "".join(parts)


def _part_urls(pk, count):
    """The parts' addresses: reversed once, the others differ only in the number (checked;
    reversed one by one should the URL pattern ever put the number elsewhere)."""
    first = reverse("assessments:step", args=[pk, 1])
    if not first.endswith("/1/"):
        return [reverse("assessments:step", args=[pk, n]) for n in range(1, count + 1)]
    return [f"{first[:-2]}{n}/" for n in range(1, count + 1)]


def step_nav(assessment, totals, current):
    """The parts of an assessment as numbered links, with points per part, and "Send" (the
    markup of the reference template assessments/public/includes/step_nav.html). `totals` are
    views.public.Step.totals() rows; `current` is a part's number or "submit"."""
    items = []
    urls = _part_urls(assessment.pk, len(totals))
    for number, (criterion, points, answered, total) in enumerate(totals, start=1):
        aria = ' aria-current="step"' if number == current else ""
        items.append(
            f'\n      <li><a href="{e(urls[number - 1])}"{aria}>\n'
            f'        <span class="sa-steps__n">{number}</span>\n'
            f'        <span class="sa-steps__text">{answered}/{total} · {e(_points(points))}/'
            f"{e(_points(criterion.max_points))}</span>\n"
            "      </a></li>\n    "
        )
    send_aria = ' aria-current="step"' if current == "submit" else ""
    return (
        f'\n<nav class="sa-steps" aria-label="{e(_("Parts of the assessment"))}">\n  <ol>\n    '
        + "".join(items)
        + f'\n    <li><a href="{e(reverse("assessments:submit", args=[assessment.pk]))}"'
        f'{send_aria}><span class="sa-steps__n">✓</span><span class="sa-steps__text">'
        f"{e(_('Send'))}</span></a></li>\n  </ol>\n</nav>\n"
    )
