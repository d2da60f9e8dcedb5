import re

import audit.actions
from audit.actions import Action

TABLE_ROW = re.compile(r"^\| `(?P<code>[^`]+)` \|", re.MULTILINE)


def test_every_action_code_is_documented_once_in_the_table():
    documented = TABLE_ROW.findall(audit.actions.__doc__)

    assert sorted(documented) == sorted(Action.values), (
        "Keep the table in audit/actions.py in step with Action: "
        f"undocumented {sorted(set(Action.values) - set(documented))}, "
        f"unknown {sorted(set(documented) - set(Action.values))}"
    )


def test_action_codes_are_dotted_and_lower_case():
    malformed = [
        code for code in Action.values if not re.fullmatch(r"[a-z]+\.[a-z_]+", code)
    ]

    assert malformed == []
