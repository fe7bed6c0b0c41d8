#!/usr/bin/python3
"""bench/sessions/memory.py DIR N: what bench/sessions/memory.sh's tracer
saw (alloc-trace.c's snapshots 0: idle, 1: N sessions, 2: after they went).
Prints the bytes each session costs, live blocks plus glibc's 8-byte header,
by the first connd function on the stack, split into connd's own blocks
(through ELL's l_malloc/l_strdup/... only) and ELL's (made inside another
ELL function connd called, e.g. the D-Bus object tree); ELL's by the ELL
function that made them (libell is stripped: a static function shows as the
exported symbol before it); and the blocks made after snapshot 0 still
alive in snapshot 2, which pin heap pages after the sessions went."""
import bisect
import collections
import os
import subprocess
import sys

d, n = sys.argv[1], int(sys.argv[2])
# ELL's allocation wrappers: a block made through them alone is connd's own.
WRAPPERS = {'l_malloc', 'l_realloc', 'l_strdup', 'l_strndup', 'l_strdup_printf',
            'l_strdup_vprintf', 'l_strv_append', 'l_strv_copy', 'l_memdup'}
HEADER = 8


def read_maps():
    out = []
    for line in open('%s/maps.2' % d):
        f = line.split()
        if len(f) >= 6 and f[5].startswith('/'):
            lo, hi = (int(x, 16) for x in f[0].split('-'))
            out.append((lo, hi, int(f[2], 16), f[5]))
    return out


MAPS = read_maps()
BASES = {}
for lo, hi, off, path in MAPS:
    BASES.setdefault(path, lo - off)
SYMS = {}


def symbolize(addrs):
    """address -> (module basename, function)."""
    by_mod = collections.defaultdict(list)
    for a in addrs:
        mod = next((p for lo, hi, off, p in MAPS if lo <= a < hi), None)
        if mod:
            by_mod[mod].append(a)
        else:
            SYMS[a] = ('?', '?')
    for path, lst in by_mod.items():
        mod = os.path.basename(path)
        if 'connd' in mod:
            out = subprocess.run(['addr2line', '-f', '-e', path] +
                                 ['%x' % (a - BASES[path] - 1) for a in lst],
                                 capture_output=True, text=True).stdout.split('\n')
            for i, a in enumerate(lst):
                SYMS[a] = (mod, out[2 * i])
            continue
        dyn = []
        for line in subprocess.run(['nm', '-D', '--defined-only', path], capture_output=True,
                                   text=True).stdout.splitlines():
            f = line.split()
            if len(f) == 3 and f[1] in 'tTwW':
                dyn.append((int(f[0], 16), f[2].split('@')[0]))
        dyn.sort()
        keys = [k for k, _ in dyn]
        for a in lst:
            i = bisect.bisect_right(keys, a - BASES[path]) - 1
            SYMS[a] = (mod, dyn[i][1] if i >= 0 else '?')


STACKS = {}
for line in open('%s/stacks.2' % d):
    f = line.split()
    STACKS[int(f[0])] = [int(x, 16) for x in f[1:]]
symbolize({a for s in STACKS.values() for a in s})


def frames(sid):
    return [SYMS[a] for a in STACKS[sid]
            if 'libc.so' not in SYMS[a][0] and 'alloc-trace' not in SYMS[a][0]]


def owner(sid):
    """(connd function, 'connd' or 'ELL <function>')."""
    made_by = None
    for mod, fn in frames(sid):
        if 'connd' in mod:
            return fn, made_by or 'connd'
        if fn not in WRAPPERS and made_by is None:
            made_by = 'ELL ' + fn
    return '?', made_by or '?'


def ell_chain(sid):
    chain = []
    for mod, fn in frames(sid):
        chain.append(fn)
        if 'connd' in mod:
            break
    return ' < '.join(chain)


def load(i):
    rows = []
    for line in open('%s/snap.%d' % (d, i)):
        f = line.split()
        rows.append((int(f[0]), int(f[1]) + HEADER, int(f[2])))
    return rows


snaps = [load(i) for i in range(3)]


def per_session(key):
    bytes_, blocks = collections.Counter(), collections.Counter()
    for rows, sign in ((snaps[1], 1), (snaps[0], -1)):
        for _, size, sid in rows:
            k = key(sid)
            bytes_[k] += sign * size
            blocks[k] += sign
    return [(k, bytes_[k] / n, blocks[k] / n) for k in sorted(bytes_, key=lambda k: -bytes_[k])
            if abs(bytes_[k]) / n >= 0.5]


print('bytes per session, %d sessions (live blocks + %d-byte header, at N minus idle)' % (n, HEADER))
total = collections.Counter()
for (fn, who), b, c in per_session(owner):
    print('  %7.1f B %5.2f blocks  %-28s %s' % (b, c, fn, who))
    total['ELL' if who.startswith('ELL') else 'connd'] += b
print('  connd own: %.1f B/session; ELL: %.1f B/session' % (total['connd'], total['ELL']))
print('\nELL per session, by the function that made the block')
for k, b, c in per_session(lambda sid: ell_chain(sid) if owner(sid)[1].startswith('ELL') else None):
    if k:
        print('  %7.1f B %5.2f blocks  %s' % (b, c, k))
print('\nidle: live blocks by the connd function that made them (+ header), %d B in all' %
      sum(size for _, size, _ in snaps[0]))
idle = collections.defaultdict(lambda: [0, 0])
for _, size, sid in snaps[0]:
    idle[owner(sid)][0] += size
    idle[owner(sid)][1] += 1
for (fn, who), (b, c) in sorted(idle.items(), key=lambda kv: -kv[1][0])[:25]:
    print('  %7d B %5d blocks  %-28s %s' % (b, c, fn, who))
seq0 = max(s for s, _, _ in snaps[0])
left = collections.defaultdict(lambda: [0, 0])
for s, size, sid in snaps[2]:
    if s > seq0:
        left[sid][0] += 1
        left[sid][1] += size
print('\nmade while the sessions lived (after idle), alive after they went')
for sid, (c, b) in sorted(left.items(), key=lambda kv: -kv[1][1]):
    print('  %6d B %4d blocks  %s' % (b, c, ' < '.join(fn for _, fn in frames(sid)[:7])))
print('  total %d B' % sum(b for _, b in left.values()))
