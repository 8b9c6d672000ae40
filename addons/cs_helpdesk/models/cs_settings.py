"""Settings stored as system parameters, read with an explicit default.

Numbers the requirements do not give are settings (never constants in the code): each caller names its
default as a module constant and passes it here, and a missing or unusable value falls back to it.
"""

import math
from datetime import datetime, time

import pytz


def _raw_param(env, key):
    """The stored text of ``key``, or None when it is unset (``get_param`` answers False, which is an int)."""
    value = env["ir.config_parameter"].sudo().get_param(key)
    return value if isinstance(value, str) else None


def _number_param(env, key, default, minimum, cast):
    try:
        value = cast(_raw_param(env, key))
    except (TypeError, ValueError):
        return default
    # "inf" and "nan" parse as floats but are no usable limit
    return value if math.isfinite(value) and value >= minimum else default


def get_int_param(env, key, default, minimum=0):
    """Integer setting ``key``; ``default`` when unset, not a number, or below ``minimum``."""
    return _number_param(env, key, default, minimum, int)


def get_float_param(env, key, default, minimum=0.0):
    """Decimal setting ``key``; ``default`` when unset, not a number, or below ``minimum``."""
    return _number_param(env, key, default, minimum, float)


def get_bool_param(env, key, default=False):
    """Boolean setting ``key``: Odoo stores a ticked box as "True" and removes the parameter when unticked."""
    value = _raw_param(env, key)
    if value is None:
        return default
    return str(value).strip().lower() not in ("", "0", "false", "no", "off")


def get_record_param(env, key, model):
    """The record of ``model`` whose id the setting ``key`` holds, or an empty recordset."""
    try:
        record_id = int(_raw_param(env, key))
    except (TypeError, ValueError):
        return env[model]
    return env[model].browse(record_id).exists()


def tz_name(env, user=None, calendar=None):
    """Time zone for working-time and day boundaries: the calendar's, else the user's, else the company's.

    Falls back to UTC (never a hard-coded local zone) when none is set or the name is unknown.
    """
    user = user or env.user
    for candidate in (calendar and calendar.tz, user.tz, env.company.partner_id.tz):
        if candidate and candidate in pytz.all_timezones_set:
            return candidate
    return "UTC"


def utc_day_start(day, tz):
    """When ``day`` starts in the time zone named ``tz``, as a naive UTC datetime (as the ORM stores it)."""
    local = pytz.timezone(tz).localize(datetime.combine(day, time.min))
    return local.astimezone(pytz.utc).replace(tzinfo=None)


def recipient_lang(env, *people):
    """Language to write in for ``people`` (users or partners): the first one's that is set, else the company's.

    Scheduled actions run as OdooBot: text they write for a person (a note, an activity, a digest) is rendered
    in that person's language, not in the language of whoever happens to run the code.
    """
    for person in people:
        if person and person.lang:
            return person.lang
    return env.company.partner_id.lang or env.lang or "en_US"
