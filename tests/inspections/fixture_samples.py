"""Small fixtures for the loading tests, built as Python data and written to files."""

import json

AUTHORITY = {
    "model": "inspections.authority",
    "fields": {"short_name": "Testshire", "name": "Testshire County Council"},
}
INSPECTION_KEY = ["Testshire", "monitoring_visit", "2024-05-01"]
INSPECTION = {
    "model": "inspections.inspection",
    "fields": {
        "authority": ["Testshire"],
        "kind": "monitoring_visit",
        "title": "Monitoring visit to Testshire children's services",
        "visit_start": "2024-05-01",
        "visit_end": "2024-05-02",
        "letter_date": "2024-05-20",
    },
}
PLAN = {
    "model": "improvement.improvementplan",
    "fields": {"reference": "testshire-plan", "title": "Testshire improvement plan", "authority": ["Testshire"]},
}
PRIORITY = {
    "model": "improvement.priority",
    "fields": {"plan": ["testshire-plan"], "reference": "voice", "title": "Voice of the child"},
}
PROGRESS_UPDATE = {
    "model": "improvement.progressupdate",
    "fields": {
        "key": "testshire-voice-2024-05",
        "priority": ["testshire-plan", "voice"],
        "date": "2024-05-20",
        "rating": "green",
        "commentary": "Rated Green.",
    },
}


def plan_records():
    return [AUTHORITY, PLAN, PRIORITY]


def finding(number, text, **fields):
    return {
        "model": "inspections.finding",
        "fields": {"inspection": INSPECTION_KEY, "kind": "finding", "number": number, "text": text, **fields},
    }


def valid_records():
    return [
        AUTHORITY,
        INSPECTION,
        finding(1, "Managers' oversight is inconsistent.", themes=[["leadership-and-oversight"]]),
        finding(2, "Children are seen quickly."),
    ]


def write(path, records):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(records), encoding="utf-8")
    return path
