"""Input the database cannot hold is turned away at the door, once for every route and
form, not field by field:

- NUL bytes are stripped from every query and form value (PostgreSQL text cannot hold
  them, so one in a resident's message would lose the message);
- `<int:…>` path segments beyond a PostgreSQL integer are 404, not a database error;
- a NUL in any other path segment is 404."""
from flask import Request
from werkzeug.datastructures import ImmutableMultiDict, iter_multi_items
from werkzeug.routing import IntegerConverter, PathConverter, UnicodeConverter, ValidationError

DATABASE_INT_MAX = 2**31 - 1


def _without_nul(value):
    return value.replace("\x00", "") if isinstance(value, str) else value


class NulFreeMultiDict(ImmutableMultiDict):
    def __init__(self, mapping=None):
        if mapping is not None:
            mapping = [(_without_nul(key), _without_nul(value)) for key, value in iter_multi_items(mapping)]
        super().__init__(mapping)


class PortalRequest(Request):
    parameter_storage_class = NulFreeMultiDict


class DatabaseIntConverter(IntegerConverter):
    """`<int:…>`: a non-negative integer that fits the database's integer columns."""

    def __init__(self, map, fixed_digits=0, min=None, max=DATABASE_INT_MAX, signed=False):
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


class NulFreeString(UnicodeConverter):
    def to_python(self, value):
        if "\x00" in value:
            raise ValidationError()
        return value


class NulFreePath(PathConverter):
    def to_python(self, value):
        if "\x00" in value:
            raise ValidationError()
        return value


def init_app(app):
    """Before any blueprint is registered: rules pick their converters when they are added."""
    app.request_class = PortalRequest
    app.url_map.converters.update(int=DatabaseIntConverter, default=NulFreeString, string=NulFreeString,
                                  path=NulFreePath)
