#!/usr/bin/python3
"""Summarizes a tools/run-python-tests.sh run: one line per test, then the counts per suite.

PASSED / SKIPPED (by the suite itself) / FAILED with the first line of its error /
N/A: a failure of a test that not-applicable.tsv lists, with the reason given there.
Reads RESULTS/<suite>.xml (pytest's JUnit XML) and RESULTS/confluent-script.tsv
(integration_test.py: "modes<TAB>verdict<TAB>error").
Usage: summarize.py RESULTS_DIR NOT_APPLICABLE.tsv
  NOT_APPLICABLE.tsv: "suite<TAB>regular expression on the test id<TAB>reason" per line
  ('#' starts a comment line). Exit status 1 when a test not listed there failed.
"""
import glob
import os
import re
import sys
import xml.etree.ElementTree as ET


def load_not_applicable(path):
    entries = []
    with open(path) as f:
        for line in f:
            if line.strip() == '' or line.startswith('#'):
                continue
            suite, pattern, reason = line.rstrip('\n').split('\t')
            entries.append((suite, re.compile(pattern), reason))
    return entries


def first_line(text):
    return next((l.strip() for l in (text or '').splitlines() if l.strip()), '')[:160]


def pytest_results(path):
    """(test id, verdict, detail) per test case of a JUnit XML file."""
    for case in ET.parse(path).getroot().iter('testcase'):
        test_id = '%s::%s' % (case.get('classname', ''), case.get('name', ''))
        problem = case.find('failure')
        if problem is None:
            problem = case.find('error')
        if problem is not None:
            yield test_id, 'FAILED', first_line(problem.get('message') or problem.text)
        elif case.find('skipped') is not None:
            yield test_id, 'SKIPPED', first_line(case.find('skipped').get('message'))
        else:
            yield test_id, 'PASSED', ''


def script_results(path):
    with open(path) as f:
        for line in f:
            modes, verdict, error = (line.rstrip('\n').split('\t') + ['', ''])[:3]
            yield 'integration_test.py ' + modes, verdict, error


def main(results_dir, na_file):
    not_applicable = load_not_applicable(na_file)
    runs = []
    for path in sorted(glob.glob(os.path.join(results_dir, '*.xml'))):
        runs.append((os.path.basename(path)[:-len('.xml')], pytest_results(path)))
    script = os.path.join(results_dir, 'confluent-script.tsv')
    if os.path.exists(script):
        runs.append(('confluent', script_results(script)))
    runs.sort(key=lambda run: run[0])
    counts = {}
    failed = 0
    for suite, results in runs:
        suite_counts = counts.setdefault(suite, {'PASSED': 0, 'FAILED': 0, 'N/A': 0, 'SKIPPED': 0})
        for test_id, verdict, detail in results:
            if verdict == 'FAILED':
                reason = next((r for s, p, r in not_applicable if s == suite and p.search(test_id)), None)
                if reason is not None:
                    verdict, detail = 'N/A', '(%s)' % reason
                else:
                    failed += 1
            suite_counts[verdict] += 1
            print('%-8s %s: %s  %s' % (verdict, suite, test_id, detail if verdict != 'PASSED' else ''))
    print()
    for suite, c in counts.items():
        print('%s: %d passed, %d failed, %d not applicable, %d skipped by the suite'
              % (suite, c['PASSED'], c['FAILED'], c['N/A'], c['SKIPPED']))
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1], sys.argv[2]))
