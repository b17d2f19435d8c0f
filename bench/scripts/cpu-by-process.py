#!/usr/bin/env python3
"""CPU seconds per process group while a command runs.

    bench/scripts/cpu-by-process.py OUT.txt dotnet run -c Release --no-build --project bench/Workflow.Messaging.Bench -- ...

Samples every process's user+system time from /proc every 0.5 s until the command exits, keeping
the last value seen for each process (pid and start time), so processes that start and exit during
the run (a restarted worker, a pooled PostgreSQL backend) count too. Writes "group seconds" lines:
postgres, rabbitmq, coordinator, worker, bench, cpu-load, other.
"""
import os
import subprocess
import sys
import time

HZ = os.sysconf('SC_CLK_TCK')
GROUPS = (('postgres', 'postgres'), ('beam.smp', 'rabbitmq'), ('erl_child', 'rabbitmq'), ('Coordinator', 'coordinator'),
          ('Worker', 'worker'), ('Bench', 'bench'), ('cpu-load', 'cpu-load'))


def group(command):
    return next((name for key, name in GROUPS if key in command), 'other')


def sample(seen, first):
    for pid in os.listdir('/proc'):
        if not pid.isdigit():
            continue
        try:
            stat = open(f'/proc/{pid}/stat').read()
            command = open(f'/proc/{pid}/cmdline').read().replace('\0', ' ') or stat[:stat.rindex(')')]
        except OSError:
            continue
        fields = stat[stat.rindex(')') + 2:].split()
        seconds = (int(fields[11]) + int(fields[12])) / HZ
        key = pid + ':' + fields[19]
        if first:
            seen[key] = [group(command), seconds, seconds]
        elif key in seen:
            seen[key][2] = seconds
        else:
            seen[key] = [group(command), 0.0, seconds]


def main():
    seen = {}
    sample(seen, True)
    command = subprocess.Popen(sys.argv[2:])
    while command.poll() is None:
        time.sleep(0.5)
        sample(seen, False)
    sample(seen, False)
    totals = {}
    for name, before, after in seen.values():
        totals[name] = totals.get(name, 0) + after - before
    with open(sys.argv[1], 'w') as out:
        for name, seconds in sorted(totals.items(), key=lambda t: -t[1]):
            out.write(f'{name} {seconds:.1f}\n')
    sys.exit(command.returncode)


main()
