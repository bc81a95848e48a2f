// Summarizes a jest --json result of kafkajs's test suite run against Gregor
// (tools/run-kafkajs-tests.sh): one line per test, then the counts.
//   PASSED / SKIPPED (by the suite itself) / FAILED with the first line of its error /
//   N/A: a failure of a test that not-applicable.tsv lists, with the reason given there.
// Usage: node summarize.mjs RESULT.json NOT_APPLICABLE.tsv
//   NOT_APPLICABLE.tsv: "spec file<TAB>regular expression on the test's full name<TAB>reason"
//   per line ('#' starts a comment line).
// Exit status: 1 when a test not listed as not applicable failed, or a spec file did not run.
import { readFileSync } from 'node:fs'

const [resultFile, naFile] = process.argv.slice(2)
const result = JSON.parse(readFileSync(resultFile, 'utf8'))
const notApplicable = readFileSync(naFile, 'utf8')
  .split('\n')
  .filter(line => line.trim() !== '' && !line.startsWith('#'))
  .map(line => {
    const [file, pattern, reason] = line.split('\t')
    return { file, pattern: new RegExp(pattern), reason }
  })

const VERDICTS = { passed: 'PASSED', failed: 'FAILED', pending: 'SKIPPED', skipped: 'SKIPPED', todo: 'SKIPPED' }
const counts = { PASSED: 0, FAILED: 0, 'N/A': 0, SKIPPED: 0 }
let brokenFiles = 0

const firstLine = text =>
  text.replace(/\x1b\[[0-9;]*m/g, '').split('\n').map(l => l.trim()).find(l => l !== '') ?? ''

const naReason = (file, name) =>
  notApplicable.find(na => na.file === file && na.pattern.test(name))?.reason

const lines = []
for (const suite of result.testResults) {
  const file = suite.name.slice(suite.name.lastIndexOf('/src/') + 1)
  if (suite.assertionResults.length === 0 && suite.status === 'failed') {
    brokenFiles++
    lines.push(`FAILED   ${file}  (did not run: ${firstLine(suite.message).slice(0, 160)})`)
    continue
  }
  for (const t of suite.assertionResults) {
    let verdict = VERDICTS[t.status] ?? t.status
    let why = ''
    if (verdict === 'FAILED') {
      const reason = naReason(file, t.fullName)
      if (reason !== undefined) {
        verdict = 'N/A'
        why = `  (${reason})`
      } else {
        why = `  ${firstLine(t.failureMessages.join('\n')).slice(0, 160)}`
      }
    }
    counts[verdict] = (counts[verdict] ?? 0) + 1
    lines.push(`${verdict.padEnd(8)} ${file} > ${t.fullName}${why}`)
  }
}
lines.sort()
console.log(lines.join('\n'))
console.log(
  `\n${counts.PASSED} passed, ${counts.FAILED} failed, ${counts['N/A']} not applicable, ` +
    `${counts.SKIPPED} skipped by the suite; ${result.numTotalTestSuites} spec files` +
    (brokenFiles > 0 ? `, ${brokenFiles} of them did not run` : '')
)
process.exit(counts.FAILED > 0 || brokenFiles > 0 ? 1 : 0)
