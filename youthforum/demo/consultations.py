"""Demo consultations: the "Have your say" section, two consultations and generated answers.

- ``/consultations/`` ("Have your say"), with
- the **Children & Young People's Plan** consultation, open from a few weeks before the demo was
  first loaded until a couple of months after, with questions on the themes young people raised
  with the partnership's Executive in 2020–21 (feeling safe, mental health and well-being,
  school, getting around, life after the pandemic, what the partners should do first), in
  standard and easy read words (its "Easy read" switch), and about :data:`RESPONSE_COUNT`
  generated answers, like the 2,500 the real consultation heard;
- an earlier, closed consultation, **What does being a Youth Forum member mean to you?**,
  answered at a forum meeting (source "workshop"), with :data:`CLOSED_RESPONSE_COUNT` answers
  built from the words members used for the word cloud.

Every generated response is marked ``is_demo=True`` and goes in through
:func:`consultations.services.submit_responses`, the same rules as any other answer (validated,
screened, redacted, counted) in batches of 500 a transaction. They are made from phrase
templates with a fixed random seed, one seed per response, and their tokens are ``uuid5`` of the
consultation's slug and the response's number: a second ``load_demo`` finds every token already
there and creates nothing. The phrases are ordinary things young people ask for; none is a
disclosure, so the safeguarding screen has nothing to flag in the demo.

Each consultation also gets answers to the "what was taking part like?" step
(``TakingPartFeedback``), created directly with a plausible spread (:data:`TAKING_PART`): about a
third of the Plan's online answers, and for the members' consultation the forum's own show of
hands at the meeting, entered by a youth worker. They are made once per consultation, with the
same seed, so a second ``load_demo`` adds none.

Dates are set when a consultation is created and kept while it still has the status it was made
with; a demo loaded long ago and loaded again gets fresh dates, so the Plan is always open after
``load_demo``. The questions are created with the page and then left alone (a facilitator trying
the editor may change them); ``load_demo --reset`` rebuilds them.

``settings.YOUTHVOICE_DEMO_RESPONSES`` (if set) replaces :data:`RESPONSE_COUNT`; the test
settings make it small so that tests which load the demo stay fast.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.conf import settings
from django.utils import timezone
from wagtail.models import Page

from consultations.models import (
    AboutYou,
    AboutYouOptions,
    ConsultationIndexPage,
    ConsultationPage,
    ConsultationStatus,
    ImportBatch,
    Response,
    Source,
    TakingPartFeedback,
)
from consultations.services import OTHER, NewResponse, RawAnswer, submit_responses

from .answer_phrases import (
    AGE_WEIGHTS,
    AREA_WEIGHTS,
    FEELING_WEIGHTS,
    MEMBER_AGE_WEIGHTS,
    MEMBER_PROUD,
    MEMBER_WORDS,
    PANDEMIC,
    PRIORITY_WEIGHTS,
    SAFER,
    SAFER_EXTRAS,
    SAFER_TEMPLATES,
    SCHOOL_OTHER,
    SCHOOL_WEIGHTS,
    TRAVEL_OTHER,
    TRAVEL_WEIGHTS,
    WELLBEING,
    WELLBEING_TEMPLATES,
)
from .consultation_specs import (
    CONSULTATIONS,
    INDEX,
    MEMBERS,
    PLAN,
    PRIORITIES,
    SCHOOL_OPTIONS,
    TRAVEL_OPTIONS,
    ConsultationSpec,
)

#: Generated answers to the Plan consultation (the real one heard from over 2,500 young people).
RESPONSE_COUNT = 2_500
#: Answers to the closed "being a member" consultation: one forum meeting's worth.
CLOSED_RESPONSE_COUNT = 40
#: Seeds every generated response (response ``n`` uses ``SEED + n``), so the demo is the same
#: on every machine.
SEED = 20_210_325
#: Namespace of the demo responses' ``uuid5`` tokens.
TOKEN_NAMESPACE = uuid.UUID("6f1d3c55-8f7e-4b8e-9a53-2a1c0de5d3a1")

# --- Generating answers -------------------------------------------------------------------------


def _phone_typed(rng: random.Random, text: str) -> str:
    """Some people type in lower case and skip the full stop, as on a phone."""
    if rng.random() < 0.25:
        text = text.lower().rstrip(".")
    return text[0].upper() + text[1:] if text and rng.random() < 0.9 else text


def _fill(rng: random.Random, templates, phrases, extras=("",)) -> str:
    a, b = rng.sample(phrases, 2)
    text = rng.choice(templates).format(a=a, b=b, extra=rng.choice(extras)).strip()
    return _phone_typed(rng, text)


def _weighted(rng: random.Random, options: list[str], weights: dict[str, int]) -> str:
    return rng.choices(options, weights=[weights.get(o, 5) for o in options])[0]


def _ranked(rng: random.Random, options, weights, k: int) -> list[str]:
    """``k`` options in order, more popular ones more likely near the top."""
    pool, pool_weights, chosen = list(options), list(weights), []
    for _ in range(min(k, len(pool))):
        index = rng.choices(range(len(pool)), weights=pool_weights)[0]
        chosen.append(pool.pop(index))
        pool_weights.pop(index)
    return chosen


def plan_answers(
    rng: random.Random, *, age_bands: list[str], areas: list[str]
) -> tuple[dict[str, RawAnswer], str]:
    """One young person's answers to the Plan, by question key, and where they answered."""
    source = rng.choices([Source.ONLINE, Source.PAPER, Source.WORKSHOP], weights=(86, 9, 5))[0]
    answers = {"safer": RawAnswer.of(_fill(rng, SAFER_TEMPLATES, SAFER, SAFER_EXTRAS))}
    if rng.random() < 0.92:
        answers["feeling"] = RawAnswer.of(str(rng.choices(range(1, 6), FEELING_WEIGHTS)[0]))
    if rng.random() < 0.7:
        answers["wellbeing"] = RawAnswer.of(_fill(rng, WELLBEING_TEMPLATES, WELLBEING))
    if rng.random() < 0.9:
        if rng.random() < 0.05:
            answers["school"] = RawAnswer.of(OTHER, other=rng.choice(SCHOOL_OTHER))
        else:
            answers["school"] = RawAnswer.of(rng.choices(SCHOOL_OPTIONS, SCHOOL_WEIGHTS)[0])
    if rng.random() < 0.85:
        travel = _ranked(rng, TRAVEL_OPTIONS, TRAVEL_WEIGHTS, rng.choice((1, 1, 2, 2, 3)))
        if rng.random() < 0.04:
            answers["travel"] = RawAnswer.of(*travel, OTHER, other=rng.choice(TRAVEL_OTHER))
        else:
            answers["travel"] = RawAnswer.of(*travel)
    if rng.random() < 0.55:
        told = " ".join(rng.sample(PANDEMIC, rng.choice((1, 1, 2))))
        answers["pandemic"] = RawAnswer.of(_phone_typed(rng, told))
    if rng.random() < 0.88:
        count = rng.choices((1, 2, 3), weights=(10, 15, 75))[0]
        answers["priorities"] = RawAnswer.of(*_ranked(rng, PRIORITIES, PRIORITY_WEIGHTS, count))
    if rng.random() < 0.9:
        answers["age"] = RawAnswer.of(_weighted(rng, age_bands, AGE_WEIGHTS))
        answers["area"] = RawAnswer.of(_weighted(rng, areas, AREA_WEIGHTS))
    return answers, source


def member_answers(
    rng: random.Random, *, age_bands: list[str], areas: list[str]
) -> tuple[dict[str, RawAnswer], str]:
    """One member's answers to the closed "being a member" consultation, given at a meeting."""
    answers = {"means": RawAnswer.of(" and ".join(rng.sample(MEMBER_WORDS, rng.choice((1, 2)))))}
    if rng.random() < 0.6:
        answers["proud"] = RawAnswer.of(rng.choice(MEMBER_PROUD))
    answers["confidence"] = RawAnswer.of(str(rng.choices(range(1, 6), (1, 2, 8, 16, 13))[0]))
    answers["age"] = RawAnswer.of(_weighted(rng, age_bands, MEMBER_AGE_WEIGHTS))
    return answers, Source.WORKSHOP


GENERATORS: dict[str, Callable[..., tuple[dict[str, RawAnswer], str]]] = {
    PLAN.slug: plan_answers,
    MEMBERS.slug: member_answers,
}


def demo_token(slug: str, number: int) -> uuid.UUID:
    return uuid.uuid5(TOKEN_NAMESPACE, f"{slug}/{number}")


def _submitted_at(rng: random.Random, source: str, start: datetime, end: datetime) -> datetime:
    """A plausible time between ``start`` and ``end``: school hours for paper and workshops,
    mostly after school online."""
    days = max((end - start).days, 1)
    day = timezone.localtime(start).date() + timedelta(days=rng.randrange(days))
    if source == Source.ONLINE:
        hours = range(7, 23)
        weights = [4 if 16 <= hour < 22 else 1 for hour in hours]
    else:
        hours, weights = range(9, 15), None
    hour = rng.choices(hours, weights)[0]
    moment = timezone.make_aware(
        datetime.combine(day, time(hour, rng.randrange(60), rng.randrange(60))),
        timezone.get_default_timezone(),
    )
    return min(max(moment, start), end)


def demo_response_items(
    *, consultation: ConsultationPage, spec: ConsultationSpec, count: int
) -> tuple[list[NewResponse], int]:
    """The first ``count`` generated responses that do not exist yet, and how many do."""
    questions = list(consultation.ordered_questions())
    by_text = {question.text: question for question in questions}
    ids = {qs.key: by_text[qs.text].pk for qs in spec.questions if qs.text in by_text}
    existing = set(
        Response.objects.filter(page=consultation, is_demo=True).values_list("token", flat=True)
    )
    options = AboutYouOptions.load()
    age_bands, areas = options.options_for(AboutYou.AGE_BAND), options.options_for(AboutYou.AREA)
    now = timezone.now()
    end = min(now, consultation.closes_at) - timedelta(minutes=1)
    generate = GENERATORS[spec.slug]
    items = []
    for number in range(count):
        token = demo_token(spec.slug, number)
        if token in existing:
            continue
        rng = random.Random(SEED + number)  # noqa: S311 - repeatable demo data, not a secret
        answers, source = generate(rng, age_bands=age_bands, areas=areas)
        items.append(
            NewResponse(
                answers={ids[key]: raw for key, raw in answers.items() if key in ids},
                token=token,
                source=source,
                submitted_at=_submitted_at(rng, source, consultation.opens_at, end),
                is_demo=True,
            )
        )
    return items, len(existing)


def demo_responses_create(*, consultation: ConsultationPage, spec: ConsultationSpec, count: int):
    """Create the first ``count`` generated responses that do not exist yet; (created, total).

    Through the same rules as every answer (validated, screened, redacted, counted), in batches
    rather than a transaction each, so the demo loads in seconds (benchmarks/demo_load.py)."""
    items, existing = demo_response_items(consultation=consultation, spec=spec, count=count)
    submit_responses(consultation=consultation, items=items)
    return len(items), existing + len(items)


@dataclass(frozen=True)
class TakingPartSpread:
    """How a demo consultation's young people answered the "taking part" step: the share of
    its responses that answered, weights per answer ("" for a question left out), and the
    comments some wrote (ordinary words: nothing the safeguarding screen would hold)."""

    share: float
    weights: dict[str, dict[str, int]]
    comments: tuple[str, ...]
    comment_share: float = 0.08


TAKING_PART = {
    PLAN.slug: TakingPartSpread(
        share=0.35,
        weights={
            "understood": {"yes": 68, "a-bit": 22, "no": 6, "": 4},
            "listened": {"yes": 36, "a-bit": 24, "no": 14, "not-sure": 22, "": 4},
            "again": {"yes": 54, "maybe": 32, "no": 10, "": 4},
        },
        comments=(
            "It was quick and I could do it on my phone.",
            "Some of the words were hard to understand.",
            "I want to know what happens next.",
            "Please tell us what you changed because of this.",
            "More questions about school please.",
            "It was good that I did not have to give my name.",
        ),
    ),
    MEMBERS.slug: TakingPartSpread(
        share=0.6,
        weights={
            "understood": {"yes": 85, "a-bit": 15, "no": 0},
            "listened": {"yes": 55, "a-bit": 25, "no": 5, "not-sure": 15},
            "again": {"yes": 80, "maybe": 18, "no": 2},
        },
        comments=("Doing it together at the meeting was fun.",),
        comment_share=0.05,
    ),
}


def demo_taking_part_create(*, consultation: ConsultationPage, slug: str) -> int:
    """Answers to the "taking part" step for a demo consultation, once; how many were made.

    Created directly (not through the step's service): the words are fixed, ordinary ones, so
    the redacted text is the text. Days fall between opening and now (or closing).
    """
    spread = TAKING_PART.get(slug)
    if spread is None or TakingPartFeedback.objects.filter(consultation=consultation).exists():
        return 0
    responses = Response.objects.filter(page=consultation, is_demo=True)
    if slug == PLAN.slug:
        responses = responses.filter(source=Source.ONLINE)
    count = round(responses.count() * spread.share)
    rng = random.Random(SEED - 1)  # noqa: S311 - repeatable demo data, not a secret
    first = timezone.localtime(consultation.opens_at).date()
    last = timezone.localtime(min(timezone.now(), consultation.closes_at)).date()
    days = max((last - first).days, 0)
    rows = []
    for _number in range(count):
        answers = {
            name: _weighted(rng, list(weights), weights) for name, weights in spread.weights.items()
        }
        comment = rng.choice(spread.comments) if rng.random() < spread.comment_share else ""
        rows.append(
            TakingPartFeedback(
                consultation=consultation,
                given_on=first + timedelta(days=rng.randint(0, days)),
                anything_else=comment,
                anything_else_redacted=comment,
                commented=bool(comment),
                **answers,
            )
        )
    TakingPartFeedback.objects.bulk_create(rows)
    return len(rows)


def response_count() -> int:
    return getattr(settings, "YOUTHVOICE_DEMO_RESPONSES", RESPONSE_COUNT)


def _dates(spec: ConsultationSpec, existing: ConsultationPage | None) -> dict:
    """Keep an existing consultation's dates while its status is the one the demo wants."""
    if existing is not None and existing.status_at(timezone.now()) == spec.status:
        return {
            "opens_at": existing.opens_at,
            "closes_at": existing.closes_at,
            "results_published_at": existing.results_published_at,
        }
    today = timezone.localdate()
    tz = timezone.get_default_timezone()
    dates = {
        "opens_at": timezone.make_aware(
            datetime.combine(today + timedelta(days=spec.opens_in_days), time(9)), tz
        ),
        "closes_at": timezone.make_aware(
            datetime.combine(today + timedelta(days=spec.closes_in_days), time(17)), tz
        ),
    }
    if spec.status == ConsultationStatus.RESULTS_PUBLISHED:
        dates["results_published_at"] = dates["closes_at"] + timedelta(days=7)
    return dates


@dataclass
class DemoConsultationsResult:
    index: ConsultationIndexPage
    consultations: dict[str, ConsultationPage]
    responses_created: int = 0
    responses_total: int = 0


def demo_consultations_build(
    *, home: Page, page_upsert: Callable[..., Page]
) -> DemoConsultationsResult:
    """Create or update the consultations section and its demo answers.

    ``page_upsert(parent, model, slug, values)`` is the demo loader's page writer (it finds by
    slug, saves a revision and publishes only when something changed).
    """
    index = page_upsert(home, ConsultationIndexPage, INDEX["slug"], _without_slug(INDEX))
    result = DemoConsultationsResult(index=index, consultations={})
    counts = {PLAN.slug: response_count(), MEMBERS.slug: CLOSED_RESPONSE_COUNT}
    for spec in CONSULTATIONS:
        existing = ConsultationPage.objects.child_of(index).filter(slug=spec.slug).first()
        values = {**spec.values, **_dates(spec, existing)}
        if existing is None:
            values["questions"] = [qs.build(n) for n, qs in enumerate(spec.questions)]
        page = page_upsert(index, ConsultationPage, spec.slug, values)
        result.consultations[spec.slug] = page
        created, total = demo_responses_create(
            consultation=page, spec=spec, count=counts[spec.slug]
        )
        result.responses_created += created
        result.responses_total += total
        demo_taking_part_create(consultation=page, slug=spec.slug)
    return result


def demo_consultations_delete(*, home: Page) -> int:
    """Delete every response to consultations under ``home``, so the pages can be deleted.

    Responses (and import batches) protect their consultation from deletion, so that answers are
    never lost by deleting a page; the demo's reset removes them first, on purpose.
    """
    pages = ConsultationPage.objects.descendant_of(home)
    responses = Response.objects.filter(page__in=pages)
    count = responses.count()
    responses.delete()
    ImportBatch.objects.filter(page__in=pages).delete()
    return count


def _without_slug(spec: dict) -> dict:
    return {key: value for key, value in spec.items() if key != "slug"}
