"""Small hand-written consultation answers (not benchmark data) shared by the nlp tests."""

THEMES = {
    "parking": [
        "There is never enough parking near the high street shops",
        "Parking charges in the town centre car park are far too high",
        "Please build more parking spaces by the station car park",
        "I can never find a parking space near the doctors surgery",
        "The car park charges put people off visiting the town centre",
        "More free parking would help local shops survive",
        "Residents parking permits cost too much and spaces are rare",
        "Car park at the leisure centre is always full, need more parking",
    ],
    "bins": [
        "Bin collections are missed every other week on our street",
        "The recycling bins are not emptied often enough",
        "Bring back weekly bin collections, fortnightly is not enough",
        "Our recycling bin was not collected again this month",
        "Rubbish bins overflow in the summer and the recycling is left",
        "Missed bin collection three times, please sort out the rubbish collection",
        "Garden waste bin collection should be free and weekly",
        "Bins left out on the pavement after collection block the path",
    ],
    "buses": [
        "The bus service to the hospital is too infrequent",
        "Buses in the evening stop far too early for shift workers",
        "Bus fares have gone up and the buses are always late",
        "We need a bus route to the new housing estate",
        "Bus timetable is unreliable, buses never turn up on time",
        "Cheaper bus fares for young people would help",
        "The rural bus service was cut and villages are isolated",
        "More frequent buses into town on Sundays please",
    ],
    "library": [
        "Keep the library open, it is vital for children and older people",
        "Library opening hours should include Saturday afternoons",
        "The library needs more computers and better wifi",
        "Do not close our local library, it is a community hub",
        "Longer library opening hours in the evening would help students",
        "The children's library books are old, please buy new books",
        "Library staff are wonderful, protect library funding",
        "Reading groups at the library keep lonely people connected",
    ],
}

NON_ANSWERS = ["n/a", "Nothing.", "no comment", "See above", "agree", "None", "No",
               "don't know", "N/A", "nothing, thank you"]

CAMPAIGN = ("Save our library! The council must keep the central library open with full "
            "opening hours and staff for the whole community.")
CAMPAIGN_VARIANT = ("Save our library! The council must keep the central library open with full "
                    "opening hours and staff for the whole community please")


def build_corpus():
    texts, truth = [], []
    for name, items in THEMES.items():
        texts.extend(items)
        truth.extend([name] * len(items))
    for _ in range(5):
        texts.append(CAMPAIGN)
        truth.append("library")
    texts.append(CAMPAIGN_VARIANT)
    truth.append("library")
    for na in NON_ANSWERS:
        texts.append(na)
        truth.append(None)
    return texts, truth


