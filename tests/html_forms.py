"""Reading a page's forms as a browser would post them (test helper)."""

from html.parser import HTMLParser


class PageReader(HTMLParser):
    """Links, and each POST form's action and fields as a browser would send them: checked
    boxes only, a select's chosen options (else its first, unless multiple), textareas'
    text; ``kinds`` maps each field name to its input type (or "select", "textarea").
    ``buttons``: also the name and value of each named button (a crawler posts them; a test
    that names its own button leaves them out)."""

    def __init__(self, *, buttons: bool = True):
        super().__init__(convert_charrefs=True)
        self.buttons = buttons
        self.links: list[str] = []
        self.forms: list[tuple[str, list]] = []
        self.current = self.select = self.textarea = None
        self.kinds: dict = {}

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        if tag == "form":
            if (a.get("method") or "").lower() == "post":
                self.current = (a.get("action") or "", [])
                self.forms.append(self.current)
            else:
                self.links.append(a.get("action") or "")
        if self.current is not None:
            self._field_tag(tag, a, self.current[1])

    def _field_tag(self, tag, a, fields):
        if a.get("name") and tag in ("input", "select", "textarea"):
            self.kinds[a["name"]] = (a.get("type") or "text").lower() if tag == "input" else tag
        if tag == "input" and a.get("name"):
            kind = (a.get("type") or "text").lower()
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    fields.append((a["name"], a.get("value", "on")))
            elif kind not in ("submit", "button", "file", "image", "reset"):
                fields.append((a["name"], a.get("value") or ""))
        elif tag == "button" and a.get("name") and self.buttons:
            fields.append((a["name"], a.get("value") or ""))
        elif tag == "select":
            self.select = [a.get("name"), None, "multiple" in a, []]
        elif tag == "option" and self.select is not None:
            if "selected" in a:
                self.select[3].append(a.get("value", ""))
            elif self.select[1] is None:
                self.select[1] = a.get("value", "")
        elif tag == "textarea":
            self.textarea = [a.get("name"), ""]

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.current = None
        elif tag == "select" and self.select is not None:
            name, first, multiple, chosen = self.select
            if name and self.current is not None:
                values = chosen or ([] if multiple else [first or ""])
                self.current[1].extend((name, v) for v in values)
            self.select = None
        elif tag == "textarea" and self.textarea is not None:
            if self.current is not None and self.textarea[0]:
                self.current[1].append((self.textarea[0], self.textarea[1].lstrip("\n")))
            self.textarea = None
