"""A page's form as a browser would post it: its fields with their current values, and its buttons.

Used by tests that press the admin's buttons and by the load test's editor (loadtest/editor.py),
so both post exactly what the page offers, hidden fields included.
"""

from html.parser import HTMLParser


class FormReader(HTMLParser):
    """Collect the fields of the first form fed to it: {name: [values]} and the names of its submit buttons."""

    def __init__(self):
        super().__init__()
        self.fields: dict[str, list[str]] = {}
        self.buttons: list[str] = []
        self._textarea = self._select = None
        self._multiple = self._textarea_start = False
        self._done = False

    def handle_starttag(self, tag, attrs):
        if self._done:
            return
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind == "submit":
                self.buttons.append(name)
            elif kind not in ("checkbox", "radio") or "checked" in attrs:
                self.fields.setdefault(name, []).append(attrs.get("value", ""))
        elif tag == "textarea" and name:
            self._textarea = name
            self.fields[name] = [""]
            self._textarea_start = True
        elif tag == "select" and name:
            self._select, self._multiple = name, "multiple" in attrs
            self.fields.setdefault(name, [])
        elif tag == "option" and self._select and "selected" in attrs:
            self.fields[self._select].append(attrs.get("value", ""))

    def handle_endtag(self, tag):
        if tag == "form":
            self._done = True
        elif tag == "textarea":
            self._textarea = None
        elif tag == "select" and self._select:
            if not self.fields[self._select] and not self._multiple:
                self.fields[self._select] = [""]  # a browser posts the first option, here "—"
            self._select = None

    def handle_data(self, data):
        if self._textarea:
            if self._textarea_start:  # a browser drops the newline Django writes after <textarea>
                data, self._textarea_start = data.removeprefix("\n"), False
            self.fields[self._textarea][0] += data


def read_form(page: str, marker: str) -> FormReader:
    """Read the form whose opening tag contains `marker` (e.g. 'id="paste-form"'); ValueError when there is none."""
    reader = FormReader()
    reader.feed(page[page.rindex("<form", 0, page.index(marker) + len("<form")):])
    return reader
