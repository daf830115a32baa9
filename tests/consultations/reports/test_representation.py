"""The "who is missing" maths (consultations/reports/representation.py), on fixtures worked out
by hand. The threshold is 10 throughout; the "Who answered" table is built by ``suppress`` as
the report builds it (the groups in order, then "Prefer not to say" and "Not given")."""

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from consultations.analysis.suppression import SECONDARY, SMALL, SMALL_TOTAL, suppress
from consultations.reports.representation import NONE, UNDER, compare

YOUNGER, MIDDLE, OLDER, OLDEST = "11 to 12", "13 to 15", "16 to 18", "19 to 25"
PREFER, NOT_GIVEN = "Prefer not to say", "Not given"


def comparison(counts: dict[str, int], population: dict[str, int]):
    """``counts`` as the report's "Who answered" table has them, compared with ``population``."""
    table = suppress(list(counts.items()), threshold=10)
    return compare(
        key="age_band",
        title="Age band",
        counts=counts,
        table=table,
        population=population,
        threshold=10,
    )


def by_label(found):
    return {group.label: group for group in found.groups}


def test_rates_shares_and_ratios_worked_out_by_hand():
    # 1,000 and 3,000 young people; 10 and 90 answers, 12 "prefer not to say", none unstated.
    # Compared: 100 answers of 4,000 young people (25.0 per 1,000).
    # 11 to 12: 10 / 1,000 = 10.0 per 1,000; 10 / 100 = 10% of answers; 1,000 / 4,000 = 25% of
    #   young people; 0.10 / 0.25 = 0.4, under 0.5: under-represented.
    # 13 to 15: 90 / 3,000 = 30.0 per 1,000; 90%; 75%; 0.90 / 0.75 = 1.2.
    found = comparison(
        {YOUNGER: 10, MIDDLE: 90, PREFER: 12, NOT_GIVEN: 0}, {YOUNGER: 1000, MIDDLE: 3000}
    )
    younger, middle = by_label(found)[YOUNGER], by_label(found)[MIDDLE]

    assert (younger.count.value, younger.population) == (10, 1000)
    assert younger.rate == pytest.approx(10.0)
    assert younger.response_share == pytest.approx(0.10)
    assert younger.population_share == pytest.approx(0.25)
    assert younger.ratio == pytest.approx(0.4)
    assert younger.flag == UNDER
    assert middle.rate == pytest.approx(30.0)
    assert middle.response_share == pytest.approx(0.90)
    assert middle.population_share == pytest.approx(0.75)
    assert middle.ratio == pytest.approx(1.2)
    assert middle.flag == ""
    assert (found.compared.value, found.population) == (100, 4000)
    assert found.rate == pytest.approx(25.0)
    # "Prefer not to say" is left out of the shares, and counted apart.
    assert [(cell.label, cell.value) for cell in found.left_out] == [(PREFER, 12)]
    assert found.left_out_total.value == 12
    assert not found.shares_hidden


def test_a_group_with_no_answers_is_flagged_and_half_as_many_is_not():
    # 1,000, 3,000 and 1,000 young people (5,000); 20, 90 and 0 answers (110).
    # 11 to 12: 20 / 110 = 18.2% against 1,000 / 5,000 = 20%: ratio 0.909, not flagged.
    # 16 to 18: none at all: "no responses".
    found = comparison(
        {YOUNGER: 20, MIDDLE: 90, OLDER: 0, PREFER: 0, NOT_GIVEN: 0},
        {YOUNGER: 1000, MIDDLE: 3000, OLDER: 1000},
    )
    groups = by_label(found)

    assert groups[YOUNGER].ratio == pytest.approx(20 / 110 / 0.2)
    assert groups[YOUNGER].flag == ""
    assert groups[OLDER].flag == NONE
    assert groups[OLDER].rate == 0
    assert [g.label for g in found.none] == [OLDER]
    assert found.under == ()


def test_exactly_half_as_many_answers_as_expected_is_not_under_represented():
    # 1,000 and 1,000 young people; 25 and 75 answers: 25% of answers against 50%, ratio 0.5.
    found = comparison({YOUNGER: 25, MIDDLE: 75, NOT_GIVEN: 0}, {YOUNGER: 1000, MIDDLE: 1000})

    assert by_label(found)[YOUNGER].ratio == pytest.approx(0.5)
    assert by_label(found)[YOUNGER].flag == ""


def test_groups_without_a_figure_are_left_out_of_the_shares():
    # 19 to 25 has no population figure: its 30 answers are left out, with the 15 not given.
    found = comparison(
        {YOUNGER: 10, MIDDLE: 90, OLDEST: 30, PREFER: 0, NOT_GIVEN: 15},
        {YOUNGER: 1000, MIDDLE: 3000},
    )

    assert [g.label for g in found.groups] == [YOUNGER, MIDDLE]
    assert found.compared.value == 100
    assert by_label(found)[YOUNGER].response_share == pytest.approx(0.10)
    assert [(c.label, c.value) for c in found.left_out] == [(OLDEST, 30), (NOT_GIVEN, 15)]
    assert found.left_out_total.value == 45


def test_a_group_nobody_gave_is_compared_as_none():
    """A consultation's own age band that nobody chose is not in the table: it counts 0."""
    found = comparison({MIDDLE: 90, NOT_GIVEN: 0}, {YOUNGER: 1000, MIDDLE: 3000})

    assert by_label(found)[YOUNGER].count.display == "0"
    assert by_label(found)[YOUNGER].flag == NONE


def test_a_small_count_hides_its_rate_shares_and_ratio_and_the_shares_that_would_give_it_away():
    # 4 answers from 11 to 12: "fewer than 10". "Who answered" also hides "Prefer not to say"
    # (12, the smallest count shown) so that the 4 cannot be had from the total of 106.
    # Publishing the answers compared (94) would give the 4 back (94 - 90): every share and
    # ratio of the breakdown is hidden, and so are the answers compared and those left out.
    found = comparison(
        {YOUNGER: 4, MIDDLE: 90, PREFER: 12, NOT_GIVEN: 0}, {YOUNGER: 1000, MIDDLE: 3000}
    )
    younger, middle = by_label(found)[YOUNGER], by_label(found)[MIDDLE]

    assert younger.count.display == "fewer than 10"
    assert younger.count.value is None
    assert (younger.rate, younger.response_share, younger.ratio) == (None, None, None)
    assert younger.flag == ""
    assert found.shares_hidden
    assert (middle.response_share, middle.ratio) == (None, None)
    assert middle.rate == pytest.approx(30.0)  # 90 / 3,000: needs no hidden number
    assert found.compared.display == "hidden"
    assert found.left_out_total.display == "hidden"
    assert [(c.label, c.display) for c in found.left_out] == [(PREFER, "hidden")]
    # Nothing the comparison shows is the hidden 4, or the 94 or 16 it could be worked out from.
    shown = [found.compared.value, found.left_out_total.value, found.rate]
    shown += [v for g in found.groups for v in (g.count.value, g.rate)]
    assert not {4, 94, 16} & {v for v in shown if v is not None}


def test_two_small_counts_keep_the_shares_and_a_hidden_group_is_flagged_only_when_sure():
    # 4 answers from 11 to 12 and 3 from 13 to 15, both "fewer than 10"; 90 from 16 to 18;
    # 12 "prefer not to say". The 7 hidden answers cannot be split, so the answers compared
    # (97) may be published and the shares stay.
    # Young people 1,000, 2,000 and 3,000 (6,000). 16 to 18: 90 / 97 = 92.8% of answers
    # against 50%: ratio 1.856. 11 to 12: even with 9 answers, 9 / 97 against 1 / 6 is
    # 0.557: not flagged. 13 to 15: 9 / 97 against 1 / 3 is 0.278: under-represented whatever
    # its number.
    found = comparison(
        {YOUNGER: 4, MIDDLE: 3, OLDER: 90, PREFER: 12, NOT_GIVEN: 0},
        {YOUNGER: 1000, MIDDLE: 2000, OLDER: 3000},
    )
    groups = by_label(found)

    assert not found.shares_hidden
    assert found.compared.value == 97
    assert groups[OLDER].response_share == pytest.approx(90 / 97)
    assert groups[OLDER].ratio == pytest.approx(90 / 97 / 0.5)
    assert groups[YOUNGER].flag == ""
    assert groups[MIDDLE].flag == UNDER
    assert groups[MIDDLE].count.display == "fewer than 10"
    assert (groups[MIDDLE].rate, groups[MIDDLE].response_share) == (None, None)


def test_a_small_number_left_out_is_worded_fewer_than_ten():
    # 5 "prefer not to say" and 6 not given, both hidden; the groups compared are all shown,
    # so the 11 left out in all can be worked out (111 - 100) and is shown.
    found = comparison(
        {YOUNGER: 10, MIDDLE: 90, PREFER: 5, NOT_GIVEN: 6}, {YOUNGER: 1000, MIDDLE: 3000}
    )

    assert not found.shares_hidden
    assert found.left_out_total.value == 11
    assert [c.display for c in found.left_out] == ["fewer than 10", "fewer than 10"]

    found = comparison(
        {YOUNGER: 10, MIDDLE: 90, PREFER: 3, NOT_GIVEN: 4}, {YOUNGER: 1000, MIDDLE: 3000}
    )
    assert found.left_out_total.display == "fewer than 10"
    assert found.left_out_total.value is None


# Nothing hidden can be worked out: checked by trying every count a reader could not rule out ----

THRESHOLD = 10
CAP = 60  # counts up to this in the property test


def _possible(cell, total) -> range | list[int]:
    """The counts a reader allows a hidden cell (a secondary one was shown before: 0 or 10+)."""
    if cell.reason == SMALL:
        return range(1, THRESHOLD)
    if cell.reason == SMALL_TOTAL:
        return range(THRESHOLD)
    return [0, *range(THRESHOLD, (total if total is not None else CAP) + 1)]


def _values_left(table, groups, constraints) -> dict[str, set[int]]:
    """For each hidden cell of ``table``, the counts consistent with every shown number and with
    ``constraints`` ((labels, sum) pairs a reader knows)."""
    total = table.total.value
    shown = {c.label: c.value for c in table if not c.suppressed}
    hidden = [c for c in table if c.suppressed]
    left = {c.label: set() for c in hidden}

    def walk(i, chosen):
        if i == len(hidden):
            counts = {**shown, **chosen}
            if total is not None and sum(counts.values()) != total:
                return
            for labels, value in constraints:
                if sum(counts[label] for label in labels) != value:
                    return
            for label, value in chosen.items():
                left[label].add(value)
            return
        for value in _possible(hidden[i], total):
            if total is not None and sum(chosen.values()) + value > total:
                break
            walk(i + 1, {**chosen, hidden[i].label: value})

    walk(0, {})
    return left


counts_strategy = st.lists(
    st.one_of(st.integers(0, 12), st.integers(0, 30)), min_size=5, max_size=5
)


@settings(max_examples=200, deadline=None)
@given(counts=counts_strategy, compared_groups=st.integers(1, 3))
def test_the_comparison_never_gives_a_hidden_small_count_away(counts, compared_groups):
    labels = [YOUNGER, MIDDLE, OLDER, PREFER, NOT_GIVEN]
    exact = dict(zip(labels, counts, strict=True))
    assume(sum(counts) >= THRESHOLD)
    table = suppress(list(exact.items()), threshold=THRESHOLD)
    population = {label: 1000 * (n + 1) for n, label in enumerate(labels[:compared_groups])}
    found = compare(
        key="age_band",
        title="Age band",
        counts=exact,
        table=table,
        population=population,
        threshold=THRESHOLD,
    )
    before = _values_left(table, found.groups, [])
    # Only what the comparison adds is tested here: "Who answered" alone must hide each count.
    assume(all(len(before[c.label]) > 1 for c in table if c.reason == SMALL))

    # What the comparison lets a reader know on top: the answers compared (given by any share
    # when shares are shown), and the number left out when it is shown.
    compared_labels = [g.label for g in found.groups]
    left_labels = [label for label in labels if label not in compared_labels]
    known = []
    if not found.shares_hidden:
        known.append((compared_labels, sum(exact[label] for label in compared_labels)))
    if found.left_out_total.reason != SECONDARY:
        known.append((left_labels, sum(exact[label] for label in left_labels)))
    after = _values_left(table, found.groups, known)

    for cell in table:
        if cell.reason == SMALL:
            assert len(after[cell.label]) > 1, (exact, cell.label, after[cell.label])
    for group in found.groups:
        if group.count.suppressed:
            assert (group.rate, group.response_share, group.ratio) == (None, None, None)
