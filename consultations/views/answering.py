"""The answer form, step by step or on one page. Thin: parsing in forms.py, saving in services."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core import signing
from django.http import Http404, HttpResponse, RawPostDataException
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from consultations.forms import (
    HONEYPOT,
    answers_from_post,
    answers_from_session,
    answers_to_session,
    blank_form_html,
    new_token,
    question_fields,
    read_token,
)
from consultations.models import Layout, QuestionKind, Response
from consultations.ratelimit import allow_submission
from consultations.reports.public import public_min_answers, public_results, results_published
from consultations.services import (
    ConsultationClosed,
    RawAnswer,
    SubmissionInvalid,
    SubmissionRejected,
    drafts,
    sent_forms,
    submit_response,
    validate_answers,
)
from consultations.services.responses import NON_FIELD
from consultations.services.word_clouds import word_cloud

from .common import REFERENCE_SALT, closed, problem, render_page, too_many

#: The session key that remembers "Easy read" for the visit, on every consultation that has easy
#: read words (:func:`words_switch`): someone who needs easy read needs it everywhere.
EASY_READ_SESSION_KEY = "consultations.easy_read"
WORDS = {"easy": True, "standard": False}


def _body_is_utf8(request) -> bool:
    try:
        request.body.decode("utf-8")
    except UnicodeDecodeError:
        return False
    except RawPostDataException:
        # A multipart body too big to hold in memory was streamed (files and all) to parse it,
        # so it cannot be read again (youthforum.core.middleware): no answer form sends one.
        return False
    return True


def _guard_post(request, page):
    """Checks every answer POST must pass before its answers are read; a response if it fails."""
    if not page.is_open():
        return closed(request, page)
    if not _body_is_utf8(request):
        return problem(
            request, page, _("Your answers were sent in a way we do not understand."), 400
        )
    if request.POST.get(HONEYPOT):
        return problem(
            request, page, _("Please leave the box marked “Leave this empty” empty."), 400
        )
    if not allow_submission(request):
        return too_many(request, page)
    return None


def _thank_you_url(request, page, response: Response) -> str:
    # Wagtail's page URLs allow only letters, digits, - and _, so the signed reference (which has
    # colons) goes in the query string. Signing it stops anyone reading other people's references.
    signed = signing.dumps(response.reference, salt=REFERENCE_SALT)
    url = page.get_url(request)  # with the request, Wagtail uses the sites it already has
    return f"{url}{page.reverse_subpage('thank_you')}?{urlencode({'ref': signed})}"


def _draft_expired(request, page):
    """The young person's draft was left too long and is gone: say so kindly, start again."""
    messages.info(
        request,
        _(
            "You started answering more than a day ago. To keep your answers private, we "
            "deleted them and nothing was sent. Please start again."
        ),
    )
    return redirect(page.url)


def _about_you(page, questions):
    """The consultation's "about you" options, read only when one of its questions needs them."""
    if any(q.kind == QuestionKind.ABOUT_YOU for q in questions):
        return page.about_you_options()
    return None


def _fields(page, questions, answers=None, errors=None, *, easy_read=False):
    return question_fields(
        questions, answers, errors, about_you=_about_you(page, questions), easy_read=easy_read
    )


def _words_switch(request, page, questions, *, here: str, answer_form: bool = False) -> dict:
    """Whether to show easy read words (chosen for this visit, and ``page`` has some), and the
    context of the "Easy read" / "Standard words" switch at the top of the page, if offered.

    ``here``: where the switch comes back to. ``answer_form``: the page has an answer form
    (``id="answer-form"``), which the switch's button then sends along, so that the answers
    typed so far come back on the page in the other words (:func:`words_switch`).
    """
    if not page.has_easy_read(questions):
        return {"easy_read": False, "words_switch": None}
    easy_read = bool(request.session.get(EASY_READ_SESSION_KEY))
    return {
        "easy_read": easy_read,
        "words_switch": {
            "easy_read": easy_read,
            "action": f"{page.url}{page.reverse_subpage('words')}?{urlencode({'next': here})}",
            "answer_form": answer_form,
        },
    }


def _already_sent(request, page) -> Response | None:
    """The response this browser sent to this consultation in the last hour, if any."""
    token = sent_forms.sent_token(request.session, page_id=page.pk)
    if token is None:
        return None
    response = Response.objects.filter(page=page, token=token).first()
    if response is None:  # deleted since (a member deleting their answers, say): start afresh
        sent_forms.sent_forget(request.session, page_id=page.pk)
    return response


def _answer_as(request):
    if request.user.is_authenticated and request.POST.get("answer_as_me") == "yes":
        return request.user
    return None


def start(request, page):
    """The consultation's page: what it is about, then the form (or "Start now" for steps)."""
    questions = list(page.ordered_questions())
    if request.method == "POST":
        if page.layout == Layout.STEPS:
            return redirect(page.url)
        return _submit_single_page(request, page, questions)
    words = _words_switch(request, page, questions, here=page.url)
    fields = _fields(page, questions, easy_read=words["easy_read"])
    context = {"fields": fields, "token": new_token(), "open": page.is_open(), **words}
    sent = _already_sent(request, page) if context["open"] else None
    if sent is not None:
        # Sent from this browser (the young person pressed Back, say): no fresh form, whose new
        # token would store their answers a second time; "Answer again" only where allowed.
        context["already_sent"] = {
            "thank_you_url": _thank_you_url(request, page, sent),
            "answer_again": page.allow_answer_again,
        }
    elif context["open"] and page.layout != Layout.STEPS:
        context["questions_html"] = blank_form_html(fields)
        if words["words_switch"]:
            words["words_switch"]["answer_form"] = True
    if results_published(page):
        context["results"] = public_results(page)
    return render_page(request, page, "consultations/consultation_page.html", context)


def results_word_cloud(request, page):
    """The published results' word cloud (PNG), for everyone once results are published."""
    if not results_published(page) or not public_results(page).words:
        raise Http404
    drawn = word_cloud(page, fmt="png", min_answers=public_min_answers())
    response = HttpResponse(drawn, content_type="image/png")
    response["Cache-Control"] = "public, max-age=300"
    return response


def _submit_single_page(request, page, questions):
    refusal = _guard_post(request, page)
    if refusal:
        return refusal
    expired = False
    try:
        token = read_token(request.POST.get("token", ""))
    except signing.SignatureExpired:
        expired, token = True, None
    except signing.BadSignature:
        return problem(
            request,
            page,
            _("This form was changed or is incomplete. Go back, reload the page and try again."),
            400,
        )
    try:
        answers = answers_from_post(questions, request.POST)
    except SubmissionRejected as error:
        return problem(request, page, str(error), 400)
    if expired:
        errors = {
            NON_FIELD: [
                _("This form was open for a long time. Check your answers and send them again.")
            ]
        }
        return _show_errors(request, page, questions, answers, errors)
    done, errors = _send(request, page, questions, answers, token)
    return done or _show_errors(request, page, questions, answers, errors)


def _send(request, page, questions, answers, token, *, on_sent=None):
    """Send a web form's answers through ``submit_response``.

    Returns ``(response, None)`` when that is the end of it (the thank-you page, or a refusal),
    or ``(None, errors)`` when the answers need fixing. ``on_sent`` runs once they are stored.

    Answers sent again from a browser that has sent to this consultation in the last hour go
    with the token it sent (``services.sent_forms``), whatever token the form holds: a form
    loaded afresh after Back, or open in a second tab, then gets the same thank-you page, and
    ``submit_response`` stores nothing more. "Answer again" forgets that token.
    """
    already = sent_forms.sent_token(request.session, page_id=page.pk)
    if already is not None:
        token = already
    try:
        result = submit_response(
            consultation=page,
            answers=answers,
            token=token,
            user=_answer_as(request),
            questions=questions,
        )
    except ConsultationClosed:
        return closed(request, page), None
    except SubmissionRejected as error:
        return problem(request, page, str(error), 400), None
    except SubmissionInvalid as invalid:
        return None, invalid.errors
    if on_sent is not None:
        on_sent()
    sent_forms.sent_remember(
        request.session,
        page_id=page.pk,
        token=result.response.token,
        anonymous=not request.user.is_authenticated,
    )
    if not result.created:
        messages.info(
            request,
            _("You had already sent your answers, so we did not send them again."),
        )
    return redirect(_thank_you_url(request, page, result.response)), None


def _show_errors(request, page, questions, answers, errors):
    """The one-page form again with what was typed: with errors, or after switching words."""
    words = _words_switch(request, page, questions, here=page.url, answer_form=True)
    fields = _fields(page, questions, answers, errors, easy_read=words["easy_read"])
    return render_page(
        request,
        page,
        "consultations/consultation_page.html",
        {
            "fields": fields,
            "token": request.POST.get("token") if NON_FIELD not in errors else new_token(),
            "open": True,
            "errors": [(f"#{f.first_input_id}", f.summary_error) for f in fields if f.error],
            "form_errors": errors.get(NON_FIELD, []),
            "answer_as_me": request.POST.get("answer_as_me") == "yes",
            **words,
        },
    )


def step(request, page, number):
    """One question of a step-by-step consultation. Answers wait in the session until sent."""
    if page.layout != Layout.STEPS:
        return redirect(page.url)
    if not page.is_open():
        return closed(request, page) if request.method == "POST" else redirect(page.url)
    questions = list(page.ordered_questions())
    if not 1 <= number <= len(questions) or _already_sent(request, page):
        return redirect(page.url)  # which says when these answers were sent already
    question = questions[number - 1]
    draft, expired = drafts.draft_read(request.session, page_id=page.pk)
    if expired:
        return _draft_expired(request, page)
    answers = answers_from_session(draft["answers"]) if draft else {}
    errors = {}
    if request.method == "POST":
        refusal = _guard_post(request, page)
        if refusal:
            return refusal
        try:
            posted = answers_from_post([question], request.POST)
        except SubmissionRejected as error:
            return problem(request, page, str(error), 400)
        given = posted.get(question.pk, RawAnswer())
        answers[question.pk] = given
        try:
            validate_answers(
                questions=questions,
                answers={question.pk: given},
                require_complete=False,
                about_you=_about_you(page, [question]),
            )
        except SubmissionInvalid as invalid:
            errors = invalid.errors
        else:
            drafts.draft_save(
                request.session,
                page_id=page.pk,
                answers=answers_to_session(answers),
                anonymous=not request.user.is_authenticated,
            )
            if number == len(questions) or request.GET.get("return") == "check":
                return redirect(page.url + page.reverse_subpage("check"))
            return redirect(page.url + page.reverse_subpage("step", args=[number + 1]))
    return _step_page(request, page, questions, number, answers, errors, here=_step_url(request))


def _step_url(request) -> str:
    """This step's address, with "return to check your answers" if it has it."""
    here = request.path
    if request.GET.get("return") == "check":
        here += "?" + urlencode({"return": "check"})
    return here


def _step_page(request, page, questions, number, answers, errors, *, here):
    """Step ``number`` with ``answers`` in it; ``here`` is the step's own address."""
    words = _words_switch(request, page, questions, here=here, answer_form=True)
    field = _fields(page, questions, answers, errors, easy_read=words["easy_read"])[number - 1]
    return render_page(
        request,
        page,
        "consultations/consultation_step.html",
        {
            "field": field,
            "number": number,
            "total": len(questions),
            "action": here,
            "errors": [(f"#{field.first_input_id}", field.summary_error)] if field.error else [],
            "back_url": page.url
            + (page.reverse_subpage("step", args=[number - 1]) if number > 1 else ""),
            **words,
        },
    )


def check_answers(request, page):
    """Every answer given so far, with "Change" links, and the button that sends them."""
    if page.layout != Layout.STEPS:
        return redirect(page.url)
    if not page.is_open():
        return closed(request, page) if request.method == "POST" else redirect(page.url)
    questions = list(page.ordered_questions())
    draft, expired = drafts.draft_read(request.session, page_id=page.pk)
    if expired:
        return _draft_expired(request, page)
    if not draft:
        if request.method == "POST":
            return _send_again(request, page, questions)
        return redirect(page.url)
    answers = answers_from_session(draft["answers"])
    errors = {}
    if request.method == "POST":
        refusal = _guard_post(request, page)
        if refusal:
            return refusal
        try:
            token = read_token(request.POST.get("token", ""))
        except signing.BadSignature:  # includes expiry: the answers are still in the session
            token = None
        if token is None:
            errors = {NON_FIELD: [_("Please check your answers and send them again.")]}
        else:
            done, errors = _send(
                request,
                page,
                questions,
                answers,
                token,
                on_sent=lambda: drafts.draft_discard(request.session, page_id=page.pk),
            )
            if done:
                return done
    words = _words_switch(request, page, questions, here=request.path)
    fields = _fields(page, questions, answers, errors, easy_read=words["easy_read"])
    return render_page(
        request,
        page,
        "consultations/consultation_check.html",
        {
            "fields": fields,
            "token": new_token(),
            "errors": [
                (page.url + page.reverse_subpage("step", args=[f.number]), f.summary_error)
                for f in fields
                if f.error
            ],
            "form_errors": errors.get(NON_FIELD, []),
            "back_url": page.url + page.reverse_subpage("step", args=[len(questions)]),
            **words,
        },
        status=200,
    )


def _send_again(request, page, questions):
    """After sending, "Send my answers" pressed again with no draft left (Back, or a double click).

    Sending discards the draft, so the answers are no longer here; but the page still holds the
    form's token, and ``submit_response`` answers a token it has already stored with that same
    response. So the young person sees the same thank-you page again and nothing is stored twice.
    A token that was never sent (the draft expired or was never made) starts again, as before.
    """
    refusal = _guard_post(request, page)
    if refusal:
        return refusal
    try:
        token = read_token(request.POST.get("token", ""))
    except signing.BadSignature:
        return redirect(page.url)
    done, _errors = _send(request, page, questions, {}, token)
    return done or redirect(page.url)


def words_switch(request, page):
    """The "Easy read" / "Standard words" switch: remember the choice for the visit, then back.

    Works without JavaScript: a button that POSTs ``words`` ("easy" or "standard"), back to
    ``?next=`` (an address of this consultation; anything else goes to its first page). The
    choice is kept in the session (:data:`EASY_READ_SESSION_KEY`) for every consultation with
    easy read words, until the browser's session ends.

    On a page with an answer form the button sends that form (its ``form`` and ``formaction``
    attributes), so what was typed comes back, not yet sent or saved, on the same page in the
    other words: the one-page form with its token, or the step with its answer filled in (the
    steps answered before stay in the draft as they were). Nothing is checked or stored.
    """
    if request.method != "POST":
        return redirect(_next_on_page(request, page))
    choice = request.POST.get("words")
    if choice not in WORDS:
        return problem(request, page, _("Choose “Easy read” or “Standard words”."), 400)
    request.session[EASY_READ_SESSION_KEY] = WORDS[choice]
    here = _next_on_page(request, page)
    if page.is_open() and any(key.startswith("q-") for key in request.POST):
        shown = _typed_answers_again(request, page, here)
        if shown is not None:
            return shown
    return redirect(here)


def _next_on_page(request, page) -> str:
    here = request.GET.get("next", "")
    if (
        here.startswith(page.url)
        and url_has_allowed_host_and_scheme(here, allowed_hosts={request.get_host()})
        and "\\" not in here
    ):
        return here
    return page.url


def _typed_answers_again(request, page, here: str):
    """The answer form at ``here`` again, with what was typed in it, or None to go there."""
    questions = list(page.ordered_questions())
    path = here.split("?", 1)[0]
    if _already_sent(request, page):
        return None
    if page.layout != Layout.STEPS:
        if path != page.url:
            return None
        try:
            answers = answers_from_post(questions, request.POST)
        except SubmissionRejected:
            return None
        return _show_errors(request, page, questions, answers, {})
    steps = {
        page.url + page.reverse_subpage("step", args=[n]): n for n in range(1, len(questions) + 1)
    }
    number = steps.get(path)
    if number is None:
        return None
    draft, expired = drafts.draft_read(request.session, page_id=page.pk)
    if expired:
        return None
    answers = answers_from_session(draft["answers"]) if draft else {}
    question = questions[number - 1]
    try:
        posted = answers_from_post([question], request.POST)
    except SubmissionRejected:
        return None
    answers[question.pk] = posted.get(question.pk, RawAnswer())
    return _step_page(request, page, questions, number, answers, {}, here=here)


def answer_again(request, page):
    """ "Answer again" on the thank-you page: forget what was sent, and start a fresh form.

    Only a POST changes anything, and only where the consultation allows it
    (``ConsultationPage.allow_answer_again``); the fresh form has a fresh token, so what is sent
    next is a new response. The answers already sent stay as they are.
    """
    if request.method != "POST":
        return redirect(page.url)
    if not page.allow_answer_again:
        return problem(
            request,
            page,
            _(
                "This consultation takes one set of answers from each person, so you cannot "
                "answer again."
            ),
            403,
        )
    if not page.is_open():
        return closed(request, page)
    sent_forms.sent_forget(request.session, page_id=page.pk)
    drafts.draft_discard(request.session, page_id=page.pk)
    if page.layout == Layout.STEPS:
        return redirect(page.url + page.reverse_subpage("step", args=[1]))
    return redirect(page.url)
