"""Reading the permission tables of the API tests: one row per endpoint and method, one column per actor."""

import pytest


def rows(table: str, columns: list[str], actors: list[str]):
    """pytest params (endpoint, method, actor, expected status) from a table whose header names `columns`."""
    header, *lines = [line.split() for line in table.strip().splitlines()]
    assert header[2:] == columns
    for endpoint, method, *codes in lines:
        for actor, code in zip(actors, codes, strict=True):
            yield pytest.param(endpoint, method, actor, int(code), id=f"{endpoint}-{method}-{actor}")


def table_methods(table: str) -> dict[str, set[str]]:
    """{url name: methods} the table documents; rows whose first code is 405 document a refused method."""
    in_table: dict[str, set[str]] = {}
    for endpoint, method, first_code, *_ in (line.split() for line in table.strip().splitlines()[1:]):
        if first_code != "405":
            in_table.setdefault(f"api-{endpoint}", set()).add(method)
    return in_table


def served_methods(patterns) -> dict[str, set[str]]:
    """{url name: methods} the URL patterns serve (OPTIONS left out)."""
    served: dict[str, set[str]] = {}
    for pattern in patterns:
        if hasattr(pattern, "url_patterns"):
            served.update(served_methods(pattern.url_patterns))
        else:
            view = pattern.callback.view_class
            served[pattern.name] = {m.upper() for m in view.http_method_names if hasattr(view, m)} - {"OPTIONS"}
    return served
