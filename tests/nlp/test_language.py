"""Comments not in English are recognised offline and kept out of the English themes."""
from nlp import LanguageFilter, ThemeFinder, detect_language


def test_welsh_polish_and_romanian_are_named():
    assert detect_language("Mae angen mwy o finiau ar y stryd fawr") == "cy"
    assert detect_language("Potrzebujemy więcej koszy na śmieci w parku") == "pl"
    assert detect_language("Autobuzele nu vin niciodată la timp") == "ro"


def test_english_even_short_or_odd_is_never_flagged():
    for text in ["Why did my payment get declined?", "I felt looked after.", "Prescription bit quicker.",
                 "Hollybush play area closing is terrible", "Bins bins bins overflowing everywhere",
                 "Dr Pierzchniak very good.", "Parc", "", None]:
        assert detect_language(text) is None, text


def test_the_finder_sets_other_languages_aside():
    texts = ["The bins are overflowing", "Empty the bins more often", "More bins in the park please",
             "Street lights are broken", "Fix the street lights on the canal path", "It is too dark at night",
             "Mae angen mwy o finiau ar y stryd fawr", "n/a"]
    finder = ThemeFinder(n_themes=2, random_state=0).fit(texts)
    assert finder.other_languages_ == {6: "cy"}
    assert finder.assignments_[6] is None and finder.non_answers_ == [7]
    kept = ThemeFinder(n_themes=2, random_state=0, languages=False).fit(texts)
    assert kept.other_languages_ == {} and kept.assignments_[6] is not None


def test_filter_follows_scikit_learn_conventions():
    f = LanguageFilter(min_probability=0.95)
    assert f.min_probability == 0.95 and not hasattr(f, "languages_")
    assert f.fit(["hello there friend", "Lampy uliczne nie działają"]).languages_ == {1: "pl"}
