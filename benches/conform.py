#!/usr/bin/env python3
"""The conform benchmark's result file and its tables.

    conform.py collect RES --out FILE.json [facts]
        reads what benches/conform.sh left in RES (times.tsv: set, command,
        run, seconds, peak RSS in KiB, run 0 the warm-up; sets.tsv: set,
        minutes, files, bytes; commands.tsv; check.json: check's findings
        with conform on), writes one JSON result file and prints its tables.
    conform.py FILE.json
        prints the Markdown tables of a result file.
"""
import argparse
import datetime
import json
import sys

import report  # the machine facts, as benches/run.sh records them

NAMES = ["check_conform", "check_no_conform", "ffmpeg_ebur128"]
RSS_TARGET_MIB = 64
# (label, value key, target text, test)
TARGETS = [
    ("check with conform / without", "conform_over_no_conform", "<= 1.30", lambda r: r <= 1.30),
    ("ffmpeg ebur128 / check with conform", "ffmpeg_over_conform", ">= 5", lambda r: r >= 5.0),
]


def collect(a):
    sets = {}
    with open(f"{a.res}/sets.tsv") as f:
        for line in f:
            name, minutes, files, nbytes = line.split()
            sets[name] = {"minutes": float(minutes), "files": int(files), "bytes": int(float(nbytes)), "commands": {}}
    with open(f"{a.res}/commands.tsv") as f:
        lines = dict(line.rstrip("\n").split("\t", 1) for line in f)
    with open(f"{a.res}/times.tsv") as f:
        for line in f:
            name, cmd, run, secs, kib = line.split()
            c = sets[name]["commands"].setdefault(
                cmd, {"command": lines.get(cmd), "warmup_s": None, "seconds": [], "rss_kib": []}
            )
            if run == "0":
                c["warmup_s"] = float(secs)
                continue
            c["seconds"].append(float(secs))
            c["rss_kib"].append(int(kib))
    for s in sets.values():
        for c in s["commands"].values():
            c["best_s"] = min(c["seconds"])
            c["peak_rss_mib"] = round(max(c["rss_kib"]) / 1024, 1)
    session = sets["session"]
    cmds = session["commands"]
    session["audio_s"] = session["minutes"] * 60
    session["conform_over_no_conform"] = cmds["check_conform"]["best_s"] / cmds["check_no_conform"]["best_s"]
    session["ffmpeg_over_conform"] = cmds["ffmpeg_ebur128"]["best_s"] / cmds["check_conform"]["best_s"]
    targets = []
    for label, key, text, test in TARGETS:
        targets.append({"measure": label, "value": session[key], "target": text, "met": test(session[key])})
    rss = [(f"peak RSS of check with conform, {s['minutes']:g} min{' (sparse)' if k == 'sparse' else ''}, MiB",
            s["commands"]["check_conform"]["peak_rss_mib"]) for k, s in sets.items()]
    for label, v in rss:
        targets.append({"measure": label, "value": v, "target": f"< {RSS_TARGET_MIB}", "met": v < RSS_TARGET_MIB})
    findings = []
    try:
        with open(f"{a.res}/check.json") as f:
            findings = [
                x for x in json.load(f)["qc"]["findings"]
                if x["rule"].startswith("conform.") or x["rule"] == "loudness.dialogue"
            ]
    except (OSError, KeyError, ValueError):
        pass
    result = {
        "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "rev": a.rev,
        "dirty": a.dirty == "true",
        "binary": a.binary,
        "runs": a.runs,
        "note": a.note,
        "machine": report.machine(a.res),
        "loadavg": report.loadavg(a.res),
        "sets": sets,
        "conform_findings": findings,
        "targets": targets,
    }
    with open(a.out, "w") as f:
        json.dump(result, f, indent=1)
        f.write("\n")
    print(f"wrote {a.out}")
    print(markdown(result))


def markdown(r):
    s = r["sets"]["session"]
    rows = [
        f"Session: {s['minutes']:g} min, {s['files']} WAV files, {s['bytes'] / 1e9:.2f} GB; "
        f"sources cached (one warm-up run each); best of {r['runs']} runs.",
        "",
        "| command | best s | runs s | x real time | peak RSS |",
        "|---|--:|---|--:|--:|",
    ]
    for name in NAMES:
        c = s["commands"][name]
        runs = ", ".join(f"{x:.2f}" for x in c["seconds"])
        rows.append(
            f"| {name} | {c['best_s']:.2f} | {runs} | {s['audio_s'] / c['best_s']:.0f}x | {c['peak_rss_mib']:.1f} MiB |"
        )
    sp = r["sets"].get("sparse")
    if sp:
        rows.append("")
        rows.append(f"Sparse session (holes: silent, no disk): {sp['minutes']:g} min, {sp['bytes'] / 1e9:.2f} GB, one run.")
        rows.append("")
        rows.append("| command | s | peak RSS |")
        rows.append("|---|--:|--:|")
        for name in ("check_conform", "check_no_conform"):
            c = sp["commands"].get(name)
            if c:
                rows.append(f"| {name} | {c['best_s']:.2f} | {c['peak_rss_mib']:.1f} MiB |")
    rows.append("")
    rows.append("| measure | value | target | met |")
    rows.append("|---|--:|--:|:-:|")
    for t in r["targets"]:
        rows.append(f"| {t['measure']} | {t['value']:.3f} | {t['target']} | {'yes' if t['met'] else 'NO'} |")
    worse = [f for f in r.get("conform_findings", []) if f["severity"] != "info"]
    rows.append("")
    rows.append(
        f"Conform findings on the session: {len(r.get('conform_findings', []))}, "
        f"{len(worse)} above info{': ' + '; '.join(f['message'] for f in worse) if worse else ''}."
    )
    note = f" ({r['note']})" if r.get("note") else ""
    rows.append(
        f"Revision {r['rev'][:7]}{' (dirty)' if r['dirty'] else ''} on {r['machine'].get('nproc', '?')} cores, "
        f"{r['machine'].get('cpu_model', '?')}{note}."
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
