#!/usr/bin/env python3
"""Prints the recovery table of issue 10 from chaos result files (bench/results/*-chaos.json).

Usage: bench/scripts/chaos-table.py LABEL=FILE [LABEL=FILE ...]

One row per run: verdict, then per fault the worst over its occurrences, in seconds, from the
fault to the first execution finished after it / to the last execution it caught in flight
finishing (count in brackets), then start-to-finish p50 / p95 / max.
"""
import json
import sys

FAULTS = ["drop broker connections", "kill worker", "kill coordinator", "restart RabbitMQ", "restart PostgreSQL"]


def row(label, path):
    run = json.load(open(path))
    clean = (run["Unfinished"] == 0 and run["ReportedTwice"] == 0 and run["NodesWithMoreThanOneSuccess"] == 0
             and not run["ErrorQueues"] and not run["Violations"] and run["Succeeded"] == run["Executions"])
    cells = [label, "PASS" if clean else "FAIL", f'{run["Succeeded"]}/{run["Executions"]}']
    recovery = {r["Fault"]: r for r in run["Recovery"]}
    worst = 0.0
    for fault in FAULTS:
        r = recovery.get(fault)
        if r is None:
            cells.append("-")
            continue
        never = f', {r["NeverFinished"]} never' if r["NeverFinished"] else ""
        cells.append(f'{r["FirstFinishSeconds"]:.1f} / {r["LastAffectedSeconds"]:.1f} ({r["Count"]}{never})')
        worst = max(worst, r["LastAffectedSeconds"])
    t = run["Timeline"]
    cells.append(f'{t["DurationP50Seconds"]:.1f} / {t["DurationP95Seconds"]:.1f} / {t["DurationMaxSeconds"]:.1f}')
    cells.append(f"{worst:.1f}")
    return "| " + " | ".join(cells) + " |"


print("| run | verdict | succeeded | " + " | ".join(FAULTS) + " | start-to-finish p50 / p95 / max s | worst recovery s |")
print("|" + "---|" * (len(FAULTS) + 5))
for argument in sys.argv[1:]:
    label, _, path = argument.partition("=")
    print(row(label, path))
