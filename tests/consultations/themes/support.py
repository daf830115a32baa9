"""A consultation with a small codebook and answers, for the coding tests.

Answers are made directly (not through ``submit_response``): these tests are about coding, and
need exact control over redacted text and the safeguarding hold.
"""

import uuid

from consultations.models import Answer, QuestionKind, Response
from consultations.themes.models import Codebook, Theme
from tests.factories import make_consultation

THEMES = {
    "Transport": ["bus", "buses", "train"],
    "Bullying": ["bullying", "bullied", "picked on"],
    "Youth clubs": ["youth club", "skate park"],
}

TEXTS = [
    "The buses stop running at six so I cannot get home",
    "More buses in the evening please",
    "The bus is too expensive for me",
    "I got bullied at school and nobody helped",
    "Stop the bullying in the corridors",
    "People picked on me for my clothes",
    "A youth club open at weekends",
    "Fix the skate park lights",
    "A youth club and a better bus service",
    "Nothing really, I am fine",
    "More trees in the town",
    "Cheaper food at lunch",
]


def make_codebook(consultation, themes=THEMES) -> Codebook:
    codebook = Codebook.objects.create(name="Test codebook", consultation=consultation)
    for order, (name, keywords) in enumerate(themes.items()):
        Theme.objects.create(
            codebook=codebook,
            name=name,
            keywords="\n".join(keywords),
            colour="#1d70b8",
            sort_order=order,
        )
    return codebook


def add_answer(
    consultation, text, *, held=False, raw=None, age_band="13 to 15", area="Mendip"
) -> Answer:
    question = next(q for q in consultation.ordered_questions() if q.kind == QuestionKind.LONG_TEXT)
    response = Response.objects.create(
        page=consultation, token=uuid.uuid4(), age_band=age_band, area=area
    )
    return Answer.objects.create(
        response=response,
        question=question,
        text=raw if raw is not None else text,
        redacted_text=text,
        held=held,
    )


def coded_consultation(home, texts=TEXTS, **kwargs):
    """(consultation, codebook, answers) with one answer per text."""
    consultation = make_consultation(home, **kwargs)
    codebook = make_codebook(consultation)
    answers = [add_answer(consultation, text) for text in texts]
    return consultation, codebook, answers


def theme(codebook, name) -> Theme:
    return codebook.themes.get(name=name)
