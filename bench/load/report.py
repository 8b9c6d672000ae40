#!/usr/bin/env python3
"""Table, targets and latency-over-time plot of one load run (run by run_load.py in .local/load-venv).

    .local/load-venv/bin/python bench/load/report.py .local/load/<name>

Reads requests.csv (time, name, ms, ok, error) and facts.json; writes report.md and latency.png.
"""

import csv
import json
import math
import sys
from collections import defaultdict
from pathlib import Path

# agent actions compared line by line: tickets against the crm.lead reference
COMPARED = ("list", "open", "open chatter", "reply", "change stage")
TARGET_RATIO = 1.2
BIN_SECONDS = 10


def percentile(values, share):
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, max(0, math.ceil(share * len(ordered)) - 1))]


def load(folder):
    rows = []
    with open(folder / "requests.csv", encoding="utf-8") as handle:
        for stamp, name, ms, ok, *error in csv.reader(handle):  # error: runs before it was recorded lack it
            rows.append((float(stamp), name, float(ms), ok == "1", error[0] if error else ""))
    return rows, json.loads((folder / "facts.json").read_text())


def table(rows):
    by_name = defaultdict(list)
    for _stamp, name, ms, ok, _error in rows:
        by_name[name].append((ms, ok))
    lines = ["| request | count | failed | p50 ms | p95 ms | max ms |", "|---|---:|---:|---:|---:|---:|"]
    for name in sorted(by_name):
        times = [ms for ms, _ok in by_name[name]]
        failed = sum(1 for _ms, ok in by_name[name] if not ok)
        lines.append(
            f"| {name} | {len(times)} | {failed} | {percentile(times, 0.5):.0f} | {percentile(times, 0.95):.0f} "
            f"| {max(times):.0f} |"
        )
    return lines


def causes(rows):
    """Failed requests by the error Locust saw (HTTP status or Odoo's error message)."""
    counts = defaultdict(int)
    for _stamp, _name, _ms, ok, error in rows:
        if not ok:
            counts[error or "(not recorded)"] += 1
    if not counts:
        return []
    lines = ["| failed requests by error | count |", "|---|---:|"]
    ordered = sorted(counts.items(), key=lambda item: -item[1])
    lines += [f"| {error.replace('|', '/')} | {count} |" for error, count in ordered]
    return ["", *lines]


def comparison(rows):
    def times(kind, action=None):
        return [
            ms
            for _stamp, name, ms, _ok, _error in rows
            if name.startswith(f"{kind}: ") and (name.split(": ", 1)[1] == action if action else True)
            and name.split(": ", 1)[1] in COMPARED
        ]  # fmt: skip

    lines = ["| agent action | tickets p95 ms | crm.lead p95 ms | ratio |", "|---|---:|---:|---:|"]
    for action in (*COMPARED, None):
        cs, crm = percentile(times("ticket agent", action), 0.95), percentile(times("lead agent", action), 0.95)
        label = action or "**all compared actions**"
        lines.append(f"| {label} | {cs:.0f} | {crm:.0f} | {cs / crm:.2f} |")
    overall = percentile(times("ticket agent"), 0.95) / percentile(times("lead agent"), 0.95)
    return lines, overall


def plot(rows, facts, path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    start = facts["started"]
    groups = {
        "ticket agents": "ticket agent: ",
        "crm.lead agents (reference)": "lead agent: ",
        "team leaders (pivots)": "team leader: ",
        "customers (portal, web form)": "customer: ",
        "mail gateway": "mail gateway: ",
    }
    fig, ax = plt.subplots(figsize=(10, 4.5))
    for label, prefix in groups.items():
        bins = defaultdict(list)
        for stamp, name, ms, ok, _error in rows:
            if name.startswith(prefix) and ok:  # failures are the red crosses
                bins[int((stamp - start) // BIN_SECONDS)].append(ms)
        xs = sorted(bins)
        ax.plot([x * BIN_SECONDS for x in xs], [percentile(bins[x], 0.95) for x in xs], label=label)
    failures = [stamp - start for stamp, _name, _ms, ok, _error in rows if not ok]
    if failures:
        ax.scatter(failures, [1] * len(failures), marker="x", color="red", label=f"failed requests ({len(failures)})")
    for stamp, event in facts.get("events", []):
        ax.axvline(stamp - start, color="grey", linestyle="--")
        ax.text(stamp - start, ax.get_ylim()[1] * 0.9, f" {event}", fontsize=8, rotation=90, va="top")
    samples = facts.get("machine", {}).get("load_samples")
    if samples:
        load_axis = ax.twinx()
        load_axis.plot([t - start for t, _load in samples], [load for _t, load in samples], color="grey", alpha=0.5)
        load_axis.set_ylabel("machine load average (grey)")
        load_axis.set_ylim(bottom=0)
    ax.set_yscale("log")
    ax.set_xlabel("seconds since start")
    ax.set_ylabel(f"p95 latency of answered requests per {BIN_SECONDS} s (ms, log)")
    ax.set_title(f"{facts['users']} users, {facts['minutes']} min")
    ax.legend(fontsize=8, loc="upper left")
    ax.grid(True, which="both", alpha=0.3)
    fig.tight_layout()
    fig.savefig(path, dpi=90)


def main(folder):
    folder = Path(folder)
    rows, facts = load(folder)
    failed = sum(1 for *_rest, ok, _error in rows if not ok)
    compare_lines, ratio = comparison(rows)
    tokens = facts["tokens"]
    span = (max(r[0] for r in rows) - min(r[0] for r in rows)) if rows else 0
    lines = [
        f"{len(rows)} requests in {span:.0f} s ({len(rows) / max(span, 1):.1f}/s), {facts['users']} users",
        "",
        *table(rows),
        "",
        *compare_lines,
        "",
        f"- failed requests: {failed} (target 0)",
        *causes(rows),
        "",
        f"- p95 of the compared agent actions, tickets / crm.lead: {ratio:.2f} (target <= {TARGET_RATIO})",
        f"- web-form submissions and gateway emails answered: {tokens['answered']}, each exactly one ticket: "
        f"{tokens['answered_exactly_one']}; not answered (failed requests): {tokens['unanswered']}, of which "
        f"{tokens['unanswered_with_ticket']} made a ticket anyway; subjects with two tickets or more: "
        f"{tokens['more_than_one']}",
    ]
    lines.append(
        f"- concurrent updates refused by PostgreSQL and retried by Odoo (node logs): "
        f"{facts.get('serialization_retries', 0)}"
    )
    machine = facts.get("machine")
    if machine and machine["load_samples"]:
        loads = [load for _stamp, load in machine["load_samples"]]
        lines.append(
            f"- machine: {machine['cpus']} CPUs, 1-min load average {min(loads):.1f}-{max(loads):.1f} "
            f"(mean {sum(loads) / len(loads):.1f}) during the run; {machine['workers_per_node']} workers per node, "
            f"at most {machine['accept_queue_max']} connections waiting in a node's listen backlog "
            f"(sampled every 5 s), {machine['listen_overflows']} connections dropped by a full listen backlog "
            "on this host (kernel ListenOverflows)"
        )
    for stamp, event in facts.get("events", []):
        lines.append(f"- at {stamp - facts['started']:.0f} s: {event}")
    if facts.get("events") and failed:
        first = facts["events"][0][0]
        offsets = sorted(stamp - first for stamp, _name, _ms, ok, _error in rows if not ok)
        lines.append(
            f"- failed requests relative to the fault: {sum(1 for t in offsets if t < 0)} before it, "
            f"{sum(1 for t in offsets if 0 <= t <= 5)} within 5 s after it, {sum(1 for t in offsets if t > 5)} later "
            f"(last at +{offsets[-1]:.1f} s)"
        )
    if "sla" in facts:
        sla = facts["sla"]
        lines.append(
            f"- SLA backlog: {sla['processed']} of {sla['lines']} lines processed; (messages, activities) per "
            f"processed line: {sla['per_line']} (one value = no line processed twice)"
        )
    (folder / "report.md").write_text("\n".join(lines) + "\n")
    plot(rows, facts, folder / "latency.png")


if __name__ == "__main__":
    main(sys.argv[1])
