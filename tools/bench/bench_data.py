# -*- coding: utf-8 -*-
# Copyright: (c) 2026, hcifleet maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The update runs the benchmark adds to the emulator's fleet, and task options that match them.

Every cluster gets one run, ``bench-noop``, under its first update; the desired state
names the same values in the module's own spelling ('Z' instead of '+00:00',
'westus2' instead of 'West US 2'), so a reconcile compares for real and finds nothing
to change. One cluster also gets ``bench-large``, a run with a 2,000-step tree.
"""

from __future__ import annotations

import collections

API_VERSION = '2024-04-01'
NOOP_RUN = 'bench-noop'
LARGE_RUN = 'bench-large'

BenchCluster = collections.namedtuple('BenchCluster', ['name', 'resource_group', 'subscription_id', 'location', 'update_name'])

_STEPS = (
    ('Prepare update', '2026-01-10T08:00:00', '2026-01-10T08:20:00'),
    ('Update cloud', '2026-01-10T08:20:00', '2026-01-10T09:10:00'),
    ('Post-update tasks', '2026-01-10T09:10:00', '2026-01-10T09:30:00'),
)


def cluster_id(cluster):
    return '/subscriptions/%s/resourceGroups/%s/providers/Microsoft.AzureStackHCI/clusters/%s' % (
        cluster.subscription_id, cluster.resource_group, cluster.name)


def run_id(cluster, run_name=NOOP_RUN):
    return '%s/updates/%s/updateRuns/%s' % (cluster_id(cluster), cluster.update_name, run_name)


def runs_list_id(cluster):
    return '%s/updates/%s/updateRuns' % (cluster_id(cluster), cluster.update_name)


def noop_run_body(location):
    """The ARM body of bench-noop (7-digit '+00:00' date-times, as ARM writes them)."""
    steps = [dict(name=name, description='%s (benchmark)' % name, errorMessage='', status='Success',
                  startTimeUtc=start + '.0000000+00:00', endTimeUtc=end + '.0000000+00:00', lastUpdatedTimeUtc=end + '.0000000+00:00', steps=[])
             for name, start, end in _STEPS]
    return {
        'location': location,
        'properties': {
            'state': 'Succeeded',
            'timeStarted': '2026-01-10T08:00:00.0000000+00:00',
            'lastUpdatedTime': '2026-01-10T09:30:00.0000000+00:00',
            'duration': 'PT1H30M',
            'progress': dict(name='Unnamed step', description='Benchmark update run', errorMessage='', status='Success',
                             startTimeUtc='2026-01-10T08:00:00.0000000+00:00', endTimeUtc='2026-01-10T09:30:00.0000000+00:00',
                             lastUpdatedTimeUtc='2026-01-10T09:30:00.0000000+00:00', steps=steps),
        },
    }


def noop_desired(cluster):
    """Options of azure_hci_updaterun (and items of update_runs_desired) equal to bench-noop."""
    return {
        'update_name': cluster.update_name,
        'name': NOOP_RUN,
        'location': cluster.location,
        'run_state': 'Succeeded',
        'time_started': '2026-01-10T08:00:00Z',
        'duration': 'PT1H30M',
        'progress': {
            'name': 'Unnamed step',
            'status': 'success',
            'start_time_utc': '2026-01-10T08:00:00Z',
            'end_time_utc': '2026-01-10T09:30:00Z',
            'steps': [dict(name=name, status='Success', start_time_utc=start + 'Z', end_time_utc=end + 'Z') for name, start, end in _STEPS],
        },
    }


def large_run_body(location, phases=40, steps_per_phase=50):
    """A run whose progress tree has phases x steps_per_phase leaf steps (2,000 by default)."""
    phase_steps = []
    for phase in range(phases):
        leaves = [dict(name='Step %03d.%03d' % (phase, step), description='Benchmark step %d of phase %d' % (step, phase), errorMessage='',
                       status='Success', startTimeUtc='2026-01-10T08:00:00.0000000+00:00', endTimeUtc='2026-01-10T08:01:00.0000000+00:00',
                       lastUpdatedTimeUtc='2026-01-10T08:01:00.0000000+00:00', steps=[])
                  for step in range(steps_per_phase)]
        phase_steps.append(dict(name='Phase %03d' % phase, description='Benchmark phase %d' % phase, errorMessage='', status='Success',
                                startTimeUtc='2026-01-10T08:00:00.0000000+00:00', endTimeUtc='2026-01-10T08:01:00.0000000+00:00',
                                lastUpdatedTimeUtc='2026-01-10T08:01:00.0000000+00:00', steps=leaves))
    return {
        'location': location,
        'properties': {
            'state': 'Succeeded',
            'timeStarted': '2026-01-10T08:00:00.0000000+00:00',
            'duration': 'PT1M',
            'progress': dict(name='Unnamed step', description='Benchmark run with a large step tree', errorMessage='', status='Success',
                             startTimeUtc='2026-01-10T08:00:00.0000000+00:00', endTimeUtc='2026-01-10T08:01:00.0000000+00:00',
                             lastUpdatedTimeUtc='2026-01-10T08:01:00.0000000+00:00', steps=phase_steps),
        },
    }


def large_desired_progress(body):
    """The whole step tree of a large run as the module's progress option (names and statuses)."""
    def step(arm_step):
        return dict(name=arm_step['name'], status=arm_step['status'], steps=[step(child) for child in arm_step['steps']])
    return step(body['properties']['progress'])


def leaf_count(body):
    def count(step):
        return sum(count(child) for child in step['steps']) if step['steps'] else 1
    return count(body['properties']['progress'])


def prepare(emulator, token, clusters, large_steps=(40, 50)):
    """Add bench-noop to every cluster (and bench-large to the first); returns [BenchCluster] and the large run's body.

    The first update of each cluster is read through ARM (one list per cluster); the runs are
    written through the emulator's control endpoint, which bypasses the request log.
    """
    prepared = []
    for entry in clusters:
        partial = BenchCluster(entry['name'], entry['resource_group'], entry['subscription_id'], entry['location'], None)
        updates = emulator.arm_get(token, cluster_id(partial) + '/updates')['value']
        cluster = partial._replace(update_name=sorted(update['name'] for update in updates)[0])
        emulator.put_resource(run_id(cluster), noop_run_body(cluster.location))
        prepared.append(cluster)
    large = large_run_body(prepared[0].location, *large_steps)
    emulator.put_resource(run_id(prepared[0], LARGE_RUN), large)
    return prepared, large
