"""Writes bench/data/redaction_set.csv: resident comments with planted personal data.

Run once (the CSV is committed): `.venv/bin/python bench/data/make_redaction_set.py`. Two halves
with different sentence templates and different people: "tune" (used while writing
nlp/redact.py) and "holdout" (looked at only to report). Every identifier is fictional: Ofcom's
drama phone ranges, example.* and common mail domains with made-up users, HMRC-format NI numbers
with unused prefixes, invented buildings. Columns: split, id, comment, identifiers (JSON list of
[start, end, kind]); clean comments have [].
"""
import csv
import json
import random
import re
from pathlib import Path

OUT = Path(__file__).with_name("redaction_set.csv")

PEOPLE = {
    "tune": ["Mary Smith", "Jane", "Mohammed Khan", "Priya Patel", "Mrs Okafor", "Dave", "Sarah Jenkins", "Tom Hughes",
             "Will Barker", "Rose", "Mr Kowalski", "Aisha", "Gary Lineker-Wright", "Bill", "Siobhan O'Neill",
             "Kwame Mensah", "Chloe", "Dr Evans", "Bartholomew Pike", "Oisin Brady", "Councillor Hart", "Fatima Begum",
             "Jack", "Grace Adeyemi", "Steve", "Linda Moss", "Harpreet Kaur", "Piotr Nowak", "May Robinson", "Kevin"],
    "holdout": ["John Taylor", "Emma", "Ahmed Hussain", "Sunita Sharma", "Mr Davies", "Sue", "Rebecca Lloyd",
                "Dan Murphy", "Mark Ellis", "Holly", "Mrs Zielinska", "Yusuf", "Paul Walker", "Frank",
                "Niamh McCarthy", "Chidi Okonkwo", "Amy", "Dr Shah", "Thandiwe Moyo", "Dervla Quinn", "Cllr Patterson",
                "Nasreen Akhtar", "Harry", "Joy Adebayo", "Pete", "Carol Hammond", "Jaswinder Gill", "Tomasz Wojcik",
                "Robin Fletcher", "Ian"],
}
EMAILS = {
    "tune": ["jane.doe@gmail.com", "jane dot doe at gmail dot com", "mkhan77@hotmail.co.uk", "p.patel (at) yahoo (dot) com",
             "sarahj at btinternet dot com", "tom_h@example.org", "rose.b [at] outlook [dot] com", "kmensah@live.co.uk"],
    "holdout": ["john.taylor@gmail.com", "john dot taylor at gmail dot com", "emma1984@yahoo.co.uk",
                "a.hussain (at) outlook (dot) com", "sue at talktalk dot net", "rlloyd@example.net",
                "dan.murphy [at] icloud [dot] com", "niamh_mc@hotmail.com"],
}
PHONES = {
    "tune": ["07700 900123", "07700900456", "+44 7700 900789", "0113 496 0000", "020 7946 0958",
             "oh seven seven double oh nine double oh one two three", "zero seven seven zero zero nine zero zero five five five"],
    "holdout": ["07700 900321", "07700-900-654", "+44 (0)20 7946 0123", "0161 496 0999", "01632 960 001",
                "oh seven seven oh oh nine oh oh eight seven six", "zero one one three four nine six double zero one five"],
}
POSTCODES = {"tune": ["LS6 2QE", "NB1 2AB", "M14 5RT", "sw1a 1aa"], "holdout": ["NB3 4DX", "B15 2TT", "ls2 9jt", "E1 6AN"]}
ADDRESSES = {
    "tune": ["12 Acacia Road", "42 Kestrel House", "Flat 7, Oak Court", "flat 3, 15 Mill Lane", "9 Linden Close",
             "27 Marlow Heights", "flat 12", "3 Mill Cottages", "118 Station Road", "Flat 2b, 4 High Street"],
    "holdout": ["14 Beech Avenue", "17 Heron Court", "Flat 4, Jubilee House", "flat 9, 22 Church Lane", "6 Orchard Way",
                "31 Falcon Tower", "flat 21", "5 Rectory Cottages", "64 Queens Road", "Apartment 3, Riverside Lodge"],
}
NI = {"tune": ["AB 12 34 56 C", "JG103759A", "ce 45 67 89 d", "PL-67-12-34-B"],
      "holdout": ["SK 98 76 54 A", "HR456123B", "nx 11 22 33 c", "TW 67 01 23 D"]}
DOBS = {"tune": ["12/03/1956", "3rd of June 1941", "04.07.62", "14 February 1979"],
        "holdout": ["21/11/1948", "9th May 1983", "30-01-1967", "1 March 1952"]}

TEMPLATES = {
    "tune": [
        "The bins on our street have been missed three weeks running. {name} next door has complained too.",
        "Please contact me on {phone} about the parking problem outside {address}.",
        "My email is {email} if you want to discuss the library hours.",
        "I live at {address}, {postcode}, and the damp has never been fixed.",
        "My neighbour {name} has been fly-tipping behind the garages for months.",
        "I am a pensioner born {dob} and I cannot walk to the new bus stop.",
        "Spoke to {name} at the housing office, who promised a repair by Friday. Nothing happened.",
        "My NI number is {ni} if you need to check my council tax reduction.",
        "Text me on {phone} or email {email}, I work nights.",
        "The lift at {address} has been broken since March and {name} on the fourth floor is housebound.",
        "Thanks to {name} for sorting out the streetlight so quickly!",
        "DOB {dob}. I was told I would get a blue badge assessment and never heard back.",
        "{name} from the residents association asked me to write in about the play area.",
        "Speeding on the road by {address} is terrible, someone will get killed.",
        "Please send the forms to {postcode}, I have no internet at home.",
        "Contact {email} for the petition, 300 of us signed it.",
        "My son {name} has autism and the school transport keeps changing.",
        "Ask {name} about the potholes, she reported them in January.",
        "Reference for my claim: {ni}. Still waiting after 6 weeks.",
        "I can be reached on {phone} weekday mornings.",
        "I am {name}, d.o.b. {dob}, NI {ni}, and I want my assessment reviewed.",
        "My birthday is {dob} so I qualify for the older persons bus pass surely?",
        "Please quote {ni} when you reply, my last letter went missing.",
    ],
    "holdout": [
        "Nobody has cut the grass by {address} since April, it is a jungle.",
        "You can ring me on {phone} or write to {email}.",
        "{name} and I run the lunch club and we need the hall on Tuesdays.",
        "The noise from the flat above {address} goes on until 3am every weekend.",
        "Date of birth {dob}, I am disabled and the ramp at the surgery is too steep.",
        "I was born on {dob} and have lived in this ward all my life.",
        "Please ask {name} to call me back, she said she would last week.",
        "National Insurance {ni}, my housing benefit was stopped without warning.",
        "My postcode is {postcode} and the broadband here is hopeless.",
        "Email {email} with any updates please.",
        "Our caretaker {name} does a brilliant job but cannot do everything alone.",
        "Mould in the bathroom at {address} is making my children ill.",
        "Councillor visits are rare. {name} came once in two years.",
        "Call {phone} after 6pm, I care for my mum during the day.",
        "I reported the burst pipe at {address} ({postcode}) twice.",
        "{name} told me the park toilets would reopen in the summer.",
        "Write to me at {email} rather than post.",
        "My husband {name} uses a wheelchair and the pavements are dangerous.",
        "The youth worker {name} made a real difference to my son.",
        "NI {ni} - why was my council tax support refused?",
        "Resident since birth ({dob}), my NI no is {ni}, still no reply from housing.",
        "I'm 80 next month, DOB: {dob}, and the stairs at the housing office are impossible.",
        "Benefits said to give you my national insurance number, {ni}.",
    ],
}
CLEAN = {
    "tune": [
        "The bins were missed again on Monday.", "Will the library be open on Sundays next year?",
        "In May the park flooded and nothing was done.", "We need more benches in Victoria Park.",
        "Council tax went up 5% but services got worse.", "The meeting on 12 March 2024 was very useful.",
        "Buses run every 20 minutes but are always late.", "Please fix the potholes on the main road.",
        "There are 300 cars a day on our street now.", "The Rose Garden needs weeding.",
        "I have lived in a flat for 12 years and never had a repair done on time.",
        "May I suggest longer opening hours at the tip?", "Grace period for parking fines is too short.",
        "The new cycle lane on Station Road is a waste of money.", "Mark my words, this will end badly.",
        "The 2019 plan promised 500 new homes.", "Open the leisure centre from 6am please.",
        "We waited 3 hours for the council to answer.", "Queen Elizabeth Hospital parking is a nightmare.",
        "Kids need somewhere to go after school.", "The April newsletter never arrived.",
        "Street lighting on Acacia Road is poor.", "St George's church hall should be used for the youth club.",
        "Fly tipping near the garages is getting worse.", "The Bill for garden waste collection is too high.",
        "A 20 mph limit would make our road safer.", "Two buses an hour is not enough.",
        "I hope the council listens this time.", "Recycling centre queues are 45 minutes at weekends.",
        "We need a pedestrian crossing by the primary school.", "Library staff are always friendly and helpful.",
        "The consultation in June 2023 changed nothing.", "More trees please, the estate is all concrete.",
        "Dog fouling on the playing fields is disgusting.", "I support the low traffic neighbourhood.",
        "Phone lines at the council close too early.", "Flat roofs on the estate leak every winter.",
        "Kingsley Park needs a new playground.", "The summer fair was brilliant, do it again.",
        "Why does it take 6 weeks to fix a streetlight?",
    ],
    "holdout": [
        "Potholes everywhere after the winter.", "Will there be more school places next September?",
        "Since March the recycling has been collected late.", "Jubilee Gardens are beautiful in spring.",
        "Parking permits cost 50 pounds more than last year.", "The drop-in session on 4 June 2024 was packed.",
        "A flat 5 minutes walk from the station costs a fortune.", "Please keep the libraries open.",
        "It took 2 hours to get through to housing.", "Holly bushes in the park block the path.",
        "May is the worst month for pollen near the meadow.", "Hope Street needs resurfacing.",
        "The Council Tax Bill arrived late again.", "I live in a 3 bedroom house with 7 people.",
        "The number 42 bus has been cut, which isolates older people.", "Frank discussion is needed about the budget.",
        "Our ward has 2 GP surgeries for 20,000 people.", "Why were the toilets in Victoria Park closed?",
        "The August bank holiday event was great.", "There is nowhere for teenagers to go.",
        "Street cleaning has improved this year, thank you.", "Lorries use our road as a rat run.",
        "The 2021 census showed the ward is growing.", "Please add a bench at the bus stop on Church Lane.",
        "Rents are too high for young people.", "Leisure centre prices should be lower for carers.",
        "I have waited 18 months for an adaptation.", "Robin Hood Way is dangerous for cyclists.",
        "Joy at the new skate park was obvious.", "The youth club closed in 2015 and was never replaced.",
        "Smell from the sewage works is awful in summer.", "A one way system would help our street.",
        "The new homes on the old depot site need a school.", "Allotment waiting lists are 5 years long.",
        "I think the plan is mostly good.", "Noise from the A road is constant.",
        "The heritage trail signs are faded.", "Cut the councillors' allowances first.",
        "Put a zebra crossing at the top of Mill Lane.", "Twenty is plenty on residential streets.",
    ],
}
POOLS = {"name": PEOPLE, "email": EMAILS, "phone": PHONES, "postcode": POSTCODES, "address": ADDRESSES,
         "ni": NI, "dob": DOBS}
KIND = {"ni": "ni_number"}


def fill(template, split, rng):
    out, spans, last = [], [], 0
    for m in re.finditer(r"\{(\w+)\}", template):
        out.append(template[last:m.start()])
        value = rng.choice(POOLS[m.group(1)][split])
        start = sum(len(p) for p in out)
        out.append(value)
        kind = KIND.get(m.group(1), m.group(1))
        end = start + len(value)
        if m.group(1) == "name":
            # A title stays in the output ("Mrs [name]"); only the name itself is the identifier.
            title = re.match(r"(?:Mrs|Mr|Dr|Councillor|Cllr)\s+", value)
            if title:
                start += title.end()
        spans.append([start, end, kind])
        last = m.end()
    out.append(template[last:])
    return "".join(out), spans


def main():
    rng = random.Random(2026)
    rows = []
    for split in ("tune", "holdout"):
        n = 0
        for rep in range(8):
            for template in TEMPLATES[split]:
                comment, spans = fill(template, split, rng)
                rows.append([split, f"{split}-{n}", comment, json.dumps(spans)])
                n += 1
        for comment in CLEAN[split]:
            rows.append([split, f"{split}-{n}", comment, "[]"])
            n += 1
    seen, unique = set(), []
    for row in rows:
        if row[2] not in seen:
            seen.add(row[2])
            unique.append(row)
    with OUT.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["split", "id", "comment", "identifiers"])
        writer.writerows(unique)
    planted = sum(len(json.loads(r[3])) for r in unique)
    print(f"{len(unique)} comments, {planted} planted identifiers -> {OUT}")


if __name__ == "__main__":
    main()
