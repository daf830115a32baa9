"""Coding answers: runs, people's codings winning, retraining, what to code next, quality."""

import pytest
from django.core.exceptions import ValidationError
from django.test.utils import override_settings

from consultations.analysis.theme_coding import default_engine
from consultations.themes import tasks
from consultations.themes.models import CodingRun, HumanCoding, MachineCode, RunStatus
from consultations.themes.services import codebooks
from consultations.themes.services import theme_coding as coding
from tests.consultations.themes.support import (
    add_answer,
    coded_consultation,
    make_codebook,
    theme,
)
from tests.factories import UserFactory, make_consultation

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(home):
    return coded_consultation(home)


def names(codebook, codes: dict[int, float]) -> set[str]:
    lookup = dict(codebook.themes.values_list("pk", "name"))
    return {lookup[t] for t in codes}


# Runs --------------------------------------------------------------------------------------


def test_a_run_codes_every_released_answer_from_the_codebook_alone(setup):
    consultation, codebook, answers = setup
    held = add_answer(consultation, "The buses are awful", held=True)

    run = coding.recode(codebook)

    assert run.status == RunStatus.DONE and run.is_current
    assert run.total == run.done == len(answers)
    codes = coding.effective_codes(codebook)
    assert names(codebook, codes[answers[0].pk].themes) == {"Transport"}
    assert names(codebook, codes[answers[3].pk].themes) == {"Bullying"}
    assert "Youth clubs" in names(codebook, codes[answers[8].pk].themes)
    assert answers[9].pk not in codes or not codes[answers[9].pk].themes
    assert held.pk not in codes
    assert not MachineCode.objects.filter(answer=held).exists()


def test_a_run_reads_redacted_text_never_the_raw_text(home):
    consultation = make_consultation(home)
    codebook = make_codebook(consultation)
    answer = add_answer(consultation, "I like [name] a lot", raw="I hate the buses")

    coding.recode(codebook)

    assert not MachineCode.objects.filter(answer=answer).exists()


def test_people_s_codes_win_over_the_machine_s(setup):
    _consultation, codebook, answers = setup
    coding.recode(codebook)
    bus, nothing = answers[0], answers[1]

    coding.record_coding(bus, codebook, [theme(codebook, "Bullying")], None)
    coding.record_coding(nothing, codebook, [], None)  # "none of these"

    codes = coding.effective_codes(codebook)
    assert names(codebook, codes[bus.pk].themes) == {"Bullying"}
    assert codes[bus.pk].by_person and codes[bus.pk].themes == {theme(codebook, "Bullying").pk: 1.0}
    assert codes[nothing.pk].themes == {} and codes[nothing.pk].by_person
    # The machine's own codes are kept, under the run, for the quality check.
    assert MachineCode.objects.filter(
        answer=bus, theme=theme(codebook, "Transport"), run__is_current=True
    ).exists()


def test_people_s_codings_teach_the_next_run(setup):
    consultation, codebook, answers = setup
    trees = [add_answer(consultation, f"Plant more trees and flowers {i}") for i in range(4)]
    clubs = theme(codebook, "Youth clubs")
    for answer in trees[:3]:
        coding.record_coding(answer, codebook, [clubs], None)
    for answer in answers[:6]:
        coding.record_coding(answer, codebook, [], None)

    run = coding.recode(codebook)

    assert run.examples == 9
    assert MachineCode.objects.filter(run=run, answer=trees[3], theme=clubs).exists()


def test_failed_run_leaves_the_previous_codes_current_and_its_own_invisible(setup, monkeypatch):
    _consultation, codebook, answers = setup
    first = coding.recode(codebook)
    before = coding.effective_codes(codebook)
    monkeypatch.setattr(coding, "CHUNK_SIZE", 4)

    class BreaksOnSecondChunk:
        name = "breaks"

        def __init__(self):
            self.engine, self.calls = default_engine(), 0

        def fit(self, themes, examples):
            self.engine.fit(themes, examples)
            return self

        def scores(self, texts):
            self.calls += 1
            if self.calls == 2:
                raise RuntimeError("the disk is full")
            return self.engine.scores(texts)

        def assign(self, scores):
            return self.engine.assign(scores)

        def uncertainty(self, scores):
            return self.engine.uncertainty(scores)

    second = coding.start_run(codebook)
    with pytest.raises(RuntimeError):
        coding.run_coding(second.pk, engine_factory=BreaksOnSecondChunk)

    second.refresh_from_db()
    first.refresh_from_db()
    assert second.status == RunStatus.FAILED and not second.is_current
    assert "disk is full" in second.error
    assert first.is_current
    assert not MachineCode.objects.filter(run=second).exists()
    assert coding.effective_codes(codebook) == before


def test_killed_worker_leaves_its_codes_unseen_and_the_run_can_be_cleaned_or_redone(
    setup, monkeypatch
):
    _consultation, codebook, answers = setup
    first = coding.recode(codebook)
    before = coding.effective_codes(codebook)
    monkeypatch.setattr(coding, "CHUNK_SIZE", 4)

    def killed(run):
        raise SystemExit("worker killed")

    second = coding.start_run(codebook)
    with pytest.raises(SystemExit):
        coding.run_coding(second.pk, progress=killed)

    second.refresh_from_db()
    assert second.status == RunStatus.RUNNING and second.done == 4
    assert MachineCode.objects.filter(run=second).exists()  # written, but not shown
    assert coding.effective_codes(codebook) == before
    assert CodingRun.objects.get(pk=first.pk).is_current

    # Running it again starts over and finishes; running it a third time changes nothing.
    done = coding.run_coding(second.pk)
    assert done.status == RunStatus.DONE and done.is_current and done.done == len(answers)
    codes = MachineCode.objects.filter(run=second).count()
    assert coding.run_coding(second.pk).pk == second.pk
    assert MachineCode.objects.filter(run=second).count() == codes
    assert not CodingRun.objects.get(pk=first.pk).is_current


def test_stale_running_runs_are_cleaned(setup, monkeypatch):
    _consultation, codebook, _answers = setup
    monkeypatch.setattr(coding, "CHUNK_SIZE", 4)
    stale = coding.start_run(codebook)
    with pytest.raises(SystemExit):
        coding.run_coding(stale.pk, progress=lambda run: (_ for _ in ()).throw(SystemExit()))

    assert coding.clean_stale_runs(older_than=coding.STALE_AFTER) == 0
    assert coding.clean_stale_runs(older_than=coding.timedelta(0)) == 1

    stale.refresh_from_db()
    assert stale.status == RunStatus.FAILED
    assert not MachineCode.objects.filter(run=stale).exists()


def test_the_task_runs_a_started_run(setup):
    _consultation, codebook, answers = setup
    run = coding.start_run(codebook)

    result = tasks.run_coding_task.enqueue(run.pk)

    assert result.return_value["status"] == RunStatus.DONE
    assert result.return_value["answers"] == len(answers)
    assert coding.current_run(codebook).pk == run.pk


# People's codings and retraining -----------------------------------------------------------


def test_held_answers_and_other_codebooks_themes_are_refused(setup, home):
    consultation, codebook, _answers = setup
    held = add_answer(consultation, "Buses", held=True)
    other = make_codebook(make_consultation(home))

    with pytest.raises(ValidationError, match="held for safeguarding"):
        coding.record_coding(held, codebook, [], None)
    with pytest.raises(ValidationError, match="not in this codebook"):
        coding.record_coding(
            coding.codable_answers(codebook).first(), codebook, [theme(other, "Transport")], None
        )
    assert not HumanCoding.objects.exists()


def test_coding_again_replaces_the_earlier_coding(setup):
    _consultation, codebook, answers = setup
    coder = UserFactory()
    coding.record_coding(answers[0], codebook, [theme(codebook, "Bullying")], coder)
    coding.record_coding(answers[0], codebook, [theme(codebook, "Transport")], coder)

    assert HumanCoding.objects.filter(answer=answers[0], gold=False).count() == 1
    assert coding.human_codings(codebook)[answers[0].pk] == frozenset(
        {theme(codebook, "Transport").pk}
    )


def test_a_retrain_is_enqueued_after_every_25_codings(
    home, monkeypatch, django_capture_on_commit_callbacks
):
    consultation = make_consultation(home)
    codebook = make_codebook(consultation)
    answers = [add_answer(consultation, f"Answer number {i} about buses") for i in range(52)]
    enqueued = []

    class RecordingTask:
        def enqueue(self, run_id):
            enqueued.append(run_id)

    monkeypatch.setattr(tasks, "run_coding_task", RecordingTask())

    with django_capture_on_commit_callbacks(execute=True):
        for answer in answers[:24]:
            coding.record_coding(answer, codebook, [], None)
    assert enqueued == [] and not CodingRun.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        coding.record_coding(answers[24], codebook, [], None)
    run = CodingRun.objects.get()
    assert enqueued == [run.pk] and run.status == RunStatus.RUNNING

    with django_capture_on_commit_callbacks(execute=True):
        for answer in answers[25:49]:
            coding.record_coding(answer, codebook, [], None)
        coding.record_coding(answers[0], codebook, [], None)  # a correction counts too
    assert len(enqueued) == 2

    # Gold codings are kept out of training, so they never trigger one.
    with django_capture_on_commit_callbacks(execute=True):
        for answer in answers[:30]:
            coding.record_coding(answer, codebook, [], None, gold=True)
    assert len(enqueued) == 2


@override_settings(YOUTHVOICE_CODING_RETRAIN_EVERY=2)
def test_the_retrain_every_setting_is_used(setup, django_capture_on_commit_callbacks):
    _consultation, codebook, answers = setup
    with django_capture_on_commit_callbacks(execute=True):
        coding.record_coding(answers[0], codebook, [], None)
        coding.record_coding(answers[1], codebook, [], None)
    # The immediate backend ran it: the run is done and current.
    assert coding.current_run(codebook).examples == 2


# What to code next -------------------------------------------------------------------------


def test_next_answers_are_the_least_certain_first_and_never_held(setup):
    consultation, codebook, answers = setup
    run = coding.recode(codebook)
    engine = default_engine().fit(coding.theme_specs(codebook.themes.all()), [])
    texts = {a.pk: a.redacted_text for a in answers}
    expected = sorted(
        texts, key=lambda pk: (-engine.uncertainty(engine.scores([texts[pk]])[0]), pk)
    )
    assert [pk for pk, _u in run.queue] == expected

    assert [a.pk for a in coding.next_answers(codebook, len(answers))] == expected

    first, second = expected[0], expected[1]
    coding.record_coding(answers[[a.pk for a in answers].index(first)], codebook, [], None)
    type(answers[0]).objects.filter(pk=second).update(held=True)
    offered = [a.pk for a in coding.next_answers(codebook, len(answers))]
    assert offered == expected[2:]


def test_next_answers_ties_go_by_id_and_new_answers_come_last(setup):
    consultation, codebook, answers = setup

    class Unsure:
        name = "unsure"

        def fit(self, themes, examples):
            return self

        def scores(self, texts):
            return [{} for _ in texts]

        def assign(self, scores):
            return []

        def uncertainty(self, scores):
            return 0.5

    coding.run_coding(coding.start_run(codebook).pk, engine_factory=Unsure)
    late = add_answer(consultation, "Arrived after the run")

    offered = [a.pk for a in coding.next_answers(codebook, 100)]

    assert offered == sorted(a.pk for a in answers) + [late.pk]


def test_next_answers_without_any_run_go_by_id(setup):
    _consultation, codebook, answers = setup
    assert [a.pk for a in coding.next_answers(codebook, 3)] == [a.pk for a in answers[:3]]


# The quality check -------------------------------------------------------------------------


def test_gold_sample_is_deterministic_and_leaves_out_held_and_gold_coded(setup):
    consultation, codebook, answers = setup
    held = add_answer(consultation, "Held back", held=True)
    coding.record_coding(answers[0], codebook, [], None, gold=True)

    first = coding.draw_gold_sample(codebook, 5, seed=7)

    assert first == coding.draw_gold_sample(codebook, 5, seed=7)
    assert len(first) == 5 and len(set(first)) == 5
    assert held.pk not in first and answers[0].pk not in first
    draws = {tuple(coding.draw_gold_sample(codebook, 5, seed=s)) for s in range(10)}
    assert len(draws) > 1
    assert len(coding.draw_gold_sample(codebook, 100, seed=1)) == len(answers) - 1


def test_quality_compares_gold_codes_with_the_current_run(setup):
    """Hand-worked: four gold answers, machine codes written by hand.

    answer  gold                 machine
    0       Transport            Transport
    1       Transport, Bullying  Transport
    2       Bullying             Transport
    3       (none)               (none)

    Transport: tp 2, fp 1, fn 0 → precision 2/3, recall 1, F1 0.8.
    Bullying: tp 0, fp 0, fn 2 → precision –, recall 0, F1 0.
    Sample F1: (1 + 2·1/3 + 0 + 1) / 4 = (1 + 0.6667 + 0 + 1) / 4 = 0.6667.
    """
    _consultation, codebook, answers = setup
    transport, bullying = theme(codebook, "Transport"), theme(codebook, "Bullying")
    old = CodingRun.objects.create(codebook=codebook, status=RunStatus.DONE, is_current=False)
    MachineCode.objects.create(run=old, answer=answers[2], theme=bullying, score=0.9)
    run = CodingRun.objects.create(codebook=codebook, status=RunStatus.DONE, is_current=True)
    for answer in answers[:3]:
        MachineCode.objects.create(run=run, answer=answer, theme=transport, score=0.9)
    gold = {0: [transport], 1: [transport, bullying], 2: [bullying], 3: []}
    for index, themes in gold.items():
        coding.record_coding(answers[index], codebook, themes, None, gold=True)
    # A non-gold coding is not part of the check.
    coding.record_coding(answers[5], codebook, [bullying], None)

    report = coding.quality(codebook)

    assert report.answers == 4
    t, b = report.theme("Transport"), report.theme("Bullying")
    assert (t.tp, t.fp, t.fn) == (2, 1, 0)
    assert t.precision == pytest.approx(2 / 3) and t.recall == 1 and t.f1 == pytest.approx(0.8)
    assert (b.tp, b.fp, b.fn) == (0, 0, 2)
    assert b.precision is None and b.recall == 0 and b.f1 == 0
    assert report.sample_f1 == pytest.approx((1 + 2 / 3 + 0 + 1) / 4)


def test_quality_leaves_out_answers_held_since(setup):
    _consultation, codebook, answers = setup
    coding.record_coding(answers[0], codebook, [theme(codebook, "Transport")], None, gold=True)
    coding.record_coding(answers[1], codebook, [theme(codebook, "Transport")], None, gold=True)
    type(answers[0]).objects.filter(pk=answers[1].pk).update(held=True)

    assert coding.quality(codebook).answers == 1


# Discovery and codebooks -------------------------------------------------------------------


def test_adopting_a_suggestion_adds_a_theme_with_its_terms(setup):
    from consultations.analysis.discovery import SuggestedTheme

    _consultation, codebook, _answers = setup
    suggested = SuggestedTheme("Trees and food", ["tree", "food", "lunch"], [1, 2], 7)

    made = coding.adopt_suggestion(codebook, suggested)
    again = coding.adopt_suggestion(codebook, suggested)

    assert made.name == "Trees and food" and again.name == "Trees and food (2)"
    assert made.keywords.splitlines() == ["tree", "food", "lunch"]
    assert made.codebook == codebook


def test_starter_codebook_is_read_from_the_yaml_file():
    starter = codebooks.starter_codebook()
    assert starter.is_starter
    specs = codebooks.load_codebook_yaml(codebooks.STARTER_CODEBOOK)
    assert [t.name for t in starter.themes.order_by("sort_order")] == [s.name for s in specs]
