#!/usr/bin/env python3
"""The benchmark's result file and its tables.

    report.py collect RES --out FILE.json [facts] -- SOURCE...
        reads what benches/run.sh left in RES (hyperfine's JSON exports,
        /usr/bin/time -v outputs, ffmpeg's ebur128 metadata, check's JSON),
        writes one JSON result file with the machine and the revision, and
        prints its tables.
    report.py FILE.json
        prints the Markdown tables of a result file (the README's `## Speed`
        table is pasted from this).
"""
import argparse
import datetime
import json
import math
import os
import platform
import re
import shutil
import subprocess
import sys

# Name: (what the command does, the bytes it reads: "all", "me" or None).
COMMANDS = {
    "cp_sync": ("`cp` of the sources, then `sync` of the copies", "all"),
    "rsync_sync": ("`rsync -a` of the sources, then `sync` of the copies", "all"),
    "pack_copy": ("`pack --link copy --no-verify`", "all"),
    "cp_sync_readback": ("`cp`, `sync`, drop the copies' cache, `sha256sum` + `xxhsum -H64` of them", "all"),
    "pack_copy_verify": ("`pack --link copy` (read-back of the copies)", "all"),
    "pack_hardlink": ("`pack --link hardlink --no-verify`", "all"),
    "openssl_sha256": ("`openssl dgst -sha256` of the sources", "all"),
    "sha256sum_xxhsum": ("`sha256sum` + `xxhsum -H64` of the sources", "all"),
    "verify": ("`verify` of the delivery (SHA-256 + xxHash64)", "all"),
    "ffmpeg_ebur128": ("`ffmpeg -af ebur128=peak=true` of the M&E", "me"),
    "check_me": ("`check --json` of a job with the M&E alone", "me"),
    "probe_1000": ("`probe --json` of 1,000 small WAV files", None),
}
# (label, numerator, denominator or None for the command's GB/s, target, test)
RATIOS = [
    ("pack copy / (cp + sync)", "pack_copy", "cp_sync", "<= 1.25", lambda r: r <= 1.25),
    ("pack copy / (rsync -a + sync)", "pack_copy", "rsync_sync", None, None),
    ("pack copy + read-back / (cp + sync + read-back digests)", "pack_copy_verify", "cp_sync_readback", "<= 1.25",
     lambda r: r <= 1.25),
    ("pack hardlink, GB/s", "pack_hardlink", None, ">= 1.0", lambda r: r >= 1.0),
    ("check M&E, GB/s", "check_me", None, ">= 1.0", lambda r: r >= 1.0),
    ("check M&E / ffmpeg ebur128", "check_me", "ffmpeg_ebur128", "<= 0.05", lambda r: r <= 0.05),
    ("verify / openssl dgst -sha256", "verify", "openssl_sha256", "<= 1.1", lambda r: r <= 1.1),
    ("verify / (sha256sum + xxhsum)", "verify", "sha256sum_xxhsum", None, None),
]
RSS_TARGET_MIB = 64
PROBE_TARGET_S = 0.5
TRUE_PEAK_TARGET_DB = 0.05


def first_line(cmd):
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, check=False)
        return (out.stdout or out.stderr).strip().splitlines()[0]
    except (OSError, IndexError):
        return None


def machine(work):
    cpu = None
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    mem_kib = None
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith("MemTotal:"):
                mem_kib = int(line.split()[1])
    return {
        "cpu_model": cpu,
        "nproc": os.cpu_count(),
        "mem_total_gib": round(mem_kib / 2**20, 1) if mem_kib else None,
        "kernel": f"{platform.system()} {platform.release()}",
        "bench_dir_filesystem": first_line(["stat", "-f", "-c", "%T", work]),
        "bench_dir_free_gb_after": round(shutil.disk_usage(work).free / 1e9, 1),
    }


def loadavg(res):
    rows = []
    with open(os.path.join(res, "loadavg.txt")) as f:
        for line in f:
            at, *vals = line.split()
            rows.append({"at": at, "1m": float(vals[0]), "5m": float(vals[1]), "15m": float(vals[2])})
    return rows


def command_lines(res):
    with open(os.path.join(res, "commands.tsv")) as f:
        return dict(line.rstrip("\n").split("\t", 1) for line in f)


def commands(res, total_bytes, me_bytes, audio_s):
    lines = command_lines(res)
    out = {}
    for group in ("write", "read", "probe"):
        with open(os.path.join(res, f"{group}.json")) as f:
            for r in json.load(f)["results"]:
                name = r["command"]
                size = {"all": total_bytes, "me": me_bytes, None: None}[COMMANDS[name][1]]
                c = {
                    "group": group,
                    "does": COMMANDS[name][0],
                    "command": lines[name],
                    "prepare": lines.get(f"prepare:{group}"),
                    "runs": len(r["times"]),
                    "median_s": r["median"],
                    "min_s": r["min"],
                    "max_s": r["max"],
                    "mean_s": r["mean"],
                    "stddev_s": r.get("stddev"),
                    "cpu_user_s": r["user"],
                    "cpu_system_s": r["system"],
                    "times_s": r["times"],
                }
                if size:
                    c["bytes"] = size
                    c["gb_per_s"] = size / 1e9 / r["median"]
                    c["cpu_s_per_gb"] = (r["user"] + r["system"]) / (size / 1e9)
                if COMMANDS[name][1] == "me":
                    c["x_real_time"] = audio_s / r["median"]
                out[name] = c
    return out


def rss_mib(res, name):
    with open(os.path.join(res, name)) as f:
        m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", f.read())
    return int(m.group(1)) / 1024 if m else None


def true_peak(res):
    """ffmpeg's last per-channel true peak (linear, printed to 3 decimals)
    against check's per-channel `true_peak_dbtp`."""
    last = {}
    with open(os.path.join(res, "ffmpeg_meta.txt")) as f:
        for line in f:
            m = re.match(r"lavfi\.r128\.true_peaks_ch(\d+)=(\S+)", line)
            if m:
                last[int(m.group(1))] = float(m.group(2))
    with open(os.path.join(res, "check.json")) as f:
        measured = json.load(f)["qc"]["measurements"]
    if len(measured) != 1:
        sys.exit(f"check.json: expected the M&E's measurements alone, found {len(measured)}")
    ours = measured[0]["true_peak_dbtp"]
    if sorted(last) != list(range(len(ours))):
        sys.exit(f"ffmpeg printed channels {sorted(last)}, check measured {len(ours)}")
    chans = []
    for ch, ours_db in enumerate(ours):
        lin = last[ch]
        ff_db = 20 * math.log10(lin) if lin > 0 else None
        row = {"channel": ch, "ffmpeg_linear": lin, "ffmpeg_dbtp": ff_db, "mnepack_dbtp": ours_db}
        if ff_db is not None and ours_db is not None:
            # The printed value stands for [lin - 0.0005, lin + 0.0005].
            lo, hi = 20 * math.log10(max(lin - 0.0005, 1e-12)), 20 * math.log10(lin + 0.0005)
            row["diff_db"] = ours_db - ff_db
            row["ffmpeg_rounding_db"] = max(ff_db - lo, hi - ff_db)
            row["beyond_rounding_db"] = max(0.0, lo - ours_db, ours_db - hi)
        chans.append(row)
    diffs = [c for c in chans if "diff_db" in c]
    return {
        "ffmpeg": "ebur128=peak=true:metadata=1, last lavfi.r128.true_peaks_chN (linear, 3 decimals) as 20*log10",
        "mnepack": "check --json: qc.measurements[0].true_peak_dbtp",
        "channels": chans,
        "max_abs_diff_db": max((abs(c["diff_db"]) for c in diffs), default=None),
        "max_ffmpeg_rounding_db": max((c["ffmpeg_rounding_db"] for c in diffs), default=None),
        "max_beyond_rounding_db": max((c["beyond_rounding_db"] for c in diffs), default=None),
    }


def ratios(cmds, rss, tp):
    rows = []
    for label, a, b, target, ok in RATIOS:
        if a not in cmds or (b is not None and b not in cmds):
            continue
        v = cmds[a]["median_s"] / cmds[b]["median_s"] if b else cmds[a]["gb_per_s"]
        rows.append({"measure": label, "value": v, "target": target, "met": ok(v) if ok else None})
    if "probe_1000" in cmds:
        v = cmds["probe_1000"]["median_s"]
        rows.append({"measure": "probe of 1,000 files, s", "value": v, "target": f"< {PROBE_TARGET_S}",
                     "met": v < PROBE_TARGET_S})
    for key, label in (("pack_copy_verify", "peak RSS of pack, MiB"), ("check_me", "peak RSS of check, MiB")):
        if rss.get(key) is not None:
            rows.append({"measure": label, "value": rss[key], "target": f"<= {RSS_TARGET_MIB}",
                         "met": rss[key] <= RSS_TARGET_MIB})
    if tp["max_abs_diff_db"] is not None:
        v = tp["max_abs_diff_db"]
        rows.append({"measure": "true peak, largest per-channel difference from ffmpeg, dB", "value": v,
                     "target": f"<= {TRUE_PEAK_TARGET_DB}", "met": v <= TRUE_PEAK_TARGET_DB})
    return rows


def collect(a):
    res = a.res
    total_bytes = sum(os.path.getsize(p) for p in a.sources)
    me_bytes = os.path.getsize(a.me)
    audio_s = a.minutes * 60
    cmds = commands(res, total_bytes, me_bytes, audio_s)
    rss = {"pack_copy_verify": rss_mib(res, "time_pack.txt"), "check_me": rss_mib(res, "time_check.txt")}
    tp = true_peak(res)
    m = machine(a.work)
    m["loadavg"] = loadavg(res)
    tools = {t: first_line(cmd) for t, cmd in {
        "hyperfine": ["hyperfine", "--version"], "ffmpeg": ["ffmpeg", "-version"],
        "openssl": ["openssl", "version"], "rsync": ["rsync", "--version"],
        "xxhsum": ["xxhsum", "--version"], "coreutils": ["cp", "--version"],
    }.items()}
    return {
        "schema": 1,
        "date_utc": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "command": f"benches/run.sh {a.minutes} {a.ref_mb} {a.runs}",
        "note": a.note or None,
        "revision": {"commit": a.rev, "dirty": a.dirty == "true", "binary": a.binary,
                     "binary_version": first_line([a.binary, "--version"])},
        "machine": m,
        "tools": tools,
        "data_set": {"minutes": a.minutes, "ref_mib": a.ref_mb, "files": len(a.sources), "bytes": total_bytes,
                     "me_bytes": me_bytes, "audio_seconds": audio_s, "probe_files": a.probe_files,
                     "runs": a.runs, "warmup_runs": 1, "page_cache": "sources cached, nothing dirty before each run"},
        "commands": cmds,
        "peak_rss_mib": rss,
        "ratios": ratios(cmds, rss, tp),
        "true_peak": tp,
    }


def fmt(v, digits=3):
    return "n/a" if v is None else f"{v:.{digits}f}"


def markdown(r, path):
    m, d = r["machine"], r["data_set"]
    rev = r["revision"]
    loads = ", ".join(f"{x['at']} {x['1m']:.2f}" for x in m["loadavg"])
    print(f"Result file: `{path}` (`{r['command']}`, {r['date_utc']}), revision {rev['commit'][:9]}"
          f"{' with uncommitted changes' if rev['dirty'] else ''}.")
    print(f"Machine: {m['cpu_model']}, {m['nproc']} cores, {m['mem_total_gib']} GiB, {m['kernel']}, "
          f"{m['bench_dir_filesystem']}; load average (1 min): {loads}.")
    if r.get("note"):
        print(f"Note: {r['note']}")
    print(f"Data set: {d['bytes'] / 1e9:.2f} GB in {d['files']} files ({d['minutes']} min of audio; "
          f"M&E {d['me_bytes'] / 1e9:.2f} GB); {d['page_cache']}; {d['runs']} runs + {d['warmup_runs']} warm-up.")
    print()
    print("| command | does | median s | min s | max s | GB/s | CPU s/GB |")
    print("|---|---|--:|--:|--:|--:|--:|")
    for name, c in r["commands"].items():
        print(f"| {name} | {c['does']} | {fmt(c['median_s'])} | {fmt(c['min_s'])} | {fmt(c['max_s'])} | "
              f"{fmt(c.get('gb_per_s'), 2)} | {fmt(c.get('cpu_s_per_gb'), 2)} |")
    rt = [f"{n} {c['x_real_time']:.0f}x" for n, c in r["commands"].items() if "x_real_time" in c]
    if rt:
        print(f"\nSpeed over real time ({d['minutes']} min of 5.1 audio): {', '.join(rt)}.")
    print()
    print("| measure | value | target | met |")
    print("|---|--:|--:|:-:|")
    for row in r["ratios"]:
        met = "-" if row["met"] is None else ("yes" if row["met"] else "NO")
        print(f"| {row['measure']} | {fmt(row['value'])} | {row['target'] or ''} | {met} |")
    tp = r["true_peak"]
    print()
    if tp["max_abs_diff_db"] is not None:
        print(f"True peak per channel: the largest difference is {tp['max_abs_diff_db']:.3f} dB; ffmpeg prints "
              f"linear values to 3 decimals, which rounds by up to ±{tp['max_ffmpeg_rounding_db']:.3f} dB here, "
              f"and mnepack is {tp['max_beyond_rounding_db']:.3f} dB outside that rounding at most.")
        print()
    print("| channel | ffmpeg (linear) | ffmpeg dBTP | mnepack dBTP | diff dB | ffmpeg rounding ± dB |")
    print("|--:|--:|--:|--:|--:|--:|")
    for c in tp["channels"]:
        print(f"| {c['channel']} | {c['ffmpeg_linear']:.3f} | {fmt(c['ffmpeg_dbtp'])} | {fmt(c['mnepack_dbtp'])} | "
              f"{fmt(c.get('diff_db'))} | {fmt(c.get('ffmpeg_rounding_db'))} |")


def main():
    if len(sys.argv) == 2 and sys.argv[1].endswith(".json"):
        with open(sys.argv[1]) as f:
            markdown(json.load(f), os.path.relpath(sys.argv[1]))
        return
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("mode", choices=["collect"])
    p.add_argument("res")
    p.add_argument("sources", nargs="+")
    for flag in ("--out", "--rev", "--dirty", "--binary", "--work", "--me"):
        p.add_argument(flag, required=True)
    p.add_argument("--note", default="")
    for flag in ("--minutes", "--ref-mb", "--runs", "--probe-files"):
        p.add_argument(flag, type=int, required=True)
    a = p.parse_args()
    result = collect(a)
    with open(a.out, "w") as f:
        json.dump(result, f, indent=1)
        f.write("\n")
    markdown(result, os.path.relpath(a.out))


if __name__ == "__main__":
    main()
