"""The commission's scope (対象範囲) as the survey reads it: which sections, which desks."""



def scope_sections(engagement) -> set[int]:
    """The sections of the commission's scope (``Engagement.scope_section_ids``)."""
    return set(engagement.scope_section_ids())


def scope_of(engagement):
    """The predicate ``draw_plan`` outlines: desks of the scope's sections."""
    sections = scope_sections(engagement)
    return lambda item: item.kind == "desk" and item.section_id in sections
