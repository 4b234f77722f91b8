"""How error messages name a question."""


def quoted(question, limit=70):
    """The question's wording in quotes, cut at a word near ``limit`` characters, so every error
    message says which question it means (GOV.UK: "Select how often you use the park"), the same
    beside the field and in the error summary."""
    text = " ".join(question.text.split())
    if len(text) > limit:
        text = text[:limit].rsplit(" ", 1)[0].rstrip(",;:–-") + "…"
    return f"“{text}”"
