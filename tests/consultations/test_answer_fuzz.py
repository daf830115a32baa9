"""Whatever is posted to a consultation, the answer form never fails with a server error.

Hypothesis throws random form data and random bytes at the one-page answer form (and at one step
of a step-by-step consultation): the answer is always a page a young person can act on (200 with
"There is a problem", 302 to the thank-you page, or a 400/403/429 that says what went wrong), and
a refused submission saves nothing. Named bad inputs from the issue that other tests do not
already cover (oversized, malformed and too-many-field bodies) get a deterministic test each.
"""

import re
from urllib.parse import urlencode

import pytest
from django.core import signing
from django.core.exceptions import ValidationError
from django.test import Client
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from consultations.forms import TOKEN_SALT, new_token
from consultations.models import AboutYouOptions, Answer, Layout, QuestionKind, Response
from consultations.models.questions import TEXT_KINDS
from tests.factories import ConsultationPageFactory, QuestionFactory, make_consultation

pytestmark = pytest.mark.django_db

ANSWERED_STATUSES = {200, 302, 400, 403, 429}
URLENCODED = "application/x-www-form-urlencoded"
FUZZ = hypothesis_settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture(autouse=True)
def no_rate_limit(settings):
    settings.YOUTHVOICE_ANSWER_RATE_LIMIT = None


@pytest.fixture
def consultation(home):
    return make_consultation(home, title="Feeling safe", slug="feeling-safe")


@pytest.fixture
def foreign_question(consultation):
    """A question of another consultation, whose id must never be accepted here."""
    other = ConsultationPageFactory(parent=consultation.get_parent(), slug="somewhere-else")
    return QuestionFactory(page=other, kind=QuestionKind.SHORT_TEXT)


def required_question(consultation):
    return next(q for q in consultation.ordered_questions() if q.required)


def tampered(token: str) -> str:
    """The same signed token with one character of its signature changed."""
    last = token[-1]
    return token[:-1] + ("A" if last != "A" else "B")


# Text a young person (or a robot) might send: any Unicode that UTF-8 can carry, including NUL
# and other control characters, right-to-left marks and emoji, now and then far too long.
any_text = st.text(alphabet=st.characters(codec="utf-8"), max_size=40)
awkward_text = st.sampled_from(
    ["", " ", "\x00", "a\x00b", "\r\n", "\u202e", "\ufeff", "😀" * 3, "<script>", "%00", "\\"]
)
long_text = st.builds(
    lambda char, length: char * length,
    st.sampled_from(["a", "é", "😀", "\x00", "\n"]),
    st.integers(min_value=1_990, max_value=12_000),
)
# Numbers in field names: big, and now and then more digits than Python will turn into an int.
huge_number = st.one_of(
    st.integers(min_value=0, max_value=10**60).map(str),
    st.integers(min_value=4_000, max_value=5_000).map(lambda n: "9" * n),
)


def form_data(questions, foreign_question):
    """(key, value) pairs: mostly real field names with wrong values, some wrong names and noise.

    Real names come first and most often, so that most examples get past the checks on the form
    as a whole (token, unknown questions) to the answers themselves.
    """
    ids = [q.pk for q in questions]
    options = sorted({option for q in questions for option in q.choice_options()} | {"__other__"})
    real_names = st.sampled_from(
        [q.field_name for q in questions]
        + [f"{q.field_name}-other" for q in questions]
        + [f"{q.field_name}-rank-{n}" for q in questions for n in range(4)]
    )
    not_this_consultation = st.one_of(
        huge_number.map(lambda n: f"q-{n}"),
        st.sampled_from([foreign_question.field_name, f"{foreign_question.field_name}-other"]),
    )
    harmless_key = st.one_of(
        real_names,
        real_names,
        real_names,
        st.sampled_from(ids).flatmap(lambda qid: huge_number.map(lambda n: f"q-{qid}-rank-{n}")),
        st.sampled_from(ids).flatmap(lambda qid: any_text.map(lambda s: f"q-{qid}-{s}")),
        st.sampled_from(["answer_as_me", "csrfmiddlewaretoken", "q-", "q--1", "q-0"]),
        any_text,
    )
    # Keys that refuse the whole form: a second token, the honeypot, another consultation's
    # questions. Only some examples get them, so that most reach the answers themselves.
    hostile_key = st.one_of(
        harmless_key, st.sampled_from(["token", "website"]), not_this_consultation
    )
    value = st.one_of(
        st.sampled_from(options), st.sampled_from(options), any_text, awkward_text, long_text
    )
    harmless = st.lists(st.tuples(harmless_key, value), max_size=8)
    # Odd words in the text questions alone: these are often saved, so they reach the database.
    text_names = [q.field_name for q in questions if q.kind in TEXT_KINDS]
    odd_words = st.lists(
        st.tuples(st.sampled_from(text_names), st.one_of(any_text, awkward_text, long_text)),
        max_size=3,
    )
    return st.one_of(
        harmless, harmless, odd_words, st.lists(st.tuples(hostile_key, value), max_size=8)
    )


def token_choice():
    return st.sampled_from(["valid"] * 8 + ["tampered", "missing", "not-a-uuid", "junk"])


def make_token(kind: str, junk: str) -> list[tuple[str, str]]:
    if kind == "missing":
        return []
    if kind == "tampered":
        return [("token", tampered(new_token()))]
    if kind == "not-a-uuid":
        return [("token", signing.dumps("not-a-uuid", salt=TOKEN_SALT))]
    if kind == "junk":
        return [("token", junk)]
    return [("token", new_token())]


def assert_answered_without_error(response, before: tuple[int, int]):
    assert response.status_code in ANSWERED_STATUSES, (
        f"HTTP {response.status_code}: the answer form failed"
    )
    after = (Response.objects.count(), Answer.objects.count())
    if response.status_code == 302:
        assert "thank-you/?ref=" in response["Location"]
        assert after[0] - before[0] <= 1
    else:
        assert after == before, f"HTTP {response.status_code} but something was saved"
    if response.status_code == 200:
        assert "There is a problem" in response.content.decode()


def saved() -> tuple[int, int]:
    return Response.objects.count(), Answer.objects.count()


def test_random_form_data_never_fails_and_refusals_save_nothing(
    client, consultation, foreign_question
):
    required = required_question(consultation)
    questions = list(consultation.ordered_questions())

    @FUZZ
    @given(
        pairs=form_data(questions, foreign_question),
        token=token_choice(),
        junk_token=any_text,
        answer_required=st.booleans(),
        multipart=st.booleans(),
    )
    def post_random_answers(pairs, token, junk_token, answer_required, multipart):
        pairs = make_token(token, junk_token) + pairs
        if answer_required:
            pairs.append((required.field_name, "More youth workers in the park"))
        before = saved()
        if multipart:
            data: dict[str, list[str]] = {}
            for key, value in pairs:
                data.setdefault(key, []).append(value)
            response = client.post(consultation.url, data)
        else:
            response = client.post(
                consultation.url, urlencode(pairs, doseq=True), content_type=URLENCODED
            )
        assert_answered_without_error(response, before)

    post_random_answers()


# Content types a browser, a robot or a broken proxy might send.
content_types = st.one_of(
    st.sampled_from(
        [
            URLENCODED,
            f"{URLENCODED}; charset=utf-8",
            f"{URLENCODED}; charset=latin-1",
            f"{URLENCODED}; charset=utf-16",
            f"{URLENCODED}; charset=no-such-charset",
            "multipart/form-data",
            "multipart/form-data; boundary=x",
            "multipart/form-data; boundary=x; charset=utf-16",
            "multipart/form-data; boundary=x; charset=rot13",
            "multipart/form-data; boundary=",
            "application/json",
            "text/plain",
            "",
        ]
    ),
    st.text(alphabet=st.characters(codec="latin-1"), max_size=60),
)


def test_random_bytes_never_fail_and_save_nothing_unless_valid(client, consultation):
    required = required_question(consultation)

    @FUZZ
    @given(
        noise=st.binary(max_size=400),
        content_type=content_types,
        shape=st.sampled_from(["noise", "answer-with-noise", "multipart-with-noise"]),
    )
    def post_random_bytes(noise, content_type, shape):
        if shape == "answer-with-noise":
            # A form that would be accepted, but for the bytes in its answer.
            body = f"token={new_token()}&{required.field_name}=".encode() + noise
        elif shape == "multipart-with-noise":
            body = (
                b'--x\r\nContent-Disposition: form-data; name="token"\r\n\r\n'
                + new_token().encode()
                + b'\r\n--x\r\nContent-Disposition: form-data; name="'
                + required.field_name.encode()
                + b'"\r\n\r\n'
                + noise
                + b"\r\n--x--\r\n"
            )
        else:
            body = noise
        before = saved()
        response = client.generic("POST", consultation.url, body, content_type=content_type)
        assert_answered_without_error(response, before)
        try:
            body.decode("utf-8")
        except UnicodeDecodeError:
            assert response.status_code == 400, "a body that is not UTF-8 was not refused"

    post_random_bytes()


def test_random_form_data_on_a_step_never_fails_or_saves(client, consultation, foreign_question):
    consultation.layout = Layout.STEPS
    consultation.save_revision().publish()
    step_url = consultation.url + consultation.reverse_subpage("step", args=[1])
    # The names of the step's own question, mostly; any other question's is refused on a step.
    first = list(consultation.ordered_questions())[:1]

    @FUZZ
    @given(pairs=form_data(first, foreign_question))
    def post_random_step(pairs):
        before = saved()
        response = client.post(step_url, urlencode(pairs, doseq=True), content_type=URLENCODED)
        assert response.status_code in ANSWERED_STATUSES
        # A step keeps answers in the session: only "check your answers" sends them.
        assert saved() == before

    post_random_step()


def valid_body(consultation, **extra) -> dict:
    return {
        "token": new_token(),
        required_question(consultation).field_name: "More youth workers",
        **extra,
    }


@pytest.mark.parametrize("multipart", [False, True], ids=["urlencoded", "multipart"])
def test_a_body_over_the_upload_limit_is_refused_whole(client, consultation, settings, multipart):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 5_000

    def post(data):
        if multipart:
            return client.post(consultation.url, data)
        return client.post(consultation.url, urlencode(data), content_type=URLENCODED)

    # The same valid answers, with and without padding that takes the body over the limit.
    assert post(valid_body(consultation, padding="x" * 6_000)).status_code == 400
    assert saved() == (0, 0)
    assert post(valid_body(consultation, padding="x" * 100)).status_code == 302
    assert Response.objects.count() == 1


def test_more_fields_than_allowed_is_refused_whole(client, consultation, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 20
    data = valid_body(consultation) | {f"extra-{n}": "x" for n in range(30)}
    response = client.post(consultation.url, urlencode(data), content_type=URLENCODED)
    assert response.status_code == 400
    assert saved() == (0, 0)


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("multipart/form-data", b"no boundary at all"),
        ("multipart/form-data; boundary=x", b'--x\r\nContent-Disposition: form-data; name="tok'),
        ("multipart/form-data; boundary=x", b"\xff\xfe\x00garbage"),
        (f"{URLENCODED}; charset=latin-1", b"token=abc"),
        ("application/json", b'{"token": "abc"}'),
    ],
    ids=["no-boundary", "truncated", "binary", "latin-1", "json"],
)
def test_a_malformed_body_is_refused_and_saves_nothing(client, consultation, content_type, body):
    response = client.generic("POST", consultation.url, body, content_type=content_type)
    assert response.status_code == 400
    assert saved() == (0, 0)


def test_a_multipart_answer_that_is_not_utf8_is_refused(client, consultation):
    body = (
        b'--x\r\nContent-Disposition: form-data; name="token"\r\n\r\n'
        + new_token().encode()
        + b'\r\n--x\r\nContent-Disposition: form-data; name="'
        + required_question(consultation).field_name.encode()
        + b'"\r\n\r\nCaf\xe9 in the park\r\n--x--\r\n'
    )
    response = client.generic(
        "POST", consultation.url, body, content_type="multipart/form-data; boundary=x"
    )
    assert response.status_code == 400
    assert saved() == (0, 0)


@pytest.mark.parametrize("field", ["q-{digits}", "q-{qid}-rank-{digits}"])
def test_a_field_name_with_thousands_of_digits_is_refused(client, consultation, field):
    # Python will not turn more than 4,300 digits into an int: this was once a 500.
    ranking = next(q for q in consultation.ordered_questions() if q.kind == QuestionKind.RANKING)
    data = valid_body(consultation, **{field.format(digits="9" * 5_000, qid=ranking.pk): "x"})
    response = client.post(consultation.url, urlencode(data), content_type=URLENCODED)
    assert response.status_code == 400
    assert saved() == (0, 0)


@pytest.mark.parametrize("charset", ["rot13", "base64"])
def test_a_multipart_body_with_a_charset_that_is_not_text_is_refused(client, consultation, charset):
    # Django's multipart parser raises LookupError for these: this was once a 500.
    body = b'--x\r\nContent-Disposition: form-data; name="token"\r\n\r\nabc\r\n--x--\r\n'
    response = client.generic(
        "POST",
        consultation.url,
        body,
        content_type=f"multipart/form-data; boundary=x; charset={charset}",
    )
    assert response.status_code == 400
    assert saved() == (0, 0)


def test_a_multipart_answer_is_taken_with_csrf_checks_on_as_in_production(consultation):
    """Django's test client skips the CSRF check, which reads the form before the view does."""
    client = Client(enforce_csrf_checks=True)
    html = client.get(consultation.url).content.decode()
    data = {
        name: re.search(rf'name="{name}" value="([^"]+)"', html).group(1)
        for name in ("csrfmiddlewaretoken", "token")
    }
    data[required_question(consultation).field_name] = "More youth workers"
    response = client.post(consultation.url, data)  # multipart/form-data
    assert response.status_code == 302
    assert Response.objects.count() == 1


def test_an_about_you_option_saved_before_the_length_limit_still_never_fails(client, consultation):
    """Options over 100 characters are refused in settings now, but older ones may be stored."""
    area = (
        "Somerset West and Taunton, including the villages of the Quantock Hills, the Brendon "
        "Hills and Exmoor National Park"
    )
    options = AboutYouOptions.load()
    options.areas = area
    with pytest.raises(ValidationError):
        options.full_clean()
    options.save()  # as if saved before the limit
    where = next(q for q in consultation.ordered_questions() if q.about == "area")
    data = valid_body(consultation, **{where.field_name: area})
    response = client.post(consultation.url, urlencode(data), content_type=URLENCODED)
    assert response.status_code == 302
    assert Answer.objects.get(question=where).choices == [area]
