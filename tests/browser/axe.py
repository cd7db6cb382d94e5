"""Accessibility checks with axe-core, for browser tests."""

from axe_playwright_python.sync_playwright import Axe

# WCAG 2.2 AA, as our accessibility statement claims: the A and AA rules of each version.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

_axe = Axe()


def axe_violations(page):
    options = {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]}
    return _axe.run(page, options=options).response["violations"]


def format_violations(violations):
    lines = []
    for violation in violations:
        lines.append(
            f"- {violation['id']} ({violation.get('impact') or 'unknown impact'}): "
            f"{violation['help']} <{violation.get('helpUrl', '')}>"
        )
        for node in violation["nodes"]:
            target = " ".join(str(part) for part in node["target"])
            summary = node.get("failureSummary", "").strip().replace("\n", "\n        ")
            lines.append(f"    at {target}: {summary}")
    return "\n".join(lines)


def assert_no_axe_violations(page):
    """Fail, listing every violation and where it is, if axe-core finds any on the page."""
    violations = axe_violations(page)
    assert not violations, (
        f"axe-core found {len(violations)} accessibility violation(s) on {page.url}:\n" + format_violations(violations)
    )
