"""``train_screen_check --with-lead-corrections``: the screen learns from what leads corrected."""

import json
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from consultations.analysis.learned_check import MODEL_NAME
from consultations.analysis.safeguarding import RULES_DIR
from consultations.models import Answer, Response
from consultations.safeguarding import services
from consultations.safeguarding.management.commands.train_screen_check import (
    lead_corrected_examples,
)

from .support import lead, make_concern

EXAMPLES = RULES_DIR / "examples" / "batch_a.csv"
CATEGORIES = ["abuse_neglect", "self_harm", "criminal_exploitation"]


@pytest.fixture
def corrected(consultation):
    """Concerns a lead corrected, and some they did not, keyed by what should become of them."""
    dsl = lead()
    made = {}

    made["recategorised"] = make_concern(
        consultation, text="the olders make me carry packages to other towns"
    )
    services.concern_categories_change(
        concern_id=made["recategorised"].pk,
        user=dsl,
        categories=["criminal_exploitation"],
        note="County lines, not home.",
    )

    made["false_alarm"] = make_concern(
        consultation, text="i nearly died laughing at that video", categories=["self_harm"]
    )
    services.concern_status_change(
        concern_id=made["false_alarm"].pk,
        user=dsl,
        to_status="no-further-action",
        false_alarm=True,
        note="A joke.",
    )

    made["raised"] = make_concern(
        consultation, text="i want to end it all tonight", categories=["self_harm"]
    )
    services.concern_severity_change(
        concern_id=made["raised"].pk, user=dsl, severity="urgent", note="Tonight."
    )

    made["purged"] = make_concern(consultation, text="my dad hit me with a belt")
    services.concern_severity_change(
        concern_id=made["purged"].pk, user=dsl, severity="urgent", note="A belt."
    )
    Answer.objects.filter(pk=made["purged"].answer_id).update(text="", redacted_text="")

    made["reopened"] = make_concern(consultation, text="my mum shouts sometimes")
    services.concern_status_change(
        concern_id=made["reopened"].pk,
        user=dsl,
        to_status="no-further-action",
        false_alarm=True,
        note="Ordinary.",
    )
    services.concern_status_change(
        concern_id=made["reopened"].pk,
        user=dsl,
        to_status="referred",
        referred_to="Early help",
        referred_on=date(2025, 3, 4),
        note="On second reading, not ordinary.",
    )

    made["closed_not_false_alarm"] = make_concern(consultation, text="he hits my mum")
    services.concern_status_change(
        concern_id=made["closed_not_false_alarm"].pk,
        user=dsl,
        to_status="no-further-action",
        note="Already known to social care.",
    )

    made["untouched"] = make_concern(consultation, text="i hate my step dad he hurts me")

    made["demo"] = make_concern(consultation, text="demo words about hurting")
    Response.objects.filter(pk=made["demo"].response_id).update(is_demo=True)
    services.concern_severity_change(
        concern_id=made["demo"].pk, user=dsl, severity="urgent", note="Demo."
    )
    return made


def test_lead_corrections_are_labelled_by_the_leads_final_word(corrected):
    rows, left_out = lead_corrected_examples(CATEGORIES)

    assert sorted(rows) == sorted(
        [
            ("the olders make me carry packages to other towns", "criminal_exploitation"),
            ("i nearly died laughing at that video", "none"),
            ("i want to end it all tonight", "self_harm"),
        ]
    )
    assert left_out == {"no words": 1, "demo": 1, "no category": 0}


def test_a_category_the_screen_does_not_know_is_left_out(corrected):
    rows, left_out = lead_corrected_examples(["self_harm"])

    assert ("the olders make me carry packages to other towns", "criminal_exploitation") not in [
        (text, label) for text, label in rows
    ]
    assert left_out["no category"] == 1


def test_the_command_learns_from_the_examples_and_the_corrections(corrected, tmp_path):
    output = tmp_path / MODEL_NAME
    out = StringIO()

    call_command(
        "train_screen_check",
        "--examples",
        str(EXAMPLES),
        "--output",
        str(output),
        "--with-lead-corrections",
        stdout=out,
    )

    from_examples = sum(1 for _ in EXAMPLES.open(encoding="utf-8")) - 1
    model = json.loads(output.read_text(encoding="utf-8"))
    assert model["examples"] == from_examples + 3
    assert (
        "3 of them from leads' corrections (2 disclosures, 1 false alarms; "
        "left out: 1 no words, 1 demo)"
    ) in out.getvalue()


def test_without_the_option_no_correction_is_used(corrected, tmp_path):
    output = tmp_path / MODEL_NAME

    call_command(
        "train_screen_check",
        "--examples",
        str(EXAMPLES),
        "--output",
        str(output),
        stdout=StringIO(),
    )

    from_examples = sum(1 for _ in EXAMPLES.open(encoding="utf-8")) - 1
    assert json.loads(output.read_text(encoding="utf-8"))["examples"] == from_examples


def test_corrections_are_never_written_over_the_shipped_check(db):
    shipped = (RULES_DIR / MODEL_NAME).read_bytes()

    with pytest.raises(CommandError, match="never over the shipped check"):
        call_command("train_screen_check", "--with-lead-corrections", stdout=StringIO())

    assert (RULES_DIR / MODEL_NAME).read_bytes() == shipped


def test_corrections_and_check_do_not_go_together(db, tmp_path):
    with pytest.raises(CommandError, match="cannot include lead corrections"):
        call_command(
            "train_screen_check",
            "--with-lead-corrections",
            "--check",
            "--output",
            str(tmp_path / MODEL_NAME),
            stdout=StringIO(),
        )
