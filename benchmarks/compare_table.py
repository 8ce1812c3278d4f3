#!/usr/bin/env python3
"""Prints the medians of a finished `bash benchmarks/compare.sh` run side by side, one row per measure:
the old side's runs, median and worst, the new side's runs and median, and whether the new median is
within the old worst (the rule docs/BENCHMARKS.md judges a change by).

    python3 benchmarks/compare_table.py bench-out/compare-YYYYMMDD-HHMMSS
"""
import re, glob, statistics, sys, os
d = sys.argv[1]
def parse(name, text):
    m = {}
    if name == 'latest':
        for line in text.splitlines():
            cells = [c.strip() for c in line.strip('|').split('|')]
            if cells and cells[0] in ('1,000', '10,000'):
                n = cells[0]
                nums = [re.match(r'([\d.]+)', c) for c in cells]
                if len(cells) >= 9:  # new format with --version
                    m[f'latest {n} runs: cairn latest ms'] = (float(nums[3].group(1)), 'lower')
                    m[f'latest {n} runs: cairn path ms'] = (float(nums[4].group(1)), 'lower')
                else:
                    m[f'latest {n} runs: cairn latest ms'] = (float(nums[2].group(1)), 'lower')
                    m[f'latest {n} runs: cairn path ms'] = (float(nums[3].group(1)), 'lower')
    elif name == 'checkpoint':
        size = None
        for line in text.splitlines():
            s = re.match(r'\| (\d+) MiB checkpoint', line)
            if s: size = s.group(1); continue
            cells = [c.strip() for c in line.strip('|').split('|')]
            if size == '1024' and len(cells) >= 4 and cells[0].startswith('register by'):
                kind = 'move fresh' if 'fresh' in cells[0] else ('move' if 'move' in cells[0] else 'copy')
                m[f'checkpoint 1 GiB register by {kind}: Cairn s'] = (float(cells[1]), 'lower')
    elif name == 'manifest':
        for key, pat in [('manifest cold ms', r'cold \(no snapshot\): ([\d.]+) ms'), ('manifest warm ms', r'warm .*?: ([\d.]+) ms'), ('manifest write snapshot ms', r'writing the snapshot: ([\d.]+) ms')]:
            r = re.search(pat, text)
            if r: m[key] = (float(r.group(1)), 'lower')
    elif name == 'adopt':
        for key, pat in [('adopt 100k named s', r'cairn adopt ([\d.]+) s'), ('adopt 100k auto s', r'auto.*?: ([\d.]+) s'), ('migrate 10k files s', r'system: ([\d.]+) s')]:
            r = re.search(pat, text)
            if r: m[key] = (float(r.group(1)), 'lower')
    elif name == 'metrics':
        for key, pat, better in [('metrics CSV M points/s', r'single-point call \| ([\d.]+) M', 'higher'), ('metrics EventFileWriter ms', r'EventFileWriter \(library\) \| ([\d.]+) ms', 'lower'),
                                 ('metrics tb export ms', r'`cairn tb export` \(process\) \| ([\d.]+) ms', 'lower'), ('metrics EventFileReader ms', r'EventFileReader \(library\) \| ([\d.]+) ms', 'lower'),
                                 ('metrics tb import ms', r'`cairn tb import` \(process, into CSV\) \| ([\d.]+) ms', 'lower')]:
            r = re.search(pat, text)
            if r: m[key] = (float(r.group(1)), better)
    return m
data = {}
for f in sorted(glob.glob(os.path.join(d, '*.txt'))):
    name, side, rnd = os.path.basename(f)[:-4].rsplit('-', 2)
    for k, (v, b) in parse(name, open(f).read()).items():
        data.setdefault(k, {'better': b, 'old': [], 'new': []})[side].append(v)
print('| measure | old runs | old median | old worst | new runs | new median | new median within old worst |')
print('|---|---|---:|---:|---|---:|:---:|')
for k, v in data.items():
    old, new = v['old'], v['new']
    if not old or not new: continue
    worst = max(old) if v['better'] == 'lower' else min(old)
    ok = statistics.median(new) <= worst if v['better'] == 'lower' else statistics.median(new) >= worst
    print(f"| {k} | {', '.join(map(str, old))} | {statistics.median(old)} | {worst} | {', '.join(map(str, new))} | {statistics.median(new)} | {'yes' if ok else '**no**'} |")
