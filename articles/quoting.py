"""Put a query or a name in quotation marks once, however it was typed.

# gas                   -> “gas”
# "Security Council"    -> “Security Council”      (a phrase keeps one pair of quotes)
# gas "power of siberia" -> “gas ‘power of siberia’” (quotes inside become single quotes)
# “gas”, actor: Russia  -> “‘gas’, actor: Russia”  (a saved view's name, quoted again in a message)
"""

import re

_OPEN, _CLOSE = '"“', '"”'
_INNER_PAIR = re.compile(r'["“]([^"“”]*)["”]')


def quoted(text: str) -> str:
    """The text between curly double quotes, with any quotes it holds made single."""
    text = str(text).strip()
    if len(text) >= 2 and text[0] in _OPEN and text[-1] in _CLOSE and not any(c in '"“”' for c in text[1:-1]):
        return f"“{text[1:-1]}”"
    return "“" + _INNER_PAIR.sub(r"‘\1’", text) + "”"
