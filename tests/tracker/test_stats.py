"""The Wilson score interval against published values, and small-number suppression."""
import pytest

from app.tracker.stats import estimate, wilson_interval


@pytest.mark.parametrize("successes, n, low, high", [
    # Newcombe (1998), "Two-sided confidence intervals for the single proportion", Statistics in
    # Medicine 17:857-872, table I, method 3 (score interval without continuity correction).
    (81, 263, 0.2553, 0.3662),
    (15, 148, 0.0624, 0.1605),
    (0, 20, 0.0, 0.1611),
    (1, 29, 0.0061, 0.1718),
    (29, 29, 0.8830, 1.0),
    (0, 10, 0.0, 0.2775),
])
def test_wilson_interval_matches_published_values(successes, n, low, high):
    got_low, got_high = wilson_interval(successes, n)
    assert got_low == pytest.approx(low, abs=5e-5)
    assert got_high == pytest.approx(high, abs=5e-5)


def test_interval_is_symmetric_and_narrows_with_more_answers():
    low, high = wilson_interval(50, 100)
    assert low + high == pytest.approx(1.0)
    wide, narrow = wilson_interval(5, 10), wilson_interval(500, 1000)
    assert (wide[1] - wide[0]) > (narrow[1] - narrow[0]) * 5


@pytest.mark.parametrize("successes, n", [(1, 0), (-1, 10), (11, 10)])
def test_impossible_counts_are_refused(successes, n):
    with pytest.raises(ValueError):
        wilson_interval(successes, n)


def test_estimate_suppresses_bases_under_the_threshold():
    assert estimate(3, 9, 10).suppressed and estimate(3, 9, 10).percent is None
    assert estimate(3, 9, 10).base is None and estimate(3, 9, 10).agree is None
    shown = estimate(3, 10, 10)
    assert not shown.suppressed and shown.percent == pytest.approx(30.0) and shown.base == 10
    assert shown.low == pytest.approx(100 * wilson_interval(3, 10)[0])
    assert estimate(0, 0, 10).empty and not estimate(0, 0, 10).suppressed
