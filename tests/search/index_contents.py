"""Everything a Whoosh index holds for its live documents, comparable across indexes split differently.

    index_contents(index) == index_contents(other)   # same documents, terms, postings, positions, lengths, columns
    index_contents(index, blocks=True)               # and the length and weight bounds of each posting's block

Documents are named by their stored id ("articles.article.12"), never by document number, so an
index written in one segment and one written in two by sub-processes compare equal when they
hold the same. Spelling words are compared as a set: Whoosh files them all under document 0
of each segment. Term statistics (Whoosh's TermInfo: weight, document frequency, length and
weight bounds) are combined over segments; the bounds of each block of postings depend on how
the index is split, so they are compared (blocks=True) only between indexes split alike.
"""

from whoosh.matching import FilterMatcher

SPELLING_PREFIX = "spell_"


def index_contents(index, blocks: bool = False) -> dict:
    with index.searcher() as searcher:
        reader = searcher.reader()
        schema = reader.schema
        names = {docnum: stored["id"] for docnum, stored in reader.iter_docs()}  # live documents only
        documents = {}
        for docnum, name in names.items():
            documents[name] = {
                "stored": reader.stored_fields(docnum),
                # A document without the field: Whoosh answers None in a segment where other documents have it,
                # 0 in one where none has it. Both mean no words; which one depends on how the index is split.
                "lengths": {field: reader.doc_field_length(docnum, field) or 0 for field in schema.names()
                            if schema[field].scorable},
                "columns": {field: reader.column_reader(field)[docnum] for field in schema.names()
                            if reader.has_column(field)},
            }
        postings, terms, spelling = {}, {}, set()
        for field, text in reader.all_terms():
            if field.startswith(SPELLING_PREFIX):
                spelling.add((field, text))
                continue
            info = reader.term_info(field, text)
            terms[(field, text)] = (info.weight(), info.doc_frequency(), info.min_length(), info.max_length(),
                                    info.max_weight())
        for leaf, offset in searcher.leaf_searchers():
            leaf_reader = leaf.reader()
            for field, text in leaf_reader.all_terms():
                if field.startswith(SPELLING_PREFIX):
                    continue
                matcher = leaf_reader.postings(field, text)
                if isinstance(matcher, FilterMatcher):
                    matcher = matcher.child  # a segment with deletions: its own postings (deleted ones are skipped below)
                while matcher.is_active():
                    if (docnum := matcher.id() + offset) in names:
                        bounds = (matcher.block_min_length(), matcher.block_max_length(), matcher.block_max_weight())
                        postings.setdefault((field, text), []).append(
                            (names[docnum], matcher.weight(), matcher.value()) + (bounds if blocks else ()))
                    matcher.next()
        postings = {term: sorted(found) for term, found in postings.items()}
        return {"documents": documents, "postings": postings, "terms": terms, "spelling": spelling}
