"""The managed list of themes that findings, priorities and measures are tagged with.

Created by a data migration; administrators may add more in the admin.
"""

THEMES = [
    ("mash-and-front-door", "MASH and front door"),
    ("thresholds-and-decision-making", "Thresholds and decision-making"),
    ("assessment-and-professional-curiosity", "Assessment and professional curiosity"),
    ("child-protection", "Child protection"),
    ("child-protection-chairs", "Child protection chairs"),
    ("child-protection-medicals", "Child protection medicals"),
    ("neglect", "Neglect"),
    ("pre-proceedings", "Pre-proceedings"),
    ("children-in-care", "Children in care"),
    ("permanence", "Permanence"),
    ("life-story-work", "Life-story work"),
    ("children-placed-with-parents", "Children placed with parents"),
    ("care-leavers", "Care leavers"),
    ("early-help", "Early help"),
    ("voice-of-the-child", "Voice of the child"),
    ("leadership-and-oversight", "Leadership and oversight"),
    ("management-oversight-and-supervision", "Management oversight and supervision"),
    ("quality-assurance", "Quality assurance"),
    ("performance-management", "Performance management"),
    ("workforce", "Workforce"),
    ("partnership-working", "Partnership working"),
    ("equality-and-diversity", "Equality and diversity"),
    ("recording-and-it", "Recording and IT"),
    ("mental-health", "Mental health"),
    ("missing-children", "Missing children"),
]


def sync_themes(apps, schema_editor=None):
    """Create any missing theme from THEMES; never renames or deletes an existing one."""
    Theme = apps.get_model("inspections", "Theme")
    for slug, name in THEMES:
        Theme.objects.get_or_create(slug=slug, defaults={"name": name})
