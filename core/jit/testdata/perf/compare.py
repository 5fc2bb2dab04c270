#!/usr/bin/env python3
"""Interleaved A/B timing of whole processes by CPU time (user+sys of the
child, from getrusage), medians over rounds.

  compare.py ROUNDS NAME=CMD NAME=CMD ... -- PROG.bin ...

Each CMD gets the program file appended ({} in CMD is replaced by it
instead when present). Every round runs every command on every program,
in turn, so drifts in machine load hit all of them alike."""
import os, resource, statistics, subprocess, sys

def cpu_of(cmd):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(cmd, shell=True, check=True, stdout=subprocess.DEVNULL)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)

def main():
    rounds = int(sys.argv[1])
    i = sys.argv.index('--')
    cmds = [a.split('=', 1) for a in sys.argv[2:i]]
    progs = sys.argv[i + 1:]
    res = {(n, p): [] for n, _ in cmds for p in progs}
    for _ in range(rounds):
        for p in progs:
            for n, c in cmds:
                full = c.replace('{}', p) if '{}' in c else c + ' ' + p
                res[(n, p)].append(cpu_of(full))
    for p in progs:
        base = None
        for n, _ in cmds:
            v = res[(n, p)]
            med = statistics.median(v)
            if base is None:
                base = med
            print('%-28s %-10s median %.4f s  min %.4f  max %.4f  ratio-to-first %.3f' % (
                os.path.basename(p), n, med, min(v), max(v), base / med))

main()
