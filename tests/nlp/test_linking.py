"""The action linker: comments and themes scored against actions, "informs no action", and
learning from a council's confirmed links."""
import numpy as np

from nlp.linking import BACKGROUND_TOPICS, ActionLinker, action_segments

ACTIONS = [
    {"title": "Reliable lifts and clean communal areas",
     "description": "Replace the lifts at Kestrel House, fix broken door entry systems, and bring back "
                    "a regular cleaning and caretaking schedule.",
     "objective": "Repairs that are done right", "measures": "Lift availability (target: 98%).",
     "milestones": ["Kestrel House lifts replaced", "Cleaning schedules displayed in every block"]},
    {"title": "Find and fix damp and mould",
     "description": "Survey homes for damp and mould, inspect within 10 working days, fix the cause "
                    "(ventilation, gutters, roofs, windows) and lend dehumidifiers.",
     "objective": "Repairs that are done right", "measures": "Homes surveyed (target: 2,400).",
     "milestones": ["Extractor fans replaced"]},
    {"title": "Floodlit multi-use games area at Coldharbour Fields",
     "description": "Build a floodlit, fenced games area for football, basketball and netball.",
     "objective": "Places to go for young people", "measures": "Games area open.", "milestones": []},
]


def test_segments_keep_every_part_of_an_action():
    segments = action_segments(ACTIONS[2])
    assert segments[0] == ACTIONS[2]["title"]
    assert "basketball" in segments  # a one-word clause is kept
    assert action_segments("Plant trees") == ["Plant trees"]


def test_comments_find_their_action_and_off_plan_comments_score_low():
    linker = ActionLinker().fit(ACTIONS)
    comments = ["lifts!!!", "black mould in my sons bedroom", "a basketball court",
                "the lift smells and nobody mops the landings",
                "residents parking permits are too expensive", "council tax is too high", "fix the potholes"]
    S = linker.score_comments(comments)
    assert S.shape == (7, 3) and (S >= 0).all() and (S <= 1).all()
    assert list(S[:4].argmax(axis=1)) == [0, 1, 2, 0]
    assert S[:4].max(axis=1).min() > S[4:].max(axis=1).max()
    assert (S[4:] < linker.threshold).all()


def test_background_topics_the_plan_covers_are_dropped():
    parking = {"title": "Parking strategy", "description": "Cheaper parking permits and more parking spaces"}
    linker = ActionLinker().fit(ACTIONS + [parking])
    assert not any("parking permits" in t for t in linker.background_topics_)
    assert len(linker.background_topics_) < len(BACKGROUND_TOPICS)
    S = linker.score_comments(["residents parking permits are too expensive"])
    assert S.argmax() == 3 and S.max() >= linker.threshold


def test_themes_are_scored_from_label_keywords_and_comments():
    themes = [{"label": "Broken lifts", "keywords": ["lift", "broken", "stairs"],
               "examples": ["The lift in Kestrel House is broken again", "14 floors with a buggy and no lift"]},
              {"label": "Bus routes", "keywords": ["bus", "route"],
               "examples": ["the 42 bus is always late", "bring back the bus route through Millfield"]}]
    result = ActionLinker().fit(ACTIONS).suggest(themes)
    assert result[0]["covered"] and result[0]["suggestions"][0]["action"] == 0
    assert not result[1]["covered"] and len(result[1]["top"]) == 3


def test_confirmed_links_teach_the_words_residents_use():
    """A council's officers linked "the walls are wet" comments to the damp action before: a new
    comment in those words now scores higher for it than before."""
    comment = ["my flat is freezing and the walls are wet to touch"]
    before = ActionLinker().fit(ACTIONS).score_comments(comment)[0]
    confirmed = [({"label": "Wet walls", "keywords": ["wet", "walls", "cold"],
                   "examples": ["walls wet through every winter", "cold flat, wet walls, clothes smell"]}, 1)]
    after = ActionLinker().fit(ACTIONS, examples=confirmed).score_comments(comment)[0]
    assert after[1] > before[1] + 0.1 and after.argmax() == 1
    assert np.allclose(np.delete(after, 1), np.delete(before, 1), atol=0.05)
    # Examples naming an action that does not exist are ignored.
    assert ActionLinker().fit(ACTIONS, examples=[("anything", 7)]).n_examples_ == 0


def test_empty_inputs():
    linker = ActionLinker().fit(ACTIONS)
    assert linker.score_comments([]).shape == (0, 3)
    assert linker.score([]).shape == (0, 3)
    assert linker.score_comments(["", "!!!"]).shape == (2, 3)
    assert ActionLinker().fit([]).score_comments(["lifts"]).shape == (1, 0)
