// Package commands holds one handler per command, each in a file of its own. A handler loads the
// aggregate from its stream, lets the domain decide, and appends the decided events; it is the only
// writer of the event log. Each handler declares the small slice of the eventstore.Store port it needs.
package commands
