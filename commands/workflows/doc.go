// Package workflows holds the process managers that drive other systems from the log's events: each
// follows the log as a projections.Reactor (the runner keeps its checkpoint, runs it on one process at a
// time, retries a batch that failed, reports its lag), calls the outbound port it declares, and records
// what the other system answered through a command, on the stream of the aggregate concerned.
//
// A failure worth retrying (the other system down, a lock) stops the workflow at that event: the
// checkpoint stays, and the work drains in order once it passes. Any other failure is recorded as the
// aggregate's failure event — a dead letter with the reason — and the workflow goes on. Every call is
// idempotent (the port's duty), so a retried batch, or a rebuild of the workflow (a re-drive of the
// whole log), writes nothing twice.
package workflows
