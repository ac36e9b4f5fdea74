"""The scorer on hand-made cases whose scores are known."""

from __future__ import annotations

import pytest
from bench.corpus.report import markdown, summarize
from bench.corpus.score import failed_pair, score_pair
from bench.corpus.truth import Edit, Hunk, Output, Side, Truth, from_hunks, from_picture_rows


def side(box, allowed=None, slide=(0, 0), core=None):
    return Side(box, (core or box,), allowed or box, slide)


def truth(*edits, height_a=200, height_b=200):
    return Truth("p", "f", height_a, height_b, 100, 100, tuple(edits))


REMOVED = Edit("removed", "x", side((10, 20), allowed=(8, 22)), None)
ADDED = Edit("added", "y", None, side((150, 160)))


def test_perfect_answer_scores_one_and_exact():
    score = score_pair(truth(REMOVED), from_hunks([Hunk((10, 20), (10, 10))]))
    assert (score.precision, score.recall, score.f1) == (1.0, 1.0, 1.0)
    assert score.hunk_classes == ("exact",)
    assert score.false_hunks == 0


def test_known_precision_recall_f1_and_a_false_hunk():
    # 15 rows flagged, 5 of them inside the edit: P = 1/3; 5 of 10 core rows: R = 1/2.
    output = from_hunks([Hunk((10, 15), None), Hunk((30, 40), None)])
    score = score_pair(truth(REMOVED), output)
    assert score.precision == pytest.approx(1 / 3)
    assert score.recall == pytest.approx(1 / 2)
    assert score.f1 == pytest.approx(0.4)
    assert score.hunk_classes == ("exact",)
    assert score.false_hunks == 1


def test_rows_in_the_allowed_margin_are_no_false_positives_but_no_recall_either():
    score = score_pair(truth(REMOVED), from_hunks([Hunk((8, 22), None)]))
    assert score.precision == 1.0
    assert score.recall == 1.0
    score = score_pair(truth(REMOVED), from_hunks([Hunk((8, 10), None)]))
    assert score.precision == 1.0
    assert score.recall == 0.0
    assert score.f1 == 0.0


def test_rows_of_both_images_count():
    # A: 10 core rows all found; B: 10 core rows, found 5, plus 5 rows outside.
    output = from_hunks([Hunk((10, 20), None), Hunk(None, (145, 155))])
    score = score_pair(truth(REMOVED, ADDED), output)
    assert score.precision == pytest.approx(15 / 20)
    assert score.recall == pytest.approx(15 / 20)
    assert score.hunk_classes == ("exact", "exact")


def test_split_edit():
    score = score_pair(truth(REMOVED), from_hunks([Hunk((10, 14), None), Hunk((16, 20), None)]))
    assert score.hunk_classes == ("split",)
    assert score.recall == pytest.approx(8 / 10)


def test_one_hunk_over_two_edits_merges_both():
    near = Edit("removed", "z", side((30, 40)), None)
    score = score_pair(truth(REMOVED, near), from_hunks([Hunk((10, 40), None)]))
    assert score.hunk_classes == ("merged", "merged")
    assert score.precision == pytest.approx((12 + 10) / 30)


def test_a_hunk_mostly_outside_its_edit_is_merged_with_unchanged_rows():
    score = score_pair(truth(REMOVED), from_picture_rows(((10, 200),), 200, 200))
    assert score.hunk_classes == ("merged",)
    assert score.recall == 1.0
    assert score.precision == pytest.approx(12 / 380)  # rows 10..200 of A and of B


def test_missed_edit_and_empty_answer():
    score = score_pair(truth(REMOVED), from_hunks([]))
    assert score.hunk_classes == ("missed",)
    assert (score.precision, score.recall, score.f1) == (0.0, 0.0, 0.0)


def test_changed_edit_is_exact_with_one_hunk_on_each_side():
    changed = Edit("changed", "h", side((50, 60)), side((40, 50)))
    score = score_pair(truth(changed), from_hunks([Hunk((50, 60), (40, 50))]))
    assert score.hunk_classes == ("exact",)
    assert score.f1 == 1.0
    score = score_pair(truth(changed), from_hunks([Hunk((50, 60), (40, 45)),
                                                  Hunk(None, (45, 50))]))
    assert score.hunk_classes == ("split",)


def test_an_ambiguous_insertion_is_credited_at_its_best_slide():
    # One of several identical cards: found 15 rows higher than the truth says.
    card = Edit("added", "c", None, side((100, 110), allowed=(80, 110), slide=(-20, 0)))
    score = score_pair(truth(card), from_hunks([Hunk(None, (85, 95))]))
    assert score.recall == 1.0
    assert score.precision == 1.0
    score = score_pair(truth(card), from_hunks([Hunk(None, (60, 70))]))
    assert score.recall == 0.0
    assert score.hunk_classes == ("missed",)


def test_noise_pairs_count_false_alarms_only():
    quiet = score_pair(truth(), from_hunks([]))
    loud = score_pair(truth(), from_picture_rows(((5, 7),), 200, 200))
    assert quiet.false_alarm is False
    assert loud.false_alarm is True
    assert loud.f1 is None
    assert loud.false_hunks == 1
    assert failed_pair(truth()).false_alarm is None


def test_picture_rows_stand_for_both_images_clipped_to_each_height():
    output = from_picture_rows(((5, 7), (90, 120)), 100, 110)
    assert output.rows_a == ((5, 7), (90, 100))
    assert output.rows_b == ((5, 7), (90, 110))
    assert output.hunks[1] == Hunk((90, 100), (90, 110))
    assert from_picture_rows(((105, 120),), 100, 110).hunks[0].a is None


def test_summary_averages_pairs_and_counts_failures_and_false_alarms():
    edited = truth(REMOVED)
    records = [
        {"pair": "a", "family": "removed", "tool": "t", "status": "ok", "seconds": 1.0,
         "peak_mb": 50.0, "score": score_pair(edited, from_hunks([Hunk((10, 20), None)]))},
        {"pair": "b", "family": "removed", "tool": "t", "status": "failed", "seconds": 3.0,
         "peak_mb": 70.0, "score": failed_pair(edited)},
        {"pair": "c", "family": "noise", "tool": "t", "status": "ok", "seconds": 2.0,
         "peak_mb": 60.0, "score": score_pair(truth(), Output(((1, 2),), (), ()))},
    ]
    for record in records:
        record["score"] = record["score"].to_dict()
    summary = summarize(records)["t"]
    assert summary["f1"] == pytest.approx(0.5)
    assert summary["failed"] == 1
    assert summary["false_alarms"] == 1
    assert summary["hunks"] == {"exact": 1, "split": 0, "merged": 0, "missed": 1}
    assert summary["median_seconds"] == 2.0
    assert summary["peak_mb"] == 70.0
    assert summary["by_family"] == {"removed": 0.5, "noise": 0.0}
    assert "| t | 0.50 | 0.50 | **0.50** | 1 / 0 / 0 / 1 |" in markdown(summarize(records))
