package domain

import (
	"encoding/json"
	"fmt"
	"slices"
)

// Revisions folds the stream of a document that is recorded whole and may be revised (a receipt, an
// invoice): it keeps the stream version, the content T of the latest recorded revision and how many
// revisions there were. Aggregates embed it and decide with Current and Revision.
type Revisions[T any] struct {
	version  int64
	current  *T
	revision int
	// contentTypes are the event types that carry a whole revision.
	contentTypes []string
}

// NewRevisions returns an empty history whose revisions are carried by events of contentTypes.
func NewRevisions[T any](contentTypes ...string) Revisions[T] {
	return Revisions[T]{contentTypes: contentTypes}
}

// Version is the stream version the history was rebuilt to: the expected version of the next append.
func (r *Revisions[T]) Version() int64 { return r.version }

// Revision is how many revisions were recorded (0 before the first).
func (r *Revisions[T]) Revision() int { return r.revision }

// Current returns the latest recorded revision, and false before the first.
func (r *Revisions[T]) Current() (T, bool) {
	if r.current == nil {
		var zero T
		return zero, false
	}
	return *r.current, true
}

// Apply folds one stored event: a content event becomes the current revision; any other type (an
// exception raised beside it) advances the version only.
func (r *Revisions[T]) Apply(eventType string, data []byte) error {
	if slices.Contains(r.contentTypes, eventType) {
		var d T
		if err := json.Unmarshal(data, &d); err != nil {
			return fmt.Errorf("apply %s at version %d: %w", eventType, r.version+1, err)
		}
		r.current = &d
		r.revision++
	}
	r.version++
	return nil
}
