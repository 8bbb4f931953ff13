"""SQL shared by the SQL peers (FTS5 and PostgreSQL)."""

from .spec import Spec


def filter_conditions(spec: Spec, id_column: str, date_between: str, tables: dict[str, tuple[str, str, str]],
                      placeholder: str) -> tuple[list[str], list]:
    """SQL conditions for the dates and every actor/topic filter of spec, with their arguments.

    date_between: a condition with two placeholders, e.g. "a.date BETWEEN %s AND %s";
    tables: {"actors": (link table, label table, label column in the link table), "topics": ...}.
    """
    where, args = [], []
    if spec.date_from or spec.date_to:
        where.append(date_between)
        args += [spec.date_from or "0001-01-01", spec.date_to or "9999-12-31"]
    for field, slug, excluded in spec.label_filters():
        link, label, column = tables[field]
        where.append(f"{id_column} {'NOT ' if excluded else ''}IN (SELECT l.article_id FROM {link} l JOIN {label} x "
                     f"ON x.id = l.{column} WHERE x.slug = {placeholder})")
        args.append(slug)
    return where, args
