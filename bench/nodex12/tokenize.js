// Times node-x12 1.7.1 tokenizing one X12 file, the baseline for the Go package adapters/edi/x12:
//
//   node tokenize.js FILE [RUNS]     (RUNS defaults to 20; WARMUPS untimed runs come first)
//
// Prints one JSON line:
//   {"file", "bytes", "api", "runs", "warmups", "segments", "median_ms", "min_ms", "max_ms", "max_rss_mib"}
// where segments counts those between ST and SE and max_rss_mib is the process's peak resident set
// (warm-ups included); or {"file", "error"} and exits 1 when node-x12 refuses the file.
//
// The call timed is `new X12Parser(true).parse(edi)` on the file read once into a string: node-x12's
// public entry point for a document in memory. Its cost is the tokenizer (X12Parser._parseSegments walks
// the string and builds an X12Segment with X12Elements for every segment); filing the segments under
// their interchange, group and set and the strict count checks add little. The library has no other
// tokenizer: its stream mode (pipe the file into an X12Parser) splits on the terminator and runs the
// same _parseSegments per segment, and is only faster when the consumer drops each segment as it comes
// (then nothing survives a young-generation collection); kept in an array, as a parser's caller keeps
// them, it costs what parse does. Stream mode also throws at the end in strict mode (1.7.1 always
// reports "must contain at least one functional group" from _flush), so it is not what we time.
'use strict'

const fs = require('fs')
const { performance } = require('perf_hooks')
const { X12Parser } = require('node-x12')

const WARMUPS = 3

function median (sorted) {
  const mid = sorted.length >> 1
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

function round3 (x) {
  return Number(x.toFixed(3))
}

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
  const parse = () => new X12Parser(true).parse(edi)

  const count = (interchange) => interchange.functionalGroups
    .reduce((n, g) => n + g.transactions.reduce((m, t) => m + t.segments.length, 0), 0)

  let segments
  try {
    segments = count(parse()) // a check that it parses at all, and the first warm-up
  } catch (err) {
    console.log(JSON.stringify({ file, error: `${err.name}: ${err.message}` }))
    process.exit(1)
  }
  for (let i = 1; i < WARMUPS; i++) {
    parse()
  }
  // Each run is timed on its own and the result dropped, so V8's collections of the previous run's
  // objects fall inside the runs, as Go's do in bench/edibench.
  const times = []
  for (let i = 0; i < runs; i++) {
    const start = performance.now()
    parse()
    times.push(performance.now() - start)
  }
  times.sort((a, b) => a - b)

  console.log(JSON.stringify({
    file,
    bytes: Buffer.byteLength(edi),
    api: 'new X12Parser(true).parse(edi)',
    runs,
    warmups: WARMUPS,
    segments,
    median_ms: round3(median(times)),
    min_ms: round3(times[0]),
    max_ms: round3(times[times.length - 1]),
    // resourceUsage().maxRSS is in KiB
    max_rss_mib: Number((process.resourceUsage().maxRSS / 1024).toFixed(1))
  }))
}

main()
