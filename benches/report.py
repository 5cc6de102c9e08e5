#!/usr/bin/env python3
"""Prints the benchmark table from hyperfine's JSON exports and /usr/bin/time
outputs written by benches/run.sh: median times, throughput, the ratios of
issue "Speed" with their targets, peak memory, and the true-peak agreement
with ffmpeg."""
import json
import os
import platform
import re
import sys

res, total_bytes, me_bytes, minutes = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]


def medians(name):
    with open(os.path.join(res, name)) as f:
        return {r["command"]: r["median"] for r in json.load(f)["results"]}


t = {}
for n in ("write.json", "read.json", "verify.json"):
    t.update(medians(n))


def rss_mib(name):
    try:
        text = open(os.path.join(res, name)).read()
    except OSError:
        return None
    m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", text)
    return int(m.group(1)) / 1024 if m else None


def max_key(node, key):
    best = None
    if isinstance(node, dict):
        for k, v in node.items():
            if k == key and isinstance(v, list):
                vals = [x for x in v if isinstance(x, (int, float))]
                if vals:
                    best = max(vals) if best is None else max(best, max(vals))
            else:
                sub = max_key(v, key)
                if sub is not None:
                    best = sub if best is None else max(best, sub)
    elif isinstance(node, list):
        for v in node:
            sub = max_key(v, key)
            if sub is not None:
                best = sub if best is None else max(best, sub)
    return best


def ffmpeg_true_peak():
    try:
        text = open(os.path.join(res, "ffmpeg.txt")).read()
    except OSError:
        return None
    m = re.search(r"True peak:\s*\n\s*Peak:\s*(-?[\d.]+|-inf) dBFS", text)
    return float(m.group(1)) if m else None


def ours_true_peak():
    try:
        return max_key(json.load(open(os.path.join(res, "check.json"))), "true_peak_dbtp")
    except (OSError, ValueError):
        return None


gb = total_bytes / 1e9
cpuinfo = ""
try:
    for line in open("/proc/cpuinfo"):
        if line.startswith("model name"):
            cpuinfo = line.split(":", 1)[1].strip()
            break
except OSError:
    pass
print()
print(f"machine: {cpuinfo}, {os.cpu_count()} cores, {platform.system()} {platform.release()}")
print(f"data set: {gb:.2f} GB ({minutes} min of audio); M&E {me_bytes / 1e9:.2f} GB; warm page cache; medians")
print()
print(f"| {'command':<18} | {'median s':>9} | {'GB/s':>6} |")
print(f"|{'-' * 20}|{'-' * 11}|{'-' * 8}|")
for name, secs in t.items():
    size = me_bytes if name in ("ffmpeg_ebur128", "check_me") else total_bytes
    rate = "" if name == "probe_1000" else f"{size / 1e9 / secs:6.2f}"
    print(f"| {name:<18} | {secs:9.3f} | {rate:>6} |")
print()


def ratio(a, b):
    return t[a] / t[b] if a in t and b in t else None


rows = [
    ("pack copy, no read-back / cp", ratio("pack_copy", "cp"), "<= 1.15", lambda r: r <= 1.15),
    ("pack copy + verify / (cp + sha256sum)", ratio("pack_copy_verify", "cp_sha256sum"), "<= 0.6", lambda r: r <= 0.6),
    ("pack hardlink, GB/s", gb / t["pack_hardlink"] if "pack_hardlink" in t else None, ">= 1.0", lambda r: r >= 1.0),
    ("check M&E / ffmpeg ebur128", ratio("check_me", "ffmpeg_ebur128"), "<= 0.2", lambda r: r <= 0.2),
    ("verify / openssl dgst -sha256", ratio("verify", "openssl"), "<= 1.1", lambda r: r <= 1.1),
    ("probe of 1,000 files, s", t.get("probe_1000"), "< 0.5", lambda r: r < 0.5),
    ("peak RSS of pack, MiB", rss_mib("time_pack.txt"), "<= 64", lambda r: r <= 64),
    ("peak RSS of check, MiB", rss_mib("time_check.txt"), "<= 64", lambda r: r <= 64),
]
tp_ff, tp_us = ffmpeg_true_peak(), ours_true_peak()
if tp_ff is not None and tp_us is not None:
    rows.append(("true peak |ours - ffmpeg|, dB", abs(tp_ff - tp_us), "<= 0.05", lambda r: r <= 0.05))
print(f"| {'measure':<38} | {'value':>8} | {'target':>8} | met |")
print(f"|{'-' * 40}|{'-' * 10}|{'-' * 10}|-----|")
for label, value, target, ok in rows:
    if value is None:
        print(f"| {label:<38} | {'n/a':>8} | {target:>8} |  -  |")
    else:
        print(f"| {label:<38} | {value:8.3f} | {target:>8} | {'yes' if ok(value) else 'NO':>3} |")
if tp_ff is not None and tp_us is not None:
    print(f"\ntrue peak of the M&E: ffmpeg {tp_ff:.2f} dBFS, mnepack {tp_us:.2f} dBTP")
