# -*- coding: utf-8 -*-
# Copyright: (c) 2026, hcifleet maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The tests' own reading of the comparison and merge rules, written without the collection's code.

The property test of the pure logic (tests/unit/.../test_updaterun_properties.py) and the data-preservation test
against the emulator (tests/integration/test_data_preservation.py) judge the collection by this oracle: what a task
asks for, whether it differs from what the server holds (in meaning), and what must be true after a merge or a run
(everything named is as asked, everything not named is unchanged). Date-times are read here with integer
arithmetic, not with the datetime module the collection uses.
"""

from __future__ import annotations

import re

TICKS_PER_SECOND = 10 ** 7
MINUTE = 60 * TICKS_PER_SECOND

# option: (ARM property, kind of comparison)
STEP_FIELDS = {
    'name': ('name', 'text'),
    'description': ('description', 'text'),
    'error_message': ('errorMessage', 'text'),
    'status': ('status', 'enum'),
    'start_time_utc': ('startTimeUtc', 'datetime'),
    'end_time_utc': ('endTimeUtc', 'datetime'),
    'last_updated_time_utc': ('lastUpdatedTimeUtc', 'datetime'),
    'expected_execution_time': ('expectedExecutionTime', 'text'),
}
RUN_FIELDS = {
    'run_state': ('state', 'enum'),
    'time_started': ('timeStarted', 'datetime'),
    'last_updated_time': ('lastUpdatedTime', 'datetime'),
    'duration': ('duration', 'text'),
}

# ------------------------------------------------------------------ date-times

# RFC 3339 as ARM takes it, and the looser spellings a server could return ('T' or ' ', '.' or ',', '+HHMM').
_SPELLING = re.compile(r'^(\d{4})-(\d\d)-(\d\d)[Tt ](\d\d):(\d\d):(\d\d)(?:[.,](\d+))?(?:[Zz]|([+-])(\d\d):?(\d\d))$')


def civil_date(days):
    """YYYY-MM-DD of a day count since 1970-01-01 (proleptic Gregorian)."""
    days += 719468
    era, day_of_era = divmod(days, 146097)
    year_of_era = (day_of_era - day_of_era // 1460 + day_of_era // 36524 - day_of_era // 146096) // 365
    day_of_year = day_of_era - (365 * year_of_era + year_of_era // 4 - year_of_era // 100)
    month_index = (5 * day_of_year + 2) // 153
    month = month_index + 3 if month_index < 10 else month_index - 9
    return '%04d-%02d-%02d' % (year_of_era + era * 400 + (month <= 2), month, day_of_year - (153 * month_index + 2) // 5 + 1)


def instant(value):
    """Ticks (100 ns) since 1970 of a date-time spelling, None for absent or empty; digits past the 7th are dropped."""
    if value in (None, ''):
        return None
    match = _SPELLING.match(value)
    assert match, 'not a date-time: %r' % value
    year, month, day, hour, minute, second = (int(part) for part in match.groups()[:6])
    # days from civil, the inverse of civil_date
    year -= month <= 2
    era, year_of_era = divmod(year, 400)
    day_of_year = (153 * (month + (-3 if month > 2 else 9)) + 2) // 5 + day - 1
    days = era * 146097 + year_of_era * 365 + year_of_era // 4 - year_of_era // 100 + day_of_year - 719468
    ticks = (days * 86400 + hour * 3600 + minute * 60 + second) * TICKS_PER_SECOND + int((match.group(7) or '').ljust(7, '0')[:7])
    if match.group(8):
        ticks -= (1 if match.group(8) == '+' else -1) * (int(match.group(9)) * 60 + int(match.group(10))) * MINUTE
    return ticks


def as_arm_writes(value):
    """A date-time as ARM writes it back (UTC, 7 fractional digits, '+00:00'); None for absent or empty."""
    ticks = instant(value)
    if ticks is None:
        return None
    seconds, fraction = divmod(ticks, TICKS_PER_SECOND)
    days, second = divmod(seconds, 86400)
    return '%sT%02d:%02d:%02d.%07d+00:00' % (civil_date(days), second // 3600, second // 60 % 60, second % 60, fraction)


def stored_properties(properties):
    """The properties of a PUT body as ARM stores them: date-times rewritten, empty ones dropped, at every level."""
    def rewrite(values, fields):
        out = dict(values)
        for arm, kind in fields.values():
            if kind == 'datetime' and arm in out:
                if as_arm_writes(out[arm]) is None:
                    del out[arm]
                else:
                    out[arm] = as_arm_writes(out[arm])
        if isinstance(out.get('steps'), list):
            out['steps'] = [rewrite(child, STEP_FIELDS) for child in out['steps']]
        return out
    stored = rewrite(properties, RUN_FIELDS)
    if isinstance(stored.get('progress'), dict):
        stored['progress'] = rewrite(stored['progress'], STEP_FIELDS)
    return stored


# ------------------------------------------------------------------ comparison

def same(kind, left, right):
    """Equal in meaning: date-times to the tick, enums whatever their case, absent as empty."""
    if kind == 'datetime':
        return instant(left) == instant(right)
    if kind == 'enum':
        return (left or '').strip().lower() == (right or '').strip().lower()
    return (left or '') == (right or '')


def differs(properties, task):
    """Whether a task (module options) asks for anything the run's ``properties`` do not already hold."""
    if any(not same(kind, properties.get(arm), task[option]) for option, (arm, kind) in RUN_FIELDS.items() if option in task):
        return True
    return 'progress' in task and step_differs(properties.get('progress') or {}, task['progress'])


def step_differs(existing, desired):
    """Steps are matched by name; a named ``steps`` list is the whole list at its level, in its order."""
    if any(not same(kind, existing.get(arm), desired[option]) for option, (arm, kind) in STEP_FIELDS.items() if option in desired):
        return True
    if 'steps' not in desired:
        return False
    present = existing.get('steps') or []
    if [step['name'] for step in desired['steps']] != [step['name'] for step in present]:
        return True
    by_name = {step['name']: step for step in present}
    return any(step_differs(by_name[step['name']], step) for step in desired['steps'])


# ------------------------------------------------------------------ what must hold after a merge or a run

def field_problems(where, kind, before, after, named, value):
    """A field not named is unchanged; a named one means what was asked, and keeps its spelling when it already did."""
    if not named:
        return [] if after == before else ['%s: not named, was %r, is now %r' % (where, before, after)]
    if not same(kind, after, value):
        return ['%s: asked for %r, got %r' % (where, value, after)]
    if before not in (None, '') and same(kind, before, value) and after != before:
        return ['%s: %r is equal in meaning to %r, yet was rewritten as %r' % (where, value, before, after)]
    return []


def step_problems(where, before, desired, after):
    problems = []
    for option, (arm, kind) in STEP_FIELDS.items():
        problems += field_problems('%s.%s' % (where, option), kind, before.get(arm), after.get(arm), option in desired, desired.get(option))
    if 'steps' not in desired:
        if after.get('steps') != before.get('steps'):
            problems.append('%s.steps: not named, was %r, is now %r' % (where, before.get('steps'), after.get('steps')))
        return problems
    now = after.get('steps') or []
    if [step.get('name') for step in now] != [step['name'] for step in desired['steps']]:
        return problems + ['%s.steps: asked for %r, got %r' % (where, [step['name'] for step in desired['steps']], [step.get('name') for step in now])]
    by_name = {step['name']: step for step in before.get('steps') or []}
    for wanted, got in zip(desired['steps'], now):
        problems += step_problems('%s.steps[%s]' % (where, wanted['name']), by_name.get(wanted['name'], {}), wanted, got)
    return problems


def properties_problems(before, task, after):
    """What is wrong with the run's properties ``after`` a task over ``before``; [] when nothing is."""
    problems = []
    for option, (arm, kind) in RUN_FIELDS.items():
        problems += field_problems(option, kind, before.get(arm), after.get(arm), option in task, task.get(option))
    if 'progress' in task:
        problems += step_problems('progress', before.get('progress') or {}, task['progress'], after.get('progress') or {})
    elif after.get('progress') != before.get('progress'):
        problems.append('progress: not named, was %r, is now %r' % (before.get('progress'), after.get('progress')))
    return problems
