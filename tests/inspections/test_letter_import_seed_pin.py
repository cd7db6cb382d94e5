"""The Devon letter of 9 March 2022 gives exactly the JSON it gave before the importer learnt
other layouts (issue 24): the output of `import_letter --json`, byte for byte, is pinned in
tests/inspections/letters/devon_2022-03-09.expected.json, captured before any change."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

LETTERS = Path(__file__).parent / "letters"
PINNED = LETTERS / "devon_2022-03-09.expected.json"


@pytest.mark.parametrize("rendering", ["devon_2022-03-09_from_pdf.txt", "devon_2022-03-09_in_agenda.txt"])
def test_the_seed_letter_gives_exactly_the_pinned_json(rendering):
    out = StringIO()

    call_command("import_letter", str(LETTERS / rendering), json=True, stdout=out)

    assert out.getvalue() == PINNED.read_text(encoding="utf-8")
