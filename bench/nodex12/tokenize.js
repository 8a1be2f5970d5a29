// Times node-x12's strict X12Parser on one X12 file, the baseline for the Go package adapters/edi/x12.
//
//   node tokenize.js FILE [RUNS]     (RUNS defaults to 20; one untimed warm-up run comes first)
//
// Prints one JSON line: {"file", "bytes", "runs", "segments", "ms_per_run", "max_rss_mib"}, where
// segments counts those between ST and SE; or {"file", "error"} and exits 1 when node-x12 refuses the file.
// The file is read once; each run parses the whole string into node-x12's object model, which is the
// work the Go Parse does (framing, envelopes, segments and elements).
'use strict'

const fs = require('fs')
const { performance } = require('perf_hooks')
const { X12Parser } = require('node-x12')

function main () {
  const [file, runsArg] = process.argv.slice(2)
  if (!file) {
    console.error('usage: node tokenize.js FILE [RUNS]')
    process.exit(2)
  }
  const runs = runsArg === undefined ? 20 : Number.parseInt(runsArg, 10)
  if (!Number.isInteger(runs) || runs < 1) {
    console.error(`RUNS must be a positive integer, got ${runsArg}`)
    process.exit(2)
  }
  const edi = fs.readFileSync(file, 'utf8')

  const count = (interchange) => interchange.functionalGroups
    .reduce((n, g) => n + g.transactions.reduce((m, t) => m + t.segments.length, 0), 0)

  let segments
  try {
    segments = count(new X12Parser(true).parse(edi)) // warm-up, and a check that it parses at all
  } catch (err) {
    console.log(JSON.stringify({ file, error: `${err.name}: ${err.message}` }))
    process.exit(1)
  }
  const start = performance.now()
  for (let i = 0; i < runs; i++) {
    new X12Parser(true).parse(edi)
  }
  const msPerRun = (performance.now() - start) / runs

  console.log(JSON.stringify({
    file,
    bytes: Buffer.byteLength(edi),
    runs,
    segments,
    ms_per_run: Number(msPerRun.toFixed(3)),
    // resourceUsage().maxRSS is in KiB
    max_rss_mib: Number((process.resourceUsage().maxRSS / 1024).toFixed(1))
  }))
}

main()
