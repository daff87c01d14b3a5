"""Executes Jupyter notebooks with nbclient and reports the first failing cell of each.

Usage: /usr/bin/python3 run.py [--out DIR] [--timeout SECONDS] [--cwd DIR] [--require-picture] NOTEBOOK...

Each notebook runs in a fresh kernel (the one its metadata.kernelspec names) with its own folder, or the
--cwd folder, as the working directory. The executed copy goes to DIR (default $TMPDIR/tapegrad-notebooks),
never over the notebook. tslab reports a failing cell with an empty ename and puts the message on the
cell's stderr, so a failure prints the cell's source, its stderr and any traceback. Exits 1 if any
notebook fails. Needs Debian's python3-nbclient (apt-get install python3-nbclient).
"""
import argparse
import os
import re
import sys
import tempfile
import time

import nbformat
from nbclient import NotebookClient

# tslab's handlers for errors that escape a cell (a rejected promise nobody awaits, a throwing timer) print
# these on stderr while the cell is reported ok, so they count as failures too. (One that fires after its
# cell has finished is lost: Jupyter drops output that comes after the cell's idle message.)
ESCAPED = re.compile(r'^(UnhandledPromiseRejection|UncaughtException):', re.M)
ANSI = re.compile(r'\x1b\[[0-9;]*m')


def block(title, text):
    return f'  {title}:\n' + '\n'.join('    | ' + line for line in text.rstrip('\n').split('\n'))


def cell_problem(cell, reply):
    """The error report of an executed code cell, or None if it ran cleanly."""
    outputs = cell.get('outputs', [])
    stderr = ''.join(o.get('text', '') for o in outputs if o.get('output_type') == 'stream' and o.get('name') == 'stderr')
    errors = [o for o in outputs if o.get('output_type') == 'error']
    content = (reply or {}).get('content', {})
    if content.get('status', 'ok') == 'ok' and not errors and not ESCAPED.search(stderr):
        return None
    parts = [block('source', cell.source)]
    if stderr.strip():
        parts.append(block('stderr', stderr))
    for o in errors:
        parts.append(block('error', ANSI.sub('', '\n'.join(o.get('traceback') or [])) or f"{o.get('ename')}: {o.get('evalue')}"))
    if not errors and (content.get('ename') or content.get('evalue')):
        parts.append(block('error', f"{content.get('ename')}: {content.get('evalue')}"))
    if len(parts) == 1:
        parts.append(f"  the kernel replied status={content.get('status')!r} and showed no error text")
    return '\n'.join(parts)


def pictures(nb):
    """How many pictures the executed notebook shows: SVG or PNG outputs, and HTML holding an <img> or <svg>."""
    count = 0
    for cell in nb.cells:
        for o in cell.get('outputs', []):
            data = o.get('data', {})
            html = data.get('text/html', '')
            html = ''.join(html) if isinstance(html, list) else html
            if 'image/svg+xml' in data or 'image/png' in data or '<img' in html or '<svg' in html:
                count += 1
    return count


def run_notebook(path, out_dir, timeout, cwd, need_picture=False):
    """Executes one notebook and writes the executed copy; returns None if it passed, else a report."""
    nb = nbformat.read(path, as_version=4)
    replies = {}

    def on_executed(cell, cell_index, execute_reply):
        replies[cell_index] = execute_reply

    kernel = nb.metadata.get('kernelspec', {}).get('name', '')
    client = NotebookClient(nb, timeout=timeout, kernel_name=kernel, allow_errors=False, on_cell_executed=on_executed,
                            resources={'metadata': {'path': cwd or os.path.dirname(os.path.abspath(path))}})
    crash = None
    try:
        client.execute()
    except Exception as e:  # a failing cell (reported below), a timeout, a kernel that died or never started
        crash = e
    finally:
        os.makedirs(out_dir, exist_ok=True)
        nbformat.write(nb, os.path.join(out_dir, os.path.basename(path)))

    for index, cell in enumerate(nb.cells):
        problem = cell_problem(cell, replies[index]) if index in replies else None
        if problem:
            count = cell.get('execution_count')
            return f'cell {index + 1} of {len(nb.cells)}' + (f' (In [{count}])' if count else '') + f' failed\n{problem}'
    if crash is not None:
        return f'{type(crash).__name__}: {ANSI.sub("", str(crash))}'
    if need_picture and pictures(nb) == 0:
        return 'it ran, but its outputs hold no picture (no SVG, PNG or HTML image); every teaching notebook shows one'
    return None


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('notebooks', nargs='+')
    ap.add_argument('--out', default=os.path.join(tempfile.gettempdir(), 'tapegrad-notebooks'),
                    help='folder for the executed copies')
    ap.add_argument('--timeout', type=int, default=600, help='seconds per cell')
    ap.add_argument('--cwd', help="the kernels' working directory (default: each notebook's folder)")
    ap.add_argument('--require-picture', action='store_true', help='fail a notebook whose outputs show no picture')
    args = ap.parse_args()

    failed = 0
    for path in args.notebooks:
        start = time.monotonic()
        report = run_notebook(path, args.out, args.timeout, args.cwd, args.require_picture)
        took = f'{time.monotonic() - start:.1f} s'
        if report:
            failed += 1
            print(f'FAIL {os.path.basename(path)} ({took}): {report}\n', flush=True)
        else:
            print(f'ok   {os.path.basename(path)} ({took})', flush=True)
    print(f'executed copies in {args.out}')
    print(f'notebooks: {len(args.notebooks) - failed} passed, {failed} failed')
    sys.exit(1 if failed else 0)


if __name__ == '__main__':
    main()
