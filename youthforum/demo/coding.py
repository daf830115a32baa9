"""Demo coding: the Plan consultation's codebook, some answers coded by "a facilitator", a run.

So that the coding, quality and themed summary screens have something to show after
``load_demo``:

- the Plan consultation gets a copy of the starter "youth voice" codebook;
- :data:`GOLD` answers, drawn at random with a fixed seed, are coded blind ("gold"), and the
  next :data:`TRAINING` answers are coded for the model to learn from. The demo's "facilitator"
  reads each answer for the phrases in :data:`READING` (the demo's answers are made from known
  phrases, so this is what a careful person would say about them);
- the answers are then coded by the machine (a ``CodingRun``, done here, not on a worker).

Safe to run again: an existing codebook, codings and current run are kept.
"""

from __future__ import annotations

from consultations.models import ConsultationPage
from consultations.themes.models import Codebook, HumanCoding
from consultations.themes.services import codebooks
from consultations.themes.services import theme_coding as coding

#: Answers coded blind for the quality check, and answers coded for the model to learn from.
GOLD = 30
TRAINING = 35
SEED = 20_210_325
CODEBOOK_NAME = "Children & Young People's Plan themes"
PLAN_SLUG = "children-and-young-peoples-plan"

#: What the demo's facilitator reads in an answer: a phrase, and the themes it raises.
READING: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("street lights", ("Getting around",)),
    ("bus", ("Getting around",)),
    ("underpass", ("Getting around",)),
    ("crossings", ("Getting around",)),
    ("walking home", ("Getting around",)),
    ("youth workers", ("Things to do and places to go",)),
    ("youth club", ("Things to do and places to go",)),
    ("skate park", ("Things to do and places to go",)),
    ("somewhere warm and safe", ("Things to do and places to go",)),
    ("drop-in", ("Things to do and places to go", "Mental health and well-being")),
    ("clubs and sport", ("Things to do and places to go", "Physical health", "Money")),
    ("online", ("Online safety",)),
    ("group chats", ("Online safety",)),
    ("horrible messages", ("Online safety", "Bullying")),
    ("unkind", ("Bullying", "Feeling safe at school")),
    ("teachers stepping in", ("Feeling safe at school",)),
    ("school staff", ("Feeling safe at school", "Mental health and well-being")),
    ("police officers", ("Being listened to",)),
    ("taken seriously", ("Being listened to",)),
    ("actually doing something", ("Being listened to",)),
    ("nobody seems to listen", ("Being listened to",)),
    ("adults who listen", ("Being listened to", "Mental health and well-being")),
    ("someone to talk to", ("Mental health and well-being",)),
    ("counsellor", ("Mental health and well-being",)),
    ("mental health", ("Mental health and well-being",)),
    ("quiet room", ("Mental health and well-being", "Feeling safe at school")),
    ("text service", ("Mental health and well-being",)),
    ("talk about it", ("Mental health and well-being",)),
    ("school nurse", ("Physical health",)),
    ("being outside", ("Physical health", "Mental health and well-being")),
    ("running", ("Physical health",)),
    ("sport", ("Physical health",)),
    ("sleep", ("Physical health",)),
    ("exams", ("School and exams",)),
    ("assignments", ("School and exams",)),
    ("catching up at school", ("School and exams", "Life after COVID")),
    ("behind on my work", ("School and exams", "Life after COVID")),
    ("new school", ("School and exams", "Life after COVID")),
    ("lockdown", ("Life after COVID",)),
    ("normal again", ("Life after COVID",)),
    ("got cancelled", ("Life after COVID",)),
    ("crowds", ("Life after COVID", "Mental health and well-being")),
    ("confidence", ("Mental health and well-being", "Life after COVID")),
    ("friendships changed", ("Life after COVID",)),
    ("costs more", ("Money",)),
    ("do not cost much", ("Money",)),
    ("turn 18", ("Jobs and the future", "Mental health and well-being")),
    ("phone", ("Online safety", "Mental health and well-being")),
    ("friends", ("Family and home",)),
)


def read_answer(text: str) -> set[str]:
    """The themes the demo's facilitator gives an answer."""
    lowered = text.lower()
    return {name for phrase, names in READING if phrase in lowered for name in names}


def demo_coding_build(consultations: dict[str, ConsultationPage]) -> Codebook | None:
    """Give the Plan consultation a codebook, human codings and a finished coding run."""
    consultation = consultations.get(PLAN_SLUG)
    if consultation is None:
        return None
    codebook = Codebook.objects.filter(consultation=consultation).first()
    if codebook is None:
        # A demo reset deletes the consultation, leaving its codebook without one: tidy it away.
        Codebook.objects.filter(
            name=CODEBOOK_NAME, consultation__isnull=True, is_starter=False
        ).delete()
        codebook = codebooks.copy_codebook(
            codebooks.starter_codebook(), name=CODEBOOK_NAME, consultation=consultation
        )
    themes = {t.name: t for t in codebook.themes.all()}

    def code(answer_ids, *, gold: bool) -> None:
        answers = coding.codable_answers(codebook).in_bulk(answer_ids)
        for pk in answer_ids:
            chosen = [
                themes[n] for n in sorted(read_answer(answers[pk].redacted_text)) if n in themes
            ]
            coding_row, _created = HumanCoding.objects.get_or_create(
                answer_id=pk, codebook=codebook, gold=gold
            )
            coding_row.themes.set(chosen)

    if not HumanCoding.objects.filter(codebook=codebook).exists():
        gold = coding.draw_gold_sample(codebook, GOLD, SEED)
        code(gold, gold=True)
        training = list(
            coding.codable_answers(codebook)
            .exclude(pk__in=gold)
            .order_by("pk")
            .values_list("pk", flat=True)[:TRAINING]
        )
        code(training, gold=False)
    if coding.current_run(codebook) is None:
        coding.recode(codebook)
    return codebook
