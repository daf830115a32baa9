"""``load_demo`` gives the Plan consultation a codebook, people's codings and a finished run."""

from io import StringIO

import pytest
from django.core.management import call_command

from consultations.themes.models import Codebook, CodingRun, HumanCoding, RunStatus
from consultations.themes.services import theme_coding as coding
from youthforum.demo.coding import read_answer

pytestmark = pytest.mark.django_db


def test_demo_plan_is_coded_and_loading_again_adds_nothing():
    call_command("load_demo", stdout=StringIO())
    codebook = Codebook.objects.get(consultation__slug="children-and-young-peoples-plan")
    starter = Codebook.objects.get(is_starter=True)
    assert codebook.themes.count() == starter.themes.count() == 15
    run = coding.current_run(codebook)
    assert run.status == RunStatus.DONE and run.done == coding.codable_answers(codebook).count()
    assert HumanCoding.objects.filter(codebook=codebook, gold=True).exists()
    assert HumanCoding.objects.filter(codebook=codebook, gold=False).exists()
    codings, runs = HumanCoding.objects.count(), CodingRun.objects.count()

    call_command("load_demo", stdout=StringIO())

    assert HumanCoding.objects.count() == codings and CodingRun.objects.count() == runs
    # The Plan's, and the members' consultation's (youthforum/demo/commitments.py), each once.
    assert Codebook.objects.filter(consultation__isnull=False).count() == 2


def test_demo_facilitator_reads_answers_by_their_phrases():
    assert read_answer("Better street lights on the way home from the bus stop.") == {
        "Getting around"
    }
    assert read_answer("Less pressure about exams") == {"School and exams"}
    assert read_answer("Nothing at all") == set()
