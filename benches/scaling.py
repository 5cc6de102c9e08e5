#!/usr/bin/env python3
"""The size-scaling benchmark's result file and its table.

    scaling.py collect RES --out FILE.json [facts]
        reads what benches/scaling.sh left in RES (times.tsv: size, command,
        run, seconds, peak RSS in KiB; bytes.tsv: size, source bytes),
        writes one JSON result file and prints its table.
    scaling.py FILE.json
        prints the Markdown table of a result file.
"""
import argparse
import datetime
import json
import statistics
import sys

import report  # the machine facts, as benches/run.sh records them

NAMES = ["cp_sync", "pack_copy", "check"]


def collect(a):
    sizes = {}
    with open(f"{a.res}/bytes.tsv") as f:
        for line in f:
            minutes, nbytes = line.split()
            sizes[int(minutes)] = {"minutes": int(minutes), "bytes": int(nbytes), "commands": {}}
    with open(f"{a.res}/times.tsv") as f:
        for line in f:
            minutes, name, _run, secs, kib = line.split()
            c = sizes[int(minutes)]["commands"].setdefault(name, {"seconds": [], "rss_kib": []})
            c["seconds"].append(float(secs))
            c["rss_kib"].append(int(kib))
    for s in sizes.values():
        gb = s["bytes"] / 1e9
        for c in s["commands"].values():
            c["median_s"] = statistics.median(c["seconds"])
            c["s_per_gb"] = c["median_s"] / gb
            c["peak_rss_mib"] = max(c["rss_kib"]) / 1024
        cmds = s["commands"]
        if "pack_copy" in cmds and "cp_sync" in cmds:
            s["pack_over_cp_sync"] = cmds["pack_copy"]["median_s"] / cmds["cp_sync"]["median_s"]
    result = {
        "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "rev": a.rev,
        "dirty": a.dirty == "true",
        "binary": a.binary,
        "runs": a.runs,
        "note": a.note,
        "machine": report.machine(a.res),
        "loadavg": report.loadavg(a.res),
        "sizes": [sizes[k] for k in sorted(sizes)],
    }
    with open(a.out, "w") as f:
        json.dump(result, f, indent=1)
        f.write("\n")
    print(f"wrote {a.out}")
    print(markdown(result))


def markdown(r):
    rows = [
        "| programme | sources | `cp` + `sync` | `pack --link copy --no-verify` | pack / (cp + sync) "
        "| `check` | pack peak RSS | check peak RSS |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for s in r["sizes"]:
        c = s["commands"]

        def t(name):
            x = c.get(name)
            return f"{x['median_s']:.2f} s ({x['s_per_gb']:.2f} s/GB)" if x else "-"

        def m(name):
            x = c.get(name)
            return f"{x['peak_rss_mib']:.0f} MiB" if x else "-"

        ratio = s.get("pack_over_cp_sync")
        rows.append(
            f"| {s['minutes']} min | {s['bytes'] / 1e9:.2f} GB | {t('cp_sync')} | {t('pack_copy')} "
            f"| {ratio:.2f} | {t('check')} | {m('pack_copy')} | {m('check')} |"
            if ratio is not None
            else f"| {s['minutes']} min | {s['bytes'] / 1e9:.2f} GB | - | - | - | - | - | - |"
        )
    note = f" ({r['note']})" if r.get("note") else ""
    rows.append("")
    rows.append(
        f"Medians of {r['runs']} runs at revision {r['rev'][:7]}{' (dirty)' if r['dirty'] else ''}"
        f" on {r['machine'].get('cpu_model', '?')}{note}."
    )
    return "\n".join(rows)


def main():
    if len(sys.argv) == 2 and sys.argv[1].endswith(".json"):
        with open(sys.argv[1]) as f:
            print(markdown(json.load(f)))
        return
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)
    c = sub.add_parser("collect")
    c.add_argument("res")
    c.add_argument("--out", required=True)
    c.add_argument("--rev", required=True)
    c.add_argument("--dirty", default="false")
    c.add_argument("--binary", default="")
    c.add_argument("--runs", type=int, default=1)
    c.add_argument("--note", default="")
    collect(p.parse_args())


if __name__ == "__main__":
    main()
