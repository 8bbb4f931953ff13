"""An editor at work during the load test: add, edit and delete articles through /admin/, in a loop.

    python loadtest/editor.py --base http://127.0.0.1:PORT --password PW --seconds 60 \
        --plan editor-plan.json --out editor.json

Logs in like a browser (session cookie, CSRF token from each form; a save counts when the admin
answers with its redirect, which is not followed), prints "ready", waits for
"go" on stdin, then repeats until --seconds have passed (the operation under way finishes):
- add: paste a new synthetic article (bench/generate.py's writer, its own seed) carrying a unique
  word such as "ldtadd17z" into the add page, Preview, then Save what the preview offers;
- edit: an archive article from the plan: append a sentence with a unique word ("ldtedit17z"),
  remove one of its actors and add another;
- delete: in turn, the article added one cycle before, and the archive article edited one
  cycle before.
Writes what it did (ids, unique words, actors swapped), how long each operation took, and
every failure (a status other than 2xx/3xx, a form sent back with errors, a socket error).
"""

import argparse
import http.cookiejar
import json
import random
import re
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(REPO / "bench")]
import generate  # noqa: E402  (bench/generate.py)

from tests.html_forms import FormReader, read_form  # noqa: E402  (a form as a browser posts it)

TIMEOUT = 120  # seconds per admin request: a slow answer under load is not a failure, a lost write is
ARTICLES = "/admin/articles/article/"


class EditorError(Exception):
    """An operation the admin did not carry out: bad status, socket error, or the form sent back."""


class KeepRedirects(urllib.request.HTTPRedirectHandler):
    """Hand a redirect back instead of following it: after a save, the 302 and its Location are the answer."""

    def redirect_request(self, *args, **kwargs):
        return None


class Editor:
    def __init__(self, base: str, password: str):
        self.base, self.password = base, password
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), KeepRedirects())
        self.http_errors = 0

    def open(self, path: str, fields: dict | None = None) -> tuple[int, str, str]:
        """GET (or POST fields) without following redirects; return (status, Location path, page).
        Raise EditorError on a status other than 2xx/3xx or a socket error."""
        method = "POST" if fields is not None else "GET"
        body = urllib.parse.urlencode(fields, doseq=True).encode() if fields is not None else None
        try:
            with self.opener.open(self.base + path, data=body, timeout=TIMEOUT) as response:
                return response.status, "", response.read().decode()
        except urllib.error.HTTPError as error:
            if 300 <= error.code < 400:
                return error.code, urllib.parse.urlsplit(error.headers.get("Location", "")).path, ""
            self.http_errors += 1
            raise EditorError(f"{method} {path}: HTTP {error.code}") from None
        except OSError as error:  # refused, reset, timed out
            raise EditorError(f"{method} {path}: {type(error).__name__}: {error}") from None

    def post_form(self, path: str, fields: dict, page: str | None = None) -> tuple[int, str, str]:
        """POST a form with the CSRF token from its page (fetched first unless given)."""
        if page is None:
            _, _, page = self.open(path)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if not token:
            raise EditorError(f"GET {path}: no CSRF token in the page")
        return self.open(path, {**fields, "csrfmiddlewaretoken": token.group(1)})

    def login(self) -> None:
        status, location, _ = self.post_form("/admin/login/", {"username": "editor", "password": self.password, "next": "/admin/"})
        if status != 302 or location != "/admin/":
            raise EditorError(f"login failed ({status} {location})")

    @staticmethod
    def saved(answer: tuple[int, str, str], expected: str, what: str) -> str:
        """The redirect's target after a save or delete (a pattern), or EditorError with the form's errors."""
        status, location, page = answer
        if status in (301, 302, 303) and re.fullmatch(expected, location):
            return location
        raise EditorError(f"not {what}: {Editor.form_errors(page) or f'{status} {location}'}")

    @staticmethod
    def form_errors(page: str) -> str:
        """The error messages a form was sent back with, as one line."""
        errors = re.findall(r'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>|<p class="errornote"[^>]*>(.*?)</p>', page, re.S)
        return "; ".join(re.sub(r"<[^>]+>", "", a or b).strip() for a, b in errors)[:300]

    def add(self, writer: generate.ArticleWriter, number: int, word: str) -> int:
        """Paste a new article as an editor does: Preview, then Save with everything extraction found ticked."""
        text = writer.article(number).strip() + f"\n\nResidents said the {word} proposal would be discussed again next week."
        _, _, page = self.open(ARTICLES + "add/")
        fields = {"text": text, "date": "", "source": f"loadtest editor {number}", "_preview": "Preview"}
        _, _, preview = self.post_form(ARTICLES + "add/", fields, page)
        form = self.form(preview, 'id="paste-form"', ARTICLES + "add/")
        if "_save" not in form.buttons:
            raise EditorError(f"not previewed: {self.form_errors(preview) or 'no Save button'}")
        location = self.saved(self.open(ARTICLES + "add/", {**form.fields, "_save": "Save"}), rf"{ARTICLES}(\d+)/change/", "added")
        return int(re.search(r"(\d+)/change/$", location).group(1))

    def edit(self, article_id: int, word: str, rng: random.Random, slugs: dict, popular: list[int]) -> dict:
        """Append a sentence with `word`, swap one actor; return the slugs swapped."""
        path = f"{ARTICLES}{article_id}/change/"
        _, _, page = self.open(path)
        form = self.form(page, 'id="article_form"', path)
        fields = form.fields
        actors = [int(value) for value in fields.get("actors", []) if value]
        removed = next((a for a in actors if a in slugs), None)
        added = next(a for a in rng.sample(popular, len(popular)) if a not in actors)
        fields["actors"] = [str(a) for a in actors if a != removed] + [str(added)]
        fields["body"] = [fields["body"][0].strip() + f"\n\nA later report mentioned the {word} inquiry."]
        self.saved(self.open(path, {**fields, "_save": "Save"}), ARTICLES, "changed")
        return {"actor_added": slugs.get(added), "actor_removed": slugs.get(removed)}

    @staticmethod
    def form(page: str, marker: str, path: str) -> FormReader:
        """The page's form as a browser would post it (hidden fields and CSRF token included)."""
        try:
            form = read_form(page, marker)
        except ValueError:
            raise EditorError(f"{path}: no form ({marker}) in the page") from None
        if "body" in form.fields or "text" in form.fields:
            return form
        raise EditorError(f"{path}: the form has no text field")

    def delete(self, article_id: int) -> None:
        self.saved(self.post_form(f"{ARTICLES}{article_id}/delete/", {"post": "yes"}), ARTICLES, "deleted")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", required=True)
    parser.add_argument("--password", required=True)
    parser.add_argument("--seconds", type=float, required=True)
    parser.add_argument("--plan", type=Path, required=True, help="JSON: archive_ids, actors [{id, slug}]")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=20)
    args = parser.parse_args(argv)
    plan = json.loads(args.plan.read_text())
    slugs = {a["id"]: a["slug"] for a in plan["actors"]}
    popular = [a["id"] for a in plan["actors"][:300]]
    archive = list(plan["archive_ids"])
    rng = random.Random(args.seed)
    rng.shuffle(archive)
    writer = generate.ArticleWriter(seed=1000 + args.seed)  # not the archive's seed: new text, not versions of it

    editor = Editor(args.base, args.password)
    editor.login()
    print("ready", flush=True)
    if sys.stdin.readline().strip() != "go":
        return
    deadline = time.monotonic() + args.seconds
    done = {"added": [], "edited": [], "deleted": []}
    timings = {"add": [], "edit": [], "delete": []}
    failed = {"add": 0, "edit": 0, "delete": 0}
    failures = []

    def attempt(op: str, fn, *fn_args):
        started = time.monotonic()
        try:
            result = fn(*fn_args)
        except EditorError as error:
            failed[op] += 1
            failures.append(f"{op}: {error}")
            print(f"{op} failed: {error}", file=sys.stderr, flush=True)
            return None
        finally:
            timings[op].append((time.monotonic() - started) * 1000)
        return result if result is not None else True

    cycle = 0
    while time.monotonic() < deadline:
        word = f"ldtadd{cycle}z"
        new_id = attempt("add", editor.add, writer, cycle, word)
        if new_id:
            done["added"].append({"id": new_id, "word": word, "cycle": cycle})
        if time.monotonic() >= deadline:
            break
        # Each archive article is edited once (the checks look for its one new word): a fast run
        # over a small archive uses up the pool, and then only adds and deletes.
        if cycle < len(archive):
            article_id, word = archive[cycle], f"ldtedit{cycle}z"
            swapped = attempt("edit", editor.edit, article_id, word, rng, slugs, popular)
            if swapped:
                done["edited"].append({"id": article_id, "word": word, "cycle": cycle, **swapped})
        if time.monotonic() >= deadline:
            break
        # Delete what an earlier cycle made: an added article, then an edited one, in turn.
        source = done["added"] if cycle % 2 else done["edited"]
        target = next((row for row in source if row["cycle"] == cycle - 1), None)
        if target and attempt("delete", editor.delete, target["id"]):
            done["deleted"].append({"id": target["id"], "word": target["word"], "was": "added" if cycle % 2 else "edited"})
        cycle += 1
        print(f"cycle {cycle}: {len(done['added'])} added, {len(done['edited'])} edited, {len(done['deleted'])} deleted",
              file=sys.stderr, flush=True)

    def op_stats(op):
        values = sorted(timings[op])
        return {"ok": len(values) - failed[op], "failed": failed[op],
                "p50_ms": values[len(values) // 2] if values else float("nan"), "max_ms": values[-1] if values else float("nan")}

    args.out.write_text(json.dumps({
        **done, "operations": {op: op_stats(op) for op in timings}, "failures": failures, "http_errors": editor.http_errors,
    }, indent=1))


if __name__ == "__main__":
    main()
