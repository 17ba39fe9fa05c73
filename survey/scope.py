"""The commission's scope (対象範囲) as the survey reads it: which sections, which desks."""

from engagements.models import Organisation


def scope_sections(engagement) -> set[int]:
    """The sections of the commission's scope: the engagement's ``scope_sections`` when it has
    them, else its site section and the units under it."""
    chosen = getattr(engagement, "scope_sections", None)
    if chosen is not None and hasattr(chosen, "values_list"):
        ids = set(chosen.values_list("pk", flat=True))
        if ids:
            return ids
    if not engagement.section_id:
        return set()
    children: dict[int | None, list[int]] = {}
    for pk, parent in Organisation.objects.values_list("pk", "parent_id"):
        children.setdefault(parent, []).append(pk)
    found, todo = set(), [engagement.section_id]
    while todo:
        pk = todo.pop()
        if pk not in found:
            found.add(pk)
            todo += children.get(pk, [])
    return found


def scope_of(engagement):
    """The predicate ``draw_plan`` outlines: desks of the scope's sections."""
    sections = scope_sections(engagement)
    return lambda item: item.kind == "desk" and item.section_id in sections
