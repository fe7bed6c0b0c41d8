#!/usr/bin/python3
"""bench/sessions/smaps.py LABEL=SMAPS...: what connd's RSS is made of, from
/proc/PID/smaps copies taken at several moments (e.g. idle, with N sessions,
after), one column each, in KiB: each mapped file's resident pages (its
text, read-only data and written data together; file pages count in RSS
though other processes share them), then the anonymous memory: the heap,
other anonymous mappings (glibc's mmapped blocks, libraries' own), the
stack, and the written pages of the files' data (relocations, .data, .bss)."""
import collections
import os
import sys


def read(path):
    rss = collections.Counter()
    name = None
    for line in open(path):
        f = line.split()
        if not f[0].endswith(':'):
            name = f[5] if len(f) >= 6 else '[anon]'
            if name.startswith('/'):
                name = os.path.basename(name)
            continue
        if f[0] == 'Rss:':
            file_kib = int(f[1])
        elif f[0] == 'Anonymous:':
            anon = int(f[1])
            if name.startswith('['):
                rss[name] += anon
            else:
                rss['file ' + name] += file_kib - anon
                rss['written data of files'] += anon
            rss['total'] += file_kib
    return rss


cols = [(arg.split('=', 1)[0], read(arg.split('=', 1)[1])) for arg in sys.argv[1:]]
keys = sorted({k for _, c in cols for k in c},
              key=lambda k: (k == 'total', not k.startswith('file '), -max(c[k] for _, c in cols)))
print('  %-32s' % 'RSS, KiB' + ''.join('%11s' % label for label, _ in cols))
for k in keys:
    if max(c[k] for _, c in cols) >= 8 or k == 'total':
        print('  %-32s' % k + ''.join('%11d' % c[k] for _, c in cols))
