"""The "I have studied this" action of a training material (a route of the page itself)."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from learning_units.selectors import own_citizen

from .training import material_progress, training_material_complete


def mark_studied(request, page):
    """POST only; wrong quiz answers re-render the page with what was ticked kept."""
    page_url = page.get_url(request)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if not request.user.is_authenticated:
        return redirect_to_login(page_url)
    citizen = own_citizen(request.user)
    if citizen is None:
        messages.error(
            request,
            _(
                "Your account is not linked to a citizen's record, so there is nowhere to "
                "record this. Please register as a citizen or ask your branch to link your "
                "account."
            ),
        )
        return redirect(page_url + "#studied")
    answers = {key: value for key, value in request.POST.items() if key.startswith("quiz-")}
    try:
        _completion, created = training_material_complete(
            page=page, citizen=citizen, answers=answers, url=request.build_absolute_uri(page_url)
        )
    except ValidationError as error:
        messages.error(request, error.messages[0])
        # The quiz is judged only while the citizen has no completion of the page: none to show.
        progress = material_progress(
            page=page, citizen=citizen, completion=None, answers=answers, checked=True
        )
        return page.render(request, progress=progress)
    if created:
        messages.success(
            request,
            _(
                "Well done! This material is recorded among your completed courses; you can "
                "attach it as proof in your self-assessment."
            ),
        )
    else:
        messages.info(request, _("You had already studied this material; nothing changed."))
    return redirect(page_url + "#studied")
